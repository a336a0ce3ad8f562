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
    -- The sheet's range, or by default: a share within 0-100 %, a growth rate within
    -- -100 % and +1000 %, anything else not negative.
    coalesce(plausible_min, case
        when measure_type = 'share' and unit = '%' then 0
        when measure_type = 'rate' and unit = '%' then -100
        when measure_type in ('stock', 'flow', 'count') then 0
    end) as plausible_min,
    coalesce(plausible_max, case
        when measure_type = 'share' and unit = '%' then 100
        when measure_type = 'rate' and unit = '%' then 1000
    end) as plausible_max,
    plausible_min is not null or plausible_max is not null as is_plausible_range_curated,
    keywords,
    notes
from {{ ref('stg_sheets__indicators') }}
