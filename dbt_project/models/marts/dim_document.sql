-- One row per distinct document text that was loaded.
with articles as (
    select
        document_id,
        count(*) as article_count,
        arg_min(headline, article_index) as first_headline
    from {{ ref('stg_documents__articles') }}
    group by all
)

select
    d.document_id,
    d.file_path,
    a.first_headline as title,
    coalesce(a.article_count, 0) as article_count,
    d.sha256,
    d.encoding,
    d.char_count,
    d.document_text,
    d.loaded_at
from {{ ref('stg_documents__documents') }} as d
left join articles as a using (document_id)
