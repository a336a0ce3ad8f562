-- One row per rejected sheet row (or whole sheet, row_number null), with the reason.
select sheet, row_number, column_name, value, reason, loaded_at
from {{ ref('stg_sheets__rejects') }}
