-- One row per numeric mention found in the text, mapped to an indicator or not: the
-- figure as written, its value in base units, qualifier, period, place and sentence. Built by
-- document (macros/incremental_by_document.sql): the region's name and the publication date
-- are the extraction's own context, so a change to either extracts the document again.
{{ config(materialized='incremental', incremental_strategy='delete+insert',
          unique_key='document_id', on_schema_change='fail',
          post_hook="{{ delete_rows_of_documents_gone('stg_documents__mentions') }}") }}
with mentions as (
    select * from {{ ref('stg_documents__mentions') }}
    where document_id in ({{ documents_to_build('stg_documents__mentions') }})
),

-- only the sentences of those documents: the text of two million others is not read
sentences as (
    select sentence_id, sentence_text from {{ ref('stg_documents__sentences') }}
    where document_id in ({{ documents_to_build('stg_documents__mentions') }})
)

select
    m.mention_id,
    m.document_id,
    case when m.article_index is not null then m.document_id || ':' || m.article_index end as article_id,
    m.sentence_id,
    m.mention_index,
    m.mention_text,
    m.value,
    m.value_low,
    m.value_high,
    m.unit,
    m.qualifier,
    m.multiplier_kind,
    m.is_change,
    m.direction,
    m.is_target,
    m.is_forecast,
    m.period_label,
    m.period_start,
    m.period_end,
    m.period_kind,
    m.period_source,
    m.base_period_label,
    m.region_code,
    r.name_zh as region_name_zh,
    m.place_source,
    s.sentence_text,
    m.start_offset,
    m.end_offset,
    d.publication_date,
    m.loaded_at
from mentions as m
join sentences as s using (sentence_id)
left join {{ ref('dim_region') }} as r using (region_code)
left join {{ ref('dim_document') }} as d on d.document_id = m.document_id
