-- Observations with the names an analyst reads: indicator, region, document. Actuals only:
-- targets and forecasts stay in fct_observation, flagged, and out of the topic marts.
select
    o.observation_id,
    o.obtained_by,
    i.topic,
    o.indicator_code,
    i.name_zh as indicator_name_zh,
    i.name_en as indicator_name_en,
    i.measure_type,
    o.region_code,
    r.name_zh as region_name_zh,
    r.region_level,
    o.period_label,
    o.period_start,
    o.period_end,
    o.is_cumulative,
    o.value,
    o.unit,
    o.qualifier,
    o.lower_bound,
    o.upper_bound,
    o.document_id,
    d.title as document_title,
    d.newspaper,
    o.publication_date,
    o.quote,
    o.sentence_id,
    o.article_id,
    a.headline as article_headline
from {{ ref('fct_observation') }} as o
join {{ ref('dim_indicator') }} as i using (indicator_code)
left join {{ ref('dim_region') }} as r using (region_code)
left join {{ ref('dim_document') }} as d using (document_id)
-- article_id comes with the observation (fct_observation): no join with the two million
-- sentences of dim_sentence for it
left join {{ ref('dim_article') }} as a using (article_id)
where not o.is_target and not o.is_forecast
