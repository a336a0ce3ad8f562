-- publication_date is written at the precision known: 2025, 2025-11 or 2025-11-03.
select
    file as file_path,
    title,
    newspaper,
    cast(case length(publication_date)
        when 4 then publication_date || '-01-01'
        when 7 then publication_date || '-01'
        else publication_date end as date) as publication_date,
    case length(publication_date) when 4 then 'year' when 7 then 'month' else 'day' end
        as publication_date_precision,
    publication_date as publication_date_as_written,
    date_status = 'estimated' as is_publication_date_estimated,
    nullif(date_basis, '') as publication_date_basis,
    {{ split_list('authors') }} as authors,
    nullif(notes, '') as notes,
    cast(row_number as integer) as sheet_row_number,
    loaded_at
from {{ source('sheets', 'sheet_documents') }}
