select
    code as indicator_code,
    name_zh,
    name_en,
    topic,
    unit,
    measure_type,
    nullif(relation, '') as relation,
    nullif(related_code, '') as related_indicator_code,
    {{ sheet_number('plausible_min') }} as plausible_min,
    {{ sheet_number('plausible_max') }} as plausible_max,
    {{ split_list('keywords') }} as keywords,
    nullif(notes, '') as notes,
    cast(row_number as integer) as sheet_row_number,
    loaded_at
from {{ source('sheets', 'sheet_indicators') }}
