select
    sheet,
    cast(row_number as integer) as row_number,
    column_name,
    value,
    reason,
    loaded_at
from {{ source('sheets', 'sheet_rejects') }}
