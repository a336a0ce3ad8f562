-- Question: what do the documents say about employment and returnees in each county of
-- Zhaotong, and in the city as a whole? (就业与返乡创业就业，分县区)
-- Figures: every indicator of mart_employment_and_returnees (employment, labour transfer,
-- returnees, returnee entrepreneurship, recruitment) plus the employment of relocated people
-- (易地搬迁劳动力就业: RELOCATED_LABOUR_EMPLOYED and its components), the latest period per
-- indicator and place (mart_latest_value: actuals only, no targets or forecasts).
-- One row: one figure of one place, under its area: the city itself (昭通市, only figures
-- about the whole city) or one of its eleven county-level divisions (县/区/市), holding the
-- figures of the county and of the townships, villages, communities and sites inside it
-- (place_* says which; a community's figure is not a county total).
-- Counties with no figure are kept on purpose: one row each with has_figures = false and the
-- figure columns null, so a gap in the documents shows instead of a county going missing.
-- Caveats: figures about places outside the city (Shanghai, Guangdong …) or with no place
-- are left out; the same indicator at two places of one county is two rows, not a sum;
-- article_headline is the headline of the figure's own article (document_title is the
-- page's first headline), null for a figure whose quote no sentence holds.
with recursive

areas as (
    select region_code as area_code, name_zh as area_name_zh, name_pinyin as area_name_pinyin,
           region_level as area_level
    from dim_region
    where region_code = '530600'  -- 昭通市
       or (region_level = 'county' and parent_region_code = '530600')
),

-- Every region with each of its ancestors (itself included), up the parent chain.
ancestry (region_code, ancestor_code, depth) as (
    select region_code, region_code, 0 from dim_region
    union all
    select a.region_code, r.parent_region_code, a.depth + 1
    from ancestry as a
    join dim_region as r on r.region_code = a.ancestor_code
    where r.parent_region_code is not null and a.depth < 10
),

-- The area a place falls in: its county, or the city for the city itself.
place_area as (
    select a.region_code, ar.area_code
    from ancestry as a
    join areas as ar on ar.area_code = a.ancestor_code
    qualify row_number() over (
        partition by a.region_code order by ar.area_level = 'county' desc) = 1
),

employment_indicators as (
    select distinct indicator_code from mart_employment_and_returnees
    union
    select indicator_code from dim_indicator
    where indicator_code = 'RELOCATED_LABOUR_EMPLOYED'
       or (relation = 'component_of' and related_indicator_code = 'RELOCATED_LABOUR_EMPLOYED')
),

figures as (
    select pa.area_code, v.*
    from mart_latest_value as v
    join place_area as pa using (region_code)
    where v.indicator_code in (select indicator_code from employment_indicators)
)

select
    ar.area_code,
    ar.area_name_zh,
    ar.area_name_pinyin,
    ar.area_level,
    f.indicator_code is not null as has_figures,
    f.region_code as place_code,
    f.region_name_zh as place_name_zh,
    p.name_pinyin as place_name_pinyin,
    f.region_level as place_level,
    f.topic,
    f.indicator_code,
    f.indicator_name_zh,
    f.indicator_name_en,
    f.period_label,
    f.period_end,
    f.value,
    f.unit,
    f.qualifier,
    f.lower_bound,
    f.upper_bound,
    f.obtained_by,
    f.quote,
    f.article_headline,
    f.document_title,
    f.publication_date,
    f.document_id,
    f.observation_id
from areas as ar
left join figures as f using (area_code)
left join dim_region as p on p.region_code = f.region_code
order by
    ar.area_level = 'city' desc,
    ar.area_code,
    f.region_code = ar.area_code desc,  -- the area's own figures before its places'
    f.region_code,
    f.topic,
    f.indicator_code
