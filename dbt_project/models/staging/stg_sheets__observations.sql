select
    'observations:' || cast(row_number as varchar) as observation_id,
    status as observation_status,
    nullif(indicator_code, '') as indicator_code,
    nullif(region_code, '') as region_code,
    nullif(period, '') as period_label,
    {{ sheet_number('value') }} as value,
    unit,
    qualifier,
    lower(is_target) = 'true' as is_target,
    document as file_path,
    quote,
    nullif(notes, '') as notes,
    cast(row_number as integer) as sheet_row_number,
    loaded_at
from {{ source('sheets', 'sheet_observations') }}
