-- The latest value of every indicator for every place, with its source quote: the
-- observation whose period ends last (then the latest publication, then curated first).
select * exclude (latest_rank)
from (
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
        article_headline,
        row_number() over (
            partition by indicator_code, region_code
            order by period_end desc nulls last, publication_date desc nulls last,
                     obtained_by = 'curated' desc, observation_id
        ) as latest_rank
    from {{ ref('int_observations_described') }}
)
where latest_rank = 1
