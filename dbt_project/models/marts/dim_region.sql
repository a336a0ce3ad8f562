-- One row per administrative unit or named place in the gazetteer sheet.
select
    region_code,
    name_zh,
    name_pinyin,
    region_level,
    parent_region_code,
    aliases,
    code_source,
    code_source = 'official' as is_official_code,
    notes
from {{ ref('stg_sheets__regions') }}
