select
    code as region_code,
    name_zh,
    name_pinyin,
    level as region_level,
    nullif(parent_code, '') as parent_region_code,
    {{ split_list('aliases') }} as aliases,
    coalesce(nullif(code_source, ''), 'own') as code_source,
    nullif(notes, '') as notes,
    cast(row_number as integer) as sheet_row_number,
    loaded_at
from {{ source('sheets', 'sheet_regions') }}
