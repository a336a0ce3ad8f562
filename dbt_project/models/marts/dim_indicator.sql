-- One row per indicator of the catalogue (seeds/sheets/indicators.csv).
select
    indicator_code,
    name_zh,
    name_en,
    topic,
    unit,
    measure_type,
    relation,
    related_indicator_code,
    keywords,
    notes
from {{ ref('stg_sheets__indicators') }}
