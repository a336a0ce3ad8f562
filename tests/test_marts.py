"""Issue 6 (first increment): fct_observation, dim_period and the claim checks."""

from __future__ import annotations

from pipelines.warehouse import connect_published

SEED_000 = "000_e7477d3aa7d3b9e2.txt"


def query(settings, sql: str):
    with connect_published(settings.published_db) as con:
        return con.execute(sql).fetchall()


def checks(settings, where: str):
    return query(settings, f"""
        select check_type, indicator_code, period_label, round(reported, 2), round(expected, 2), status
        from fct_claim_check where {where} order by check_type, period_label""")


def test_the_seeds_real_claims_are_checked(seeded):
    settings = seeded[0].settings
    # 8.12万 = 2.83万 + 5.29万
    assert checks(settings, "indicator_code = 'RETURNEE_ENTREPRENEURS_EMPLOYED_CUM'") == [
        ("component_sum", "RETURNEE_ENTREPRENEURS_EMPLOYED_CUM", "../2025-11", 81200.0, 81200.0, "pass")]
    # income 11438 → 13233 → 15465 with +15.69% and +16.8%
    assert checks(settings, "indicator_code = 'POVERTY_ALLEVIATED_INCOME_PER_CAPITA_GROWTH'") == [
        ("growth_from_levels", "POVERTY_ALLEVIATED_INCOME_PER_CAPITA_GROWTH", "2022", 15.69, 15.69, "pass"),
        ("growth_from_levels", "POVERTY_ALLEVIATED_INCOME_PER_CAPITA_GROWTH", "2023", 16.8, 16.87, "pass")]
    # 突破460亿, 较3年前增长37.8%, 过去3年新增126亿: 126 / (460 - 126) = 37.7%
    assert checks(settings, "indicator_code = 'HPF_DEPOSITS_CUM_GROWTH'") == [
        ("growth_from_change", "HPF_DEPOSITS_CUM_GROWTH", "../2025-11", 37.8, 37.72, "pass")]
    # 突破24万 depositors, 净增6.5万, 增幅35%: consistent only because 突破 is a lower bound
    [(_, _, _, reported, expected, status)] = checks(settings, "indicator_code = 'HPF_DEPOSITORS_GROWTH'")
    assert (reported, expected, status) == (35.0, 37.14, "pass")
    # 260万 and 86.9% printed by both documents, two years apart
    assert {row[1] for row in checks(settings, "check_type = 'same_value_other_period'")} == {
        "RURAL_LABOUR_EMPLOYED", "RURAL_LABOUR_EMPLOYMENT_RATE"}
    assert {row[5] for row in checks(settings, "check_type = 'same_value_other_period'")} == {"warn"}


def test_observations_carry_bounds_and_their_source(seeded):
    settings = seeded[0].settings
    assert query(settings, """
        select obtained_by, value, qualifier, lower_bound, upper_bound, is_cumulative, period_end
        from fct_observation where indicator_code = 'HPF_DEPOSITS_CUM'""") == [
        ("curated", 46e9, "gt", 46e9, None, True, __import__("datetime").date(2025, 11, 30))]
    assert query(settings, "select count(*), count(distinct obtained_by) from fct_observation") == [(95, 1)]


def test_a_corrupted_figure_makes_its_claim_check_fail(workspace):
    # A paper that printed 3.83万 entrepreneurs where it meant 2.83万: 3.83 + 5.29 > 8.12.
    document = workspace.settings.documents_dir / SEED_000
    document.write_text(document.read_text(encoding="utf-8").replace("其中创业2.83万人", "其中创业3.83万人"),
                        encoding="utf-8")
    sheet = workspace.settings.sheets_dir / "observations.csv"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("28300,人,exact,false,000_e7477d3aa7d3b9e2.txt,其中创业2.83万人",
                                                               "38300,人,exact,false,000_e7477d3aa7d3b9e2.txt,其中创业3.83万人")
                     .replace("其中创业2.83万人，就业5.29万人", "其中创业3.83万人，就业5.29万人"), encoding="utf-8")
    summary = workspace.refresh()
    assert summary.success, summary.failures  # a failing claim is a finding, not a broken pipeline
    assert checks(workspace.settings, "indicator_code = 'RETURNEE_ENTREPRENEURS_EMPLOYED_CUM'") == [
        ("component_sum", "RETURNEE_ENTREPRENEURS_EMPLOYED_CUM", "../2025-11", 81200.0, 91200.0, "fail")]


def test_a_new_article_is_mapped_to_indicators_and_checked(workspace):
    (workspace.settings.documents_dir / "2025_income.txt").write_text(
        "昭通脱贫群众收入再创新高\n\n记者 王明\n\n"
        "2024年，昭通全市脱贫人口和“三类对象”人均纯收入17000元，同比增长9.9%。\n", encoding="utf-8")
    assert workspace.refresh().success
    assert query(workspace.settings, """
        select obtained_by, indicator_code, region_code, period_label, value
        from fct_observation where obtained_by = 'extracted' order by value""") == [
        ("extracted", "POVERTY_ALLEVIATED_INCOME_PER_CAPITA", "530600", "2024", 17000.0)]


