-- Question: what did the housing provident fund (住房公积金) achieve over the three years the
-- articles review: deposits collected (归集), depositors (缴存职工), withdrawals (提取),
-- loans (贷款) and the fund's other figures?
-- One row: one indicator for one place and period, in the order the article tells them.
-- Caveat: the documents give three-year totals (过去3年, 3年来: period 2023/2025), levels as
-- of the publication month (截至目前: ../2025-11) and changes against three years before
-- (较3年前: base period 2022), not one figure per calendar year, so there is no year-by-year
-- split: from_year and to_year say which years each figure covers, figure_kind how to read
-- it, and figure_as_written the words of the paper (突破460亿元). "The three years" are the
-- last three calendar years the fund's figures reach. Some labels are the analysts' reading
-- of the text: 贷款总额突破300亿元 is a stock the sheet dates 2023/2025 (see its notes).
-- article_headline is the headline of the figure's own article (document_title is the
-- page's first headline, which may be another article's).
with fund as (
    select
        h.*,
        o.mention_id,
        o.start_offset,
        m.base_period_label,
        bp.end_year as base_year,
        m.mention_text
    from mart_housing_fund as h
    join fct_observation as o using (observation_id)  -- its mention and place in the text
    left join fct_mention as m using (mention_id)
    left join dim_period as bp on bp.period_label = m.base_period_label
),

described as (
    select
        *,
        case
            when base_year is not null then base_year + 1  -- a change since the base period
            when period_start is not null then year(period_start)
        end as from_year,
        year(period_end) as to_year
    from fund
)

select
    d.region_code,
    d.region_name_zh,
    r.name_pinyin as region_name_pinyin,
    d.indicator_code,
    d.indicator_name_zh,
    d.indicator_name_en,
    d.measure_type,
    d.period_label,
    d.from_year,
    d.to_year,
    d.to_year - d.from_year + 1 as years_covered,
    case
        when d.base_period_label is not null and d.measure_type = 'rate'
            then 'growth since ' || d.base_period_label || ' (%)'
        when d.base_period_label is not null then 'change since ' || d.base_period_label
        when d.indicator_name_zh like '%年均%' then 'yearly average over ' || d.period_label
        when d.measure_type in ('share', 'rate') and not d.is_cumulative
            then 'kept over ' || d.period_label
        when d.is_cumulative then 'level as of ' || replace(d.period_label, '../', '')
        when d.measure_type = 'stock' then 'level at the end of ' || d.period_label
        else 'total over ' || d.period_label
    end as figure_kind,
    d.value,
    d.unit,
    case when d.unit = '元' then round(d.value / 1e8, 4) end as value_100m_yuan,  -- 亿元
    d.qualifier,
    d.lower_bound,
    d.upper_bound,
    d.mention_text as figure_as_written,
    d.quote,
    d.obtained_by,
    d.article_headline,
    d.document_title,
    d.publication_date,
    d.document_id,
    d.observation_id
from described as d
left join dim_region as r on r.region_code = d.region_code
where d.to_year > (select max(year(period_end)) from mart_housing_fund) - 3
order by d.region_code, d.publication_date, d.document_id, d.start_offset nulls last, d.indicator_code
