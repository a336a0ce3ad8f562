-- The latest value of every indicator for every place, with its source quote: the
-- observation whose period ends last (then the latest publication, then curated first,
-- then the smallest observation_id). Chosen with arg_min over that order as a struct, then
-- joined back: a window ranking every observation sorted all their columns (quotes,
-- titles), three times the time.
with latest as (
    select
        arg_min(observation_id, (
            {{ date_sort_key('period_end', descending=true) }},
            {{ date_sort_key('publication_date', descending=true) }},
            not coalesce(obtained_by = 'curated', false),
            observation_id)) as observation_id
    from {{ ref('int_observations_described') }}
    group by indicator_code, region_code
)

select
    topic,
    indicator_code,
    indicator_name_zh,
    indicator_name_en,
    region_code,
    region_name_zh,
    region_level,
    period_label,
    period_end,
    value,
    unit,
    qualifier,
    lower_bound,
    upper_bound,
    obtained_by,
    document_title,
    publication_date,
    quote,
    observation_id,
    document_id,
    sentence_id,
    article_id,
    article_headline
from {{ ref('int_observations_described') }}
where observation_id in (select observation_id from latest)