def test_more_than_x_is_checked_against_the_exact_figure_of_the_same_fact(workspace):
    # 以上 13000 agrees with 13233; 超过 16000 cannot be the 15465 another page printed.
    (workspace.settings.documents_dir / "2024_income_review.txt").write_text(
        "昭通脱贫群众收入回顾\n\n记者 王明\n\n"
        "2022年，昭通全市脱贫人口和“三类对象”人均纯收入1.3万元以上。"
        "2023年，昭通全市脱贫人口和“三类对象”人均纯收入超过16000元。\n", encoding="utf-8")
    assert workspace.refresh().success
    assert checks(workspace.settings, "check_type = 'bounds_agree'") == [
        ("bounds_agree", "POVERTY_ALLEVIATED_INCOME_PER_CAPITA", "2022", 13233.0, 13000.0, "pass"),
        ("bounds_agree", "POVERTY_ALLEVIATED_INCOME_PER_CAPITA", "2023", 15465.0, 16000.0, "fail")]
    [(quotes,)] = query(workspace.settings, """
        select quotes from fct_claim_check where check_type = 'bounds_agree' and status = 'fail'""")
    assert any("超过16000元" in quote for quote in quotes)
    assert any("15465元" in quote for quote in quotes)


def test_the_income_trend_is_one_select_with_reported_and_recomputed_growth(seeded):
    assert query(seeded[0].settings, """
        select year, value, reported_growth_pct, recomputed_growth_pct, growth_difference_pp
        from mart_annual_growth where topic = 'poverty_income' and region_code = '530600'
        order by year""") == [
        (2021, 11438.0, 15.53, None, None),
        (2022, 13233.0, 15.69, 15.69, 0.0),
        (2023, 15465.0, 16.8, 16.87, -0.07)]


def test_latest_values_and_topic_marts_lead_back_to_their_quotes(seeded):
    settings = seeded[0].settings
    assert query(settings, """
        select period_label, value, qualifier, quote from mart_latest_value
        where indicator_code = 'HPF_DEPOSITORS' and region_code = '530600'""") == [
        ("../2025-11", 240000.0, "gt", "全市缴存职工总数突破24万人")]
    topics = dict(query(settings, """
        select 'housing_fund', count(*) from mart_housing_fund
        union all select 'employment', count(*) from mart_employment_and_returnees"""))
    assert topics["housing_fund"] >= 15 and topics["employment"] >= 20
    assert query(settings, """
        select count(*) from mart_housing_fund where position(cast(cast(value as bigint) as varchar)
        in replace(quote, '.', '')) = 0 and quote not like '%万%' and quote not like '%亿%'""") == [(0,)]


def test_topic_marts_name_the_figures_own_article_and_keep_its_keys(seeded):
    settings = seeded[0].settings
    # The housing fund article is the second on its page: the page's title is another's.
    assert query(settings, "select distinct article_headline, document_title from mart_housing_fund") == [
        ("砥砺奋进铸华章 安居惠民谱新篇", "48万群众家门口圆就业梦")]
    assert query(settings, """
        select g.year, o.value, s.sentence_text like '%' || g.quote || '%', g.article_headline
        from mart_annual_growth as g
        join fct_observation as o using (observation_id)
        join dim_sentence as s on s.sentence_id = g.sentence_id
        where g.topic = 'poverty_income' order by g.year""") == [
        (year, value, True, "脱贫群众持续增收的“昭通答卷”")
        for year, value in ((2021, 11438.0), (2022, 13233.0), (2023, 15465.0))]
    assert query(settings, """
        select count(*) from mart_latest_value as v join fct_observation as o using (observation_id)
        where o.value <> v.value or o.document_id <> v.document_id""") == [(0,)]


def test_claim_check_quotes_line_up_with_their_observations(seeded):
    rows = query(seeded[0].settings, """
        select c.check_id, i, c.quotes[i] = o.quote
        from fct_claim_check as c, range(1, len(c.observation_ids) + 1) as t(i)
        join fct_observation as o on o.observation_id = c.observation_ids[i]""")
    assert len(rows) > 20 and all(aligned for _, _, aligned in rows)
    # The case that went wrong: ids not in text order (the total comes last; "…:10" < "…:9").
    assert query(seeded[0].settings, "select count(*) from fct_claim_check "
                                     "where observation_ids <> list_sort(observation_ids)")[0][0] > 0


def test_a_figure_outside_any_article_keeps_its_ids_and_date(workspace):
    # A photo caption before the page's first headline belongs to no article.
    (workspace.settings.documents_dir / "page.txt").write_text(
        "\n\n\n（本版图片由县融媒体中心提供）\n\n\n\n全县5000亩茶园喜获丰收。\n\n\n\n"
        "# 永善茶叶产值突破3亿元\n\n记者 张三\n\n今年，全县茶叶产值突破3亿元。\n", encoding="utf-8")
    (workspace.settings.sheets_dir / "documents.csv").open("a", encoding="utf-8").write(
        "page.txt,永善茶叶产值突破3亿元,昭通日报,2025-06,estimated,a test page,张三,\n")
    assert workspace.refresh().success
    assert query(workspace.settings, """
        select mention_id like '%:-:s0:m0', sentence_id is not null, article_id, publication_date
        from fct_mention where mention_text = '5000亩'""") == [
        (True, True, None, __import__("datetime").date(2025, 6, 1))]
