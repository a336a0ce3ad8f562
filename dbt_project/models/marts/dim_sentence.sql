-- One row per sentence of a headline, heading, paragraph or caption, with the character
-- offsets that find it again in the document text (dim_document.document_text).
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
    pieces
from {{ ref('stg_documents__sentences') }}
