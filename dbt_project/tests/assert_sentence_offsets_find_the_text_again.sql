-- Reported in Dagster as a check on dim_sentence.
{{ config(meta={"dagster": {"ref": {"name": "dim_sentence"}}}) }}

-- Every sentence and block must be found again in its document: the document text cut at
-- its pieces is exactly its text. Checked by document as documents are loaded
-- (int_document_spans_checked); a document that failed stays listed until loaded again.
select c.document_id, s.span_id
from {{ ref('int_document_spans_checked') }} as c, unnest(c.spans_not_found) as s(span_id)
