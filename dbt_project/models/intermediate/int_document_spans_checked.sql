-- Each document's sentences and blocks checked against its text: the text cut at a span's
-- pieces (character offsets, 0-based, end exclusive) must be exactly the span's text.
-- Cutting a string at a character offset reads it from the start, so checking three million
-- spans takes seconds; a document's spans and text change only when it is loaded again, so
-- the check is kept by document and made again only for documents built this time
-- (macros/incremental_by_document.sql). The data test
-- assert_sentence_offsets_find_the_text_again reports the spans not found.
{{ config(materialized='incremental', incremental_strategy='delete+insert',
          unique_key='document_id', on_schema_change='fail',
          post_hook="{{ delete_rows_of_documents_gone('stg_documents__sentences') }}") }}
with documents as (
    {{ documents_to_build('stg_documents__sentences') }}
),

spans as (
    select sentence_id as span_id, document_id, sentence_text as span_text, pieces, loaded_at
    from {{ ref('stg_documents__sentences') }}
    where document_id in (select document_id from documents)
    union all
    select block_id, document_id, block_text, pieces, null  -- a document's load: its sentences'
    from {{ ref('stg_documents__blocks') }}
    where document_id in (select document_id from documents)
),

checked as (
    select
        s.document_id,
        s.loaded_at,
        s.span_id,
        array_to_string(
            list_transform(s.pieces, lambda p: substring(d.document_text, p[1] + 1, p[2] - p[1])), ''
        ) = s.span_text as is_found_again
    from spans as s
    join {{ ref('stg_documents__documents') }} as d using (document_id)
)

select
    document_id,
    max(loaded_at) as loaded_at,
    count(*) as span_count,
    coalesce(list(span_id order by span_id) filter (where not is_found_again), []) as spans_not_found
from checked
group by document_id
