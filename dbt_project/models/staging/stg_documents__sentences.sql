select
    document_id,
    article_index,
    sentence_index,
    block_index,
    document_id || ':' || coalesce(cast(article_index as varchar), '-') || ':s' || sentence_index as sentence_id,
    document_id || ':' || coalesce(cast(article_index as varchar), '-') || ':b' || block_index as block_id,
    block_kind,
    text as sentence_text,
    start_offset,
    end_offset,
    pieces,
    loaded_at
from {{ source('documents', 'sentences') }}
