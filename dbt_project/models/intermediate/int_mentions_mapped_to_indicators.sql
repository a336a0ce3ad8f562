-- Extracted mentions mapped to an indicator by the rules kept in the indicator sheet: a
-- keyword of the indicator in the same clause before the figure, the indicator's unit, and
-- a change only to a change indicator (growth_of, change_of). A mapping is confident when
-- one indicator has the longest matching keyword; ties map to nothing.
-- A table built by document (macros/incremental_by_document.sql), as the mentions are; each
-- row keeps the version of the rules it was mapped by, and a change to the rules maps every
-- mention again.
-- Each row carries what fct_observation shows of its mention and sentence (value, period,
-- offsets, the sentence as the quote …), read here for the documents built only, so that
-- fct_observation, rebuilt every time, does not join the corpus's two million mentions and
-- sentences again.
{{ config(materialized='incremental', incremental_strategy='delete+insert',
          unique_key='document_id', on_schema_change='fail',
          post_hook=["{{ delete_rows_of_documents_gone('stg_documents__mentions') }}",
                     "delete from {{ this }} where rules_version <> ({{ mapping_rules_version() }})"]) }}
with documents as (
    {{ documents_to_build('stg_documents__mentions') }}
    {% if is_incremental() %}
    union
    select document_id from {{ ref('stg_documents__documents') }}
    where not exists (select 1 from {{ this }} where rules_version = ({{ mapping_rules_version() }}))
    {% endif %}
),

mentions as (
    select
        m.mention_id,
        m.document_id,
        m.loaded_at,
        m.unit,
        m.is_change,
        -- the clause before the figure: from the last ，；：。 to the figure
        regexp_extract(
            substr(s.sentence_text, 1, greatest(position(m.mention_text in s.sentence_text) - 1, 0)),
            '[^，,；;：:。]*$'
        ) as clause_before,
        -- what fct_observation shows of a mapped mention
        m.sentence_id,
        case when m.article_index is not null then m.document_id || ':' || m.article_index end as article_id,
        m.value,
        m.value_high,
        m.qualifier,
        m.is_target,
        m.is_forecast,
        m.region_code,
        m.period_label,
        m.base_period_label,
        m.start_offset,
        m.end_offset,
        s.sentence_text
    from {{ ref('stg_documents__mentions') }} as m
    join {{ ref('stg_documents__sentences') }} as s using (sentence_id)
    where m.document_id in (select document_id from documents)
        and s.document_id in (select document_id from documents)
),

keywords as (
    select
        indicator_code,
        unit,
        coalesce(relation in ('growth_of', 'change_of'), false) as is_change_indicator,
        unnest(keywords) as keyword
    from {{ ref('stg_sheets__indicators') }}
),

matches as (
    select m.mention_id, m.document_id, m.loaded_at, k.indicator_code,
           max(length(k.keyword)) as keyword_length
    from mentions as m
    join keywords as k
        on k.unit = m.unit
        and k.is_change_indicator = m.is_change
        and k.keyword <> ''
        and contains(m.clause_before, k.keyword)
    group by all
),

ranked as (
    select
        *,
        rank() over (partition by mention_id order by keyword_length desc) as keyword_rank,
        count(*) over (partition by mention_id, keyword_length) as tied
    from matches
),

mapped as (
    select
        r.indicator_code,
        r.keyword_length,
        m.* exclude (clause_before, is_change)
    from ranked as r
    join mentions as m using (mention_id)
    where r.keyword_rank = 1 and r.tied = 1
),

-- A document built with no mention mapped keeps one row, mention and indicator null: by
-- its (document_id, loaded_at) the next build knows the document was mapped, and does not
-- map its mentions again (7k documents at 100k articles, half a second of every build).
unmapped_documents as (
    select document_id, any_value(loaded_at) as loaded_at
    from mentions
    where document_id not in (select document_id from mapped)
    group by document_id
)

select *, ({{ mapping_rules_version() }}) as rules_version
from (
    select * from mapped
    union all by name
    select * from unmapped_documents
)
