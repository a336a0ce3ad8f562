-- One row per file seen under the documents folder, loaded or not, with the reason.
select
    file_path,
    size_bytes,
    sha256,
    encoding,
    status,
    reason,
    document_id,
    seen_at
from {{ ref('stg_documents__document_ledger') }}
