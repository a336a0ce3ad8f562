-- One row per period that a figure refers to or is compared with: years, halves,
-- quarters, months, days, spans (2021/2025-11) and "as of" dates (../2025-11).
{{ config(**written_by_difference('period_label')) }}
with labels as (
    select period_label as label from {{ ref('stg_documents__mentions') }}
    union
    select base_period_label from {{ ref('stg_documents__mentions') }}
    union
    select period_label from {{ ref('stg_sheets__observations') }}
)

select
    label as period_label,
    {{ period_kind('label') }} as period_kind,
    {{ period_start('label') }} as start_date,
    {{ period_end('label') }} as end_date,
    cast(year({{ period_end('label') }}) as integer) as end_year
from labels
where label is not null
