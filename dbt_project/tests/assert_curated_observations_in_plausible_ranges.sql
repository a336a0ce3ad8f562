-- Every curated observation within its indicator's plausible range (dim_indicator.plausible_min
-- and plausible_max: the indicator sheet's, or a default by measure type). An analyst's
-- figure outside it is a typo or a wrong unit, so the release is blocked.
{{ config(meta={"dagster": {"ref": {"name": "fct_observation"}}}) }}

select o.observation_id, o.indicator_code, o.value, i.plausible_min, i.plausible_max, o.quote
from {{ ref('fct_observation') }} as o
join {{ ref('dim_indicator') }} as i using (indicator_code)
where o.obtained_by = 'curated' and (o.value < i.plausible_min or o.value > i.plausible_max)
