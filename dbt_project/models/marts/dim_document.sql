-- One row per distinct document text that was loaded. Built by document: a refresh writes
-- the rows of documents new, loaded again or with a changed registry entry, and does not
-- copy the text of the others again (macros/incremental_by_document.sql).
{{ config(materialized='incremental', incremental_strategy='delete+insert',
          unique_key='document_id', on_schema_change='fail',
          post_hook="{{ delete_rows_of_documents_gone('stg_documents__documents') }}") }}
with articles as (
    select
        document_id,
        count(*) as article_count,
        arg_min(headline, article_index) as first_headline
    from {{ ref('stg_documents__articles') }}
    group by all
),

-- A file's articles share its page, so its registry rows share a date; take the earliest.
registry as (
    select
        file_path,
        arg_min(newspaper, publication_date) as newspaper,
        min(publication_date) as publication_date,
        arg_min(publication_date_precision, publication_date) as publication_date_precision,
        bool_or(is_publication_date_estimated) as is_publication_date_estimated
    from {{ ref('stg_sheets__documents') }}
    group by all
),

-- Every column but the text, for every document: cheap to compute, and compared with the
-- table to find the documents whose row changed.
described as (
    select
        d.document_id,
        d.file_path,
        a.first_headline as title,
        coalesce(a.article_count, 0) as article_count,
        r.newspaper,
        r.publication_date,
        r.publication_date_precision,
        r.is_publication_date_estimated,
        d.sha256,
        d.encoding,
        d.char_count,
        d.loaded_at
    from {{ ref('stg_documents__documents') }} as d
    left join articles as a using (document_id)
    left join registry as r using (file_path)
)

select
    c.document_id,
    c.file_path,
    c.title,
    c.article_count,
    c.newspaper,
    c.publication_date,
    c.publication_date_precision,
    c.is_publication_date_estimated,
    c.sha256,
    c.encoding,
    c.char_count,
    d.document_text,
    c.loaded_at
from described as c
join {{ ref('stg_documents__documents') }} as d using (document_id)
{% if is_incremental() %}
where c.document_id in (
    select document_id from (
        select * from described
        except
        select document_id, file_path, title, article_count, newspaper, publication_date,
               publication_date_precision, is_publication_date_estimated, sha256, encoding,
               char_count, loaded_at
        from {{ this }}
    )
)
{% endif %}
