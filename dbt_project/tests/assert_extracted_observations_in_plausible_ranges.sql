-- Figures mapped to an indicator automatically, outside its plausible range: most often a
-- keyword that gave a list's second figure to the first indicator (甲、乙分别达X、Y). A
-- warning with the quote, for an analyst to curate; one bad mapping among a corpus of
-- articles must not hold back every release.
{{ config(severity='warn', meta={"dagster": {"ref": {"name": "fct_observation"}}}) }}

select o.observation_id, o.indicator_code, o.value, i.plausible_min, i.plausible_max, o.quote
from {{ ref('fct_observation') }} as o
join {{ ref('dim_indicator') }} as i using (indicator_code)
where o.obtained_by = 'extracted' and (o.value < i.plausible_min or o.value > i.plausible_max)
