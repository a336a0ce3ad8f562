select
    document_id,
    path as file_path,
    sha256,
    encoding,
    text as document_text,
    cast(char_count as integer) as char_count,
    loaded_at
from {{ source('documents', 'documents') }}
