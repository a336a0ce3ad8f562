-- Question: how has the per-capita net income of people lifted out of poverty grown, year by
-- year? (脱贫人口人均纯收入; the documents state it for 脱贫人口和“三类对象”, the
-- poverty-alleviated and the monitored population together.)
-- One row: one year's level for one place, with the growth the document reports beside the
-- growth recomputed from the year before, the words and the full sentence the level stands
-- in, and the article and document it comes from.
-- Caveats: the first year has no recomputed growth (no level for the year before it);
-- publication dates of the seed pages are estimated (is_publication_date_estimated);
-- article_headline is the headline of the figure's own article (document_title is the
-- page's first headline); sentence and article_headline are null for a figure whose quote
-- no sentence holds.
-- Plain SQL, no Jinja: run it with `wumeng sql --file`, the DuckDB CLI or a BI tool.
select
    y.region_code,
    y.region_name_zh,
    r.name_pinyin as region_name_pinyin,
    y.indicator_code,
    y.indicator_name_zh,
    y.indicator_name_en,
    y.year,
    y.value,
    y.unit,
    y.reported_growth_pct,
    y.recomputed_growth_pct,
    y.growth_difference_pp,
    y.statement_count,
    y.quote,
    y.growth_quote,
    s.sentence_text as sentence,
    y.article_headline,
    y.document_title,
    d.newspaper,
    y.publication_date,
    d.is_publication_date_estimated,
    d.file_path,
    y.document_id,
    y.observation_id
from mart_annual_growth as y
left join dim_sentence as s on s.sentence_id = y.sentence_id
left join dim_document as d on d.document_id = y.document_id
left join dim_region as r on r.region_code = y.region_code
where y.indicator_code = 'POVERTY_ALLEVIATED_INCOME_PER_CAPITA'
order by y.region_code, y.year
