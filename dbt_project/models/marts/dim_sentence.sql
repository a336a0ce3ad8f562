-- One row per sentence of a headline, heading, paragraph or caption, with the character
-- offsets that find it again in the document text (dim_document.document_text). Built by
-- document (macros/incremental_by_document.sql).
{{ config(materialized='incremental', incremental_strategy='delete+insert',
          unique_key='document_id', on_schema_change='fail',
          post_hook="{{ delete_rows_of_documents_gone('stg_documents__sentences') }}") }}
select
    sentence_id,
    document_id,
    case when article_index is not null then document_id || ':' || article_index end as article_id,
    block_id,
    article_index,
    sentence_index,
    block_kind,
    sentence_text,
    start_offset,
    end_offset,
    pieces,
    loaded_at
from {{ ref('stg_documents__sentences') }}
where document_id in ({{ documents_to_build('stg_documents__sentences') }})
