-- Reported in Dagster as a check on dim_sentence.
{{ config(meta={"dagster": {"ref": {"name": "dim_sentence"}}}) }}

-- Every sentence and block must be found again in its document: the document text cut at
-- its pieces (character offsets, 0-based, end exclusive) is exactly its text.
with spans as (
    select sentence_id as span_id, document_id, sentence_text as span_text, pieces
    from {{ ref('dim_sentence') }}
    union all
    select block_id, document_id, block_text, pieces
    from {{ ref('dim_block') }}
)

select s.span_id, s.span_text
from spans as s
join {{ ref('dim_document') }} as d using (document_id)
where array_to_string(
        list_transform(s.pieces, lambda p: substring(d.document_text, p[1] + 1, p[2] - p[1])), ''
    ) <> s.span_text
