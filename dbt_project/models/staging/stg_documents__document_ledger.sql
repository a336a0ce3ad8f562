select
    path as file_path,
    size_bytes,
    sha256,
    encoding,
    status,
    reason,
    document_id,
    loaded_at as seen_at
from {{ source('documents', 'document_ledger') }}
