-- Plausible ranges by measure type: shares and rates are percentages a newspaper can
-- print (a share within 0–100 %, a growth rate within −100 % and +1000 %), and stocks,
-- flows and counts are not negative.
{{ config(meta={"dagster": {"ref": {"name": "fct_observation"}}}) }}

select o.observation_id, o.indicator_code, i.measure_type, o.value
from {{ ref('fct_observation') }} as o
join {{ ref('dim_indicator') }} as i using (indicator_code)
where (i.measure_type = 'share' and o.unit = '%' and not o.value between 0 and 100)
   or (i.measure_type = 'rate' and o.unit = '%' and not o.value between -100 and 1000)
   or (i.measure_type in ('stock', 'flow', 'count') and o.value < 0)
