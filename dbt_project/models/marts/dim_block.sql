-- One row per block of text: headline, subtitle, byline, heading, paragraph, caption, note.
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
    is_truncated
from {{ ref('stg_documents__blocks') }}
