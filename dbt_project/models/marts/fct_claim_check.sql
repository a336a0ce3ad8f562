-- One row per claim check: what the documents say, checked against itself, driven by the
-- relations of the indicator sheet (no check is written per figure). News figures are
-- rounded, so each check carries a tolerance; a failing check is a finding for analysts
-- (status warn or fail, with the quotes), never a pipeline failure.
--   component_sum       components (component_of) against their total, same region, period, document
--   growth_from_levels  a growth rate (growth_of) against the level at its period and its base period
--   growth_from_change  a growth rate against the change (change_of) and the level it ends at
--   share_of_total      a share (share_of) against the one component of that total over the total
--   bounds_agree        each statement of a fact (same indicator, region, period) against the
--                       fact's reference statement: their bounds (余/以上/近 …) must overlap
--   same_value_other_period  a value given again for a different period than its latest
-- Each check lists its observations' quotes as it lists their ids, in the same order (a join
-- of the unnested ids back to the observations, grouped again, took a third of this model's
-- query time at 100k articles).
{{ config(**written_by_difference('check_id')) }}
{% set relative_tolerance = 0.005 %}   {# rounding of 万 figures: half a unit in the last place #}
{% set rate_tolerance_pp = 0.15 %}     {# a growth rate printed to 0.1 percentage point #}

-- base_period_label comes with the observation (fct_observation): no join with the two
-- million mentions for it
with obs as (
    select o.*, i.relation, i.related_indicator_code
    from {{ ref('fct_observation') }} as o
    join {{ ref('dim_indicator') }} as i using (indicator_code)
    where not o.is_target and not o.is_forecast
),

component_sum as (
    select
        'component_sum' as check_type,
        t.indicator_code,
        t.region_code,
        t.period_label,
        t.value as reported,
        sum(c.value) as expected,
        sum(c.lower_bound) as expected_low,
        -- one open component (余, 以上) leaves the sum open above
        case when count(c.upper_bound) = count(*) then sum(c.upper_bound) end as expected_high,
        {{ relative_tolerance }} * abs(t.value) as tolerance,
        list(c.observation_id order by c.observation_id) || [t.observation_id] as observation_ids,
        list(c.quote order by c.observation_id) || [any_value(t.quote)] as quotes,
        'sum of ' || count(*) || ' component(s): '
            || string_agg(c.indicator_code || ' ' || c.value, ' + '
                       order by c.indicator_code, c.observation_id)
            as explanation
    from obs as t
    join obs as c
        on c.relation = 'component_of' and c.related_indicator_code = t.indicator_code
        and c.region_code = t.region_code and c.period_label = t.period_label
        and c.document_id = t.document_id
    group by t.indicator_code, t.region_code, t.period_label, t.value, t.observation_id
),

growth_from_levels as (
    select
        'growth_from_levels',
        g.indicator_code,
        g.region_code,
        g.period_label,
        g.value,
        (now_level.value / base_level.value - 1) * 100,
        null::double,
        null::double,
        {{ rate_tolerance_pp }},
        [g.observation_id, now_level.observation_id, base_level.observation_id],
        [g.quote, now_level.quote, base_level.quote],
        'growth over ' || g.base_period_label || ' recomputed from levels '
            || base_level.value || ' → ' || now_level.value
    from obs as g
    join obs as now_level
        on now_level.indicator_code = g.related_indicator_code and g.relation = 'growth_of'
        and now_level.region_code = g.region_code and now_level.period_label = g.period_label
    join obs as base_level
        on base_level.indicator_code = g.related_indicator_code
        and base_level.region_code = g.region_code and base_level.period_label = g.base_period_label
),

growth_from_change as (
    select
        'growth_from_change',
        g.indicator_code,
        g.region_code,
        g.period_label,
        g.value,
        c.value / (l.value - c.value) * 100,
        -- a level given as a bound (突破24万) bounds the growth the other way round
        c.value / (coalesce(l.upper_bound, 'infinity'::double) - c.value) * 100,
        c.value / (l.lower_bound - c.value) * 100,
        {{ rate_tolerance_pp }},
        [g.observation_id, c.observation_id, l.observation_id],
        [g.quote, c.quote, l.quote],
        'growth recomputed as change / (level - change) = '
            || c.value || ' / (' || l.value || ' - ' || c.value || ')'
    from obs as g
    join obs as c
        on c.relation = 'change_of' and c.related_indicator_code = g.related_indicator_code
        and g.relation = 'growth_of'
        and c.region_code = g.region_code and c.document_id = g.document_id
    join obs as l
        on l.indicator_code = g.related_indicator_code
        and l.region_code = g.region_code and l.document_id = g.document_id
        and l.period_label = g.period_label
),

share_of_total as (
    select
        'share_of_total',
        s.indicator_code,
        s.region_code,
        s.period_label,
        s.value,
        any_value(part.value) / any_value(total.value) * 100,
        null::double,
        null::double,
        {{ rate_tolerance_pp }} * 10,
        [s.observation_id, any_value(part.observation_id), any_value(total.observation_id)],
        [any_value(s.quote), any_value(part.quote), any_value(total.quote)],
        'share recomputed as ' || any_value(part.indicator_code) || ' / ' || any_value(total.indicator_code)
    from obs as s
    join obs as total
        on s.relation = 'share_of' and total.indicator_code = s.related_indicator_code
        and total.region_code = s.region_code and total.document_id = s.document_id
        and year(total.period_end) = year(s.period_end)
    join obs as part
        on part.relation = 'component_of' and part.related_indicator_code = total.indicator_code
        and part.region_code = s.region_code and part.document_id = s.document_id
        and part.period_label = total.period_label
    group by s.indicator_code, s.region_code, s.period_label, s.value, s.observation_id
    having count(distinct part.indicator_code) = 1
),

-- Statements of one fact (same indicator, region, period), each checked against the fact's
-- reference statement, not against every other one: pairs grew with the square of the
-- repetitions (2.6 M checks at 100k articles). The reference is an exact figure if there is
-- one, a curated one before an extracted one, then the first published. Chosen with
-- arg_min over that order as a struct, not ranked with a window: a window sorts every
-- statement with all its columns (quotes …), a third of this model's query at 100k articles.
fact_references as (
    select
        indicator_code,
        region_code,
        period_label,
        arg_min(observation_id, (
            not coalesce(qualifier = 'exact', false),
            not coalesce(obtained_by = 'curated', false),
            {{ date_sort_key('publication_date') }},
            observation_id)) as ref_id
    from obs
    group by all
    having count(*) > 1
),

fact_statements as (
    select
        s.*,
        -- a bounded statement ("more than X") is the claim checked against an exact reference
        s.qualifier <> 'exact' and ref.qualifier = 'exact' as is_bounded_claim,
        ref.observation_id as ref_id, ref.value as ref_value, ref.qualifier as ref_qualifier,
        ref.quote as ref_quote,
        ref.lower_bound as ref_low, ref.upper_bound as ref_high
    from fact_references as f
    join obs as s using (indicator_code, region_code, period_label)
    join obs as ref on ref.observation_id = f.ref_id
    where s.observation_id <> f.ref_id
),

bounds_agree as (
    select
        'bounds_agree',
        indicator_code,
        region_code,
        period_label,
        -- the exact figure, checked against the range the other statement allows
        case when is_bounded_claim then ref_value else value end,
        case when is_bounded_claim then value else ref_value end,
        case when is_bounded_claim then lower_bound else ref_low end,
        case when is_bounded_claim then upper_bound else ref_high end,
        {{ relative_tolerance }} * abs(case when is_bounded_claim then value else ref_value end),
        case when is_bounded_claim then [observation_id, ref_id] else [ref_id, observation_id] end,
        case when is_bounded_claim then [quote, ref_quote] else [ref_quote, quote] end,
        'two statements of the same fact: '
            || case when is_bounded_claim then qualifier || ' ' || value || ' and ' || ref_value
                    else ref_qualifier || ' ' || ref_value || ' and ' || value end
    from fact_statements
),

-- A value given again for another period, checked against its statement for the latest
-- period (the latest period end, then the smallest observation_id).
latest_of_values as (
    select
        indicator_code,
        region_code,
        value,
        arg_min(observation_id, (
            {{ date_sort_key('period_end', descending=true) }},
            observation_id)) as latest_id
    from obs
    group by all
    having count(*) > 1
),

same_value_other_period as (
    select
        'same_value_other_period',
        s.indicator_code,
        s.region_code,
        s.period_label,
        s.value,
        latest.value,
        null::double,
        null::double,
        0,
        [s.observation_id, latest.observation_id],
        [s.quote, latest.quote],
        'the same value is given for ' || s.period_label || ' and ' || latest.period_label
    from latest_of_values as v
    join obs as s using (indicator_code, region_code, value)
    join obs as latest on latest.observation_id = v.latest_id
    where s.observation_id <> v.latest_id and latest.period_label <> s.period_label
),

checks as (
    select * from component_sum
    union all select * from growth_from_levels
    union all select * from growth_from_change
    union all select * from share_of_total
    union all select * from bounds_agree
    union all select * from same_value_other_period
),

judged as (
    select
        *,
        abs(reported - expected) as difference,
        case
            when check_type = 'same_value_other_period' then 'warn'
            when abs(reported - expected) <= tolerance then 'pass'
            -- components that exceed their total are wrong; fewer are a partial breakdown
            when check_type = 'component_sum' and coalesce(expected_low, expected) > reported + tolerance
                then 'fail'
            when check_type = 'component_sum' then 'warn'
            -- inside the range the related figures' bounds (突破24万, 余, 以上) allow
            when expected_low is not null and reported >= expected_low - tolerance
                and (expected_high is null or reported <= expected_high + tolerance) then 'pass'
            when abs(reported - expected) <= 5 * tolerance then 'warn'
            else 'fail'
        end as status
    from checks
),

identified as (
    select
        md5(check_type || indicator_code || region_code || coalesce(period_label, '')
            || array_to_string(observation_ids, ',')) as check_id,
        *
    from judged
)

select
    j.check_id,
    j.check_type,
    j.indicator_code,
    j.region_code,
    j.period_label,
    j.reported,
    j.expected,
    j.expected_low,
    j.expected_high,
    j.difference,
    j.tolerance,
    j.status,
    j.explanation,
    j.observation_ids,
    j.quotes
from identified as j
