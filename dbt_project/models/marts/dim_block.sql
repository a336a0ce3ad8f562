-- One row per block of text: headline, subtitle, byline, heading, paragraph, caption, note.
-- Built by document (macros/incremental_by_document.sql).
{{ config(materialized='incremental', incremental_strategy='delete+insert',
          unique_key='document_id', on_schema_change='fail',
          post_hook="{{ delete_rows_of_documents_gone('stg_documents__blocks') }}") }}
select
    block_id,
    document_id,
    case when article_index is not null then document_id || ':' || article_index end as article_id,
    article_index,
    block_index,
    block_kind,
    heading_level,
    block_text,
    start_offset,
    end_offset,
    pieces,
    is_repaired,
    is_truncated,
    loaded_at
from {{ ref('stg_documents__blocks') }}
where document_id in ({{ documents_to_build('stg_documents__blocks') }})
