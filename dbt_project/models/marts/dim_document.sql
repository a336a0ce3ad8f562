-- One row per distinct document text that was loaded.
select
    d.document_id,
    d.file_path,
    d.sha256,
    d.encoding,
    d.char_count,
    d.loaded_at
from {{ ref('stg_documents__documents') }} as d
