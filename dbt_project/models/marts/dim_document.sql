-- One row per distinct document text that was loaded.
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
)

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
    d.document_text,
    d.loaded_at
from {{ ref('stg_documents__documents') }} as d
left join articles as a using (document_id)
left join registry as r using (file_path)
