-- One row per curated observation: the extracted mention at its quote and every way the
-- two disagree (value, unit, qualifier, period), for the analyst to settle.
with linked as (
    select
        o.*,
        l.mention_id,
        l.mention_text,
        l.mention_value,
        l.mention_unit,
        l.mention_qualifier,
        l.mention_period_label
    from {{ ref('stg_sheets__observations') }} as o
    left join {{ ref('int_observations_linked_to_mentions') }} as l using (observation_id)
),

compared as (
    select
        *,
        list_filter([
            case when mention_id is not null
                and abs(mention_value - value) > 1e-9 * greatest(abs(value), 1) then 'value' end,
            case when mention_id is not null and mention_unit <> unit then 'unit' end,
            case when mention_id is not null and mention_qualifier <> qualifier then 'qualifier' end,
            case when mention_id is not null and observation_status = 'verified'
                and mention_period_label <> period_label then 'period' end,
            -- The analyst dated a figure the text leaves undated: shown, but no conflict.
            case when mention_id is not null and observation_status = 'verified'
                and mention_period_label is null and period_label is not null
                then 'period not stated in the text' end
        ], lambda x: x is not null) as disagreements
    from linked
)

select
    observation_id,
    observation_status,
    indicator_code,
    region_code,
    period_label,
    value,
    unit,
    qualifier,
    file_path,
    quote,
    mention_id,
    mention_text,
    mention_value,
    mention_unit,
    mention_qualifier,
    mention_period_label,
    disagreements,
    case
        when mention_id is null then 'no mention found'
        when len(list_filter(disagreements, lambda d: d <> 'period not stated in the text')) = 0
            then 'agrees'
        else 'disagrees'
    end as reconciliation_status
from compared
