-- Question: where do the documents disagree with themselves? Every claim check that does not
-- pass (声明核对未通过: status fail or warn), with the figure as reported beside the value
-- recomputed from the related figures, the tolerance, and the words of each figure.
-- One row: one claim check of fct_claim_check with status <> 'pass', failures first.
-- reported_quote is the words of the figure checked (reported_observation_id); related_figures
-- and related_quotes list the other figures of the check position for position, in the order
-- of observation_ids (components then the total; growth, level, base level; share, part,
-- total; the two statements), taken from fct_claim_check.quotes, which lines up with it.
-- The figure checked is the total of a component_sum (last), the exact statement of a
-- bounds_agree (second), and the first figure of every other check.
-- Caveats: warn is not an error by itself: components that fall short of their total are a
-- partial breakdown, and every same_value_other_period check warns so that a figure
-- repeated for another period gets a look. times_tolerance is null for a zero tolerance.
with failing as (
    select
        *,
        case check_type
            when 'component_sum' then len(observation_ids)
            when 'bounds_agree' then 2
            else 1
        end as checked_position
    from fct_claim_check
    where status <> 'pass'
),

-- The other figures of each check, in the order of observation_ids.
related as (
    select
        f.check_id,
        list(o.indicator_code || ' ' || coalesce(o.period_label, '?') || ' = ' || o.value
             order by f.position) as related_figures,
        list(f.quote order by f.position) as related_quotes
    from (
        select check_id, checked_position,
               unnest(observation_ids) as observation_id,
               unnest(quotes) as quote,
               unnest(generate_series(1, len(observation_ids))) as position
        from failing
    ) as f
    join fct_observation as o using (observation_id)
    where f.position <> f.checked_position
    group by f.check_id
)

select
    c.status,
    c.check_type,
    c.indicator_code,
    i.name_zh as indicator_name_zh,
    i.name_en as indicator_name_en,
    c.region_code,
    r.name_zh as region_name_zh,
    r.name_pinyin as region_name_pinyin,
    c.period_label,
    c.reported,
    c.expected,
    c.expected_low,
    c.expected_high,
    c.difference,
    c.tolerance,
    case when c.tolerance > 0 then round(c.difference / c.tolerance, 1) end as times_tolerance,
    i.unit,
    c.explanation,
    c.quotes[c.checked_position] as reported_quote,
    rel.related_figures,
    rel.related_quotes,
    c.observation_ids[c.checked_position] as reported_observation_id,
    c.observation_ids,
    c.check_id
from failing as c
left join related as rel using (check_id)
left join dim_indicator as i using (indicator_code)
left join dim_region as r on r.region_code = c.region_code
order by c.status = 'fail' desc, c.check_type, c.indicator_code, c.region_code, c.period_label
