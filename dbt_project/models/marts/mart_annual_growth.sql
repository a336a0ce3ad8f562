-- One row per indicator, region and year for every level that has a growth-rate indicator
-- (growth_of in the indicator sheet): the level, the growth the documents report, and the
-- growth recomputed from the level of the year before. E.g. the per-capita net income of
-- the poverty-alleviated population: 11438 → 13233 → 15465 with +15.69 % and +16.8 %.
-- Several documents can state one year's figure: the row shows one, an exact figure before a
-- bounded one (余, 以上), a curated one before an extracted one, then the latest document;
-- statement_count says how many there were (fct_claim_check compares them).
{% set one_year_of_a_figure %}partition by indicator_code, region_code, year(period_end){% endset %}
{% set best_statement_first %}
    {{ one_year_of_a_figure }}
    order by qualifier = 'exact' desc, obtained_by = 'curated' desc,
             publication_date desc nulls last, observation_id
{% endset %}
with levels as (
    select *, year(period_end) as year,
           count(*) over ({{ one_year_of_a_figure }}) as statement_count
    from {{ ref('int_observations_described') }}
    where period_label = cast(year(period_end) as varchar)  -- a calendar year
      and indicator_code in (
          select related_indicator_code from {{ ref('dim_indicator') }} where relation = 'growth_of')
    qualify row_number() over ({{ best_statement_first }}) = 1
),

rates as (
    select i.related_indicator_code as indicator_code, o.region_code, year(o.period_end) as year,
           o.value as reported_growth_pct, o.quote as growth_quote
    from {{ ref('int_observations_described') }} as o
    join {{ ref('dim_indicator') }} as i using (indicator_code)
    where i.relation = 'growth_of' and o.period_label = cast(year(o.period_end) as varchar)
    qualify row_number() over ({{ best_statement_first }}) = 1
),

yearly as (
    select
        *,
        lag(value) over (partition by indicator_code, region_code order by year) as previous_value,
        lag(year) over (partition by indicator_code, region_code order by year) as previous_year
    from levels
)

select
    y.topic,
    y.indicator_code,
    y.indicator_name_zh,
    y.indicator_name_en,
    y.region_code,
    y.region_name_zh,
    cast(y.year as integer) as year,
    y.value,
    y.unit,
    cast(y.statement_count as integer) as statement_count,
    r.reported_growth_pct,
    case when y.previous_year = y.year - 1
        then round((y.value / y.previous_value - 1) * 100, 2) end as recomputed_growth_pct,
    case when y.previous_year = y.year - 1
        then round(r.reported_growth_pct - (y.value / y.previous_value - 1) * 100, 2) + 0.0  -- no -0.0
    end as growth_difference_pp,
    y.quote,
    r.growth_quote,
    y.document_title,
    y.publication_date,
    y.observation_id,
    y.document_id,
    y.sentence_id,
    y.article_id,
    y.article_headline
from yearly as y
left join rates as r using (indicator_code, region_code, year)
