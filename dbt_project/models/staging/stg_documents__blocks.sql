select
    document_id,
    article_index,
    block_index,
    document_id || ':' || coalesce(cast(article_index as varchar), '-') || ':b' || block_index as block_id,
    kind as block_kind,
    level as heading_level,
    text as block_text,
    start_offset,
    end_offset,
    pieces,
    repaired as is_repaired,
    truncated as is_truncated,
    loaded_at
from {{ source('documents', 'blocks') }}
