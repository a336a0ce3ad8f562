-- Each curated observation with the extracted mention at its quote: a mention of the same
-- document whose sentence holds the quote and whose figure, as written, lies inside the
-- quote; of several, the one closest in value.
with curated_documents as (
    select document_id, file_path from {{ ref('stg_documents__documents') }}
    where file_path in (select file_path from {{ ref('stg_sheets__observations') }})
),

-- the mentions of the documents the analysts quote only: not the corpus's two million
mentions as (
    select m.*, d.file_path, s.sentence_text
    from {{ ref('stg_documents__mentions') }} as m
    join curated_documents as d using (document_id)
    join {{ ref('stg_documents__sentences') }} as s using (sentence_id)
    where s.document_id in (select document_id from curated_documents)
),

candidates as (
    select
        o.observation_id,
        m.mention_id,
        -- what the marts show of the linked mention (fct_observation, the reconciliation),
        -- so that neither joins the corpus's mentions again
        m.mention_text,
        m.value as mention_value,
        m.unit as mention_unit,
        m.qualifier as mention_qualifier,
        m.period_label as mention_period_label,
        m.base_period_label as mention_base_period_label,
        m.is_forecast as mention_is_forecast,
        m.sentence_id,
        case when m.article_index is not null then m.document_id || ':' || m.article_index end as article_id,
        m.start_offset,
        m.end_offset,
        row_number() over (
            partition by o.observation_id
            order by abs(m.value - o.value), m.mention_id
        ) as rank_by_value
    from {{ ref('stg_sheets__observations') }} as o
    join mentions as m
        on m.file_path = o.file_path
        and position(o.quote in m.sentence_text) > 0
        and position(m.mention_text in o.quote) > 0
)

select * exclude (rank_by_value)
from candidates
where rank_by_value = 1
