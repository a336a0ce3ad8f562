-- One row per stated number mapped to an indicator. Two sources:
--   curated:   the analysts' verified observations (seeds/sheets/observations.csv);
--   extracted: mentions mapped automatically by the indicator sheet's keywords.
-- Rule when both exist: the curated observation wins. A mention linked to a curated
-- observation (verified or left out on purpose) is never added again as extracted.
-- Qualifiers become bounds: exact → [v, v]; approx (约/近/左右) → [0.95 v, 1.05 v];
-- gt/ge (余/多/突破/以上) → [v, null]; lt/le (不足/以下) → [null, v]; a range → [low, high].
{{ config(**written_by_difference('observation_id')) }}

with curated as (
    select
        'curated' as obtained_by,
        o.observation_id as observation_key,
        o.indicator_code,
        o.region_code,
        o.period_label,
        l.mention_base_period_label as base_period_label,
        o.value,
        null::double as value_high,
        o.unit,
        o.qualifier,
        o.is_target,
        coalesce(l.mention_is_forecast, false) as is_forecast,
        d.document_id,
        o.quote,
        l.sentence_id,
        l.article_id,
        l.start_offset,
        l.end_offset,
        l.mention_id
    from {{ ref('stg_sheets__observations') }} as o
    left join {{ ref('int_observations_linked_to_mentions') }} as l using (observation_id)
    left join {{ ref('stg_documents__documents') }} as d using (file_path)
    where o.observation_status = 'verified'
),

-- The mapped mentions carry their mention's and sentence's columns
-- (int_mentions_mapped_to_indicators, built by document): no join with the two million
-- mentions and sentences on every build.
extracted as (
    select
        'extracted' as obtained_by,
        map.mention_id as observation_key,
        map.indicator_code,
        map.region_code,
        map.period_label,
        map.base_period_label,
        map.value,
        map.value_high,
        map.unit,
        map.qualifier,
        map.is_target,
        map.is_forecast,
        map.document_id,
        map.sentence_text as quote,
        map.sentence_id,
        map.article_id,
        map.start_offset,
        map.end_offset,
        map.mention_id
    from {{ ref('int_mentions_mapped_to_indicators') }} as map
    where map.mention_id is not null  -- not a document's "none mapped" row
        and map.mention_id not in (
        select mention_id from {{ ref('int_observations_linked_to_mentions') }}
    )
),

observations as (
    select * from curated
    union all
    select * from extracted
)

select
    o.obtained_by || ':' || o.observation_key as observation_id,
    o.obtained_by,
    o.indicator_code,
    o.region_code,
    o.period_label,
    o.base_period_label,
    p.start_date as period_start,
    p.end_date as period_end,
    p.period_kind = 'as_of' as is_cumulative,
    o.value,
    o.unit,
    o.qualifier,
    case
        when o.value_high is not null then o.value
        when o.qualifier in ('exact', 'gt', 'ge') then o.value
        when o.qualifier = 'approx' then o.value * 0.95
    end as lower_bound,
    case
        when o.value_high is not null then o.value_high
        when o.qualifier in ('exact', 'lt', 'le') then o.value
        when o.qualifier = 'approx' then o.value * 1.05
    end as upper_bound,
    o.is_target,
    o.is_forecast,
    o.document_id,
    doc.publication_date,
    o.quote,
    o.sentence_id,
    o.article_id,
    o.start_offset,
    o.end_offset,
    o.mention_id
from observations as o
left join {{ ref('dim_period') }} as p using (period_label)
left join {{ ref('dim_document') }} as doc using (document_id)
