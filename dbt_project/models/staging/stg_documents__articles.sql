select
    document_id,
    article_index,
    document_id || ':' || article_index as article_id,
    headline,
    subtitle,
    byline,
    authors,
    author_roles,
    start_offset,
    end_offset,
    loaded_at
from {{ source('documents', 'articles') }}
