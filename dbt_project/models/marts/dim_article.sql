-- One row per article. A file may hold several (seed 000 holds two; seed 002 an article
-- and a signed commentary).
{{ config(**written_by_difference('article_id')) }}
with blocks as (
    select
        document_id,
        article_index,
        count(*) filter (where block_kind = 'paragraph') as paragraph_count,
        count(*) filter (where block_kind = 'heading') as heading_count,
        count(*) filter (where block_kind = 'caption') as caption_count,
        count(*) filter (where block_kind = 'note') as note_count,
        count(*) filter (where is_repaired) as repaired_paragraph_count,
        count(*) filter (where is_truncated) as truncated_paragraph_count
    from {{ ref('stg_documents__blocks') }}
    group by all
),

sentences as (
    select document_id, article_index, count(*) as sentence_count
    from {{ ref('stg_documents__sentences') }}
    group by all
),

documents as (
    select document_id, file_path from {{ ref('stg_documents__documents') }}
),

-- The registry names an article by its file and title (the headline as printed).
registry as (
    select * from {{ ref('stg_sheets__documents') }}
)

select
    a.article_id,
    a.document_id,
    a.article_index,
    a.headline,
    a.subtitle,
    a.byline,
    a.authors,
    a.author_roles,
    r.newspaper,
    r.publication_date,
    r.publication_date_precision,
    r.is_publication_date_estimated,
    r.publication_date_basis,
    r.title is not null as is_registered,
    a.start_offset,
    a.end_offset,
    coalesce(b.paragraph_count, 0) as paragraph_count,
    coalesce(b.heading_count, 0) as heading_count,
    coalesce(b.caption_count, 0) as caption_count,
    coalesce(b.note_count, 0) as note_count,
    coalesce(b.repaired_paragraph_count, 0) as repaired_paragraph_count,
    coalesce(b.truncated_paragraph_count, 0) as truncated_paragraph_count,
    coalesce(s.sentence_count, 0) as sentence_count
from {{ ref('stg_documents__articles') }} as a
left join blocks as b using (document_id, article_index)
left join sentences as s using (document_id, article_index)
left join documents as d using (document_id)
left join registry as r on r.file_path = d.file_path and r.title = a.headline
