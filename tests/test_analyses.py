"""The analysts' queries in dbt_project/analyses/: each one run on the seeds' published snapshot.

An analysis is plain SQL (no Jinja) that analysts paste into `wumeng sql --file`, the DuckDB
CLI or a BI tool, so it is run here exactly as written, through the same read-only
connection. Every analysis needs an entry in analyses/_analyses.yml and a check below that
asserts what it answers on the seeds: a new .sql without both fails
test_every_analysis_is_documented_and_checked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date

import pytest
import yaml

from pipelines.settings import DBT_PROJECT_DIR
from pipelines.warehouse import connect_published

ANALYSES_DIR = DBT_PROJECT_DIR / "analyses"
ANALYSES = sorted(path.stem for path in ANALYSES_DIR.glob("*.sql"))
JINJA = re.compile(r"\{\{|\{%|\{#")

Rows = list[dict]
Query = Callable[..., list[tuple]]
CHECKS: dict[str, Callable[[Rows, Query], None]] = {}


def checks(name: str):
    """Register the check of analyses/<name>.sql."""
    def register(check):
        CHECKS[name] = check
        return check
    return register


def run_analysis(published, name: str) -> Rows:
    sql = (ANALYSES_DIR / f"{name}.sql").read_text(encoding="utf-8")
    with connect_published(published) as con:
        assert len(con.extract_statements(sql)) == 1, f"{name}.sql should be one statement"
        cursor = con.execute(sql)
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]


def documented_analyses() -> list[str]:
    properties = yaml.safe_load((ANALYSES_DIR / "_analyses.yml").read_text(encoding="utf-8"))
    assert properties["version"] == 2
    return [entry["name"] for entry in properties["analyses"] if entry.get("description")]


@pytest.mark.parametrize("name", ANALYSES)
def test_analysis_answers_its_question_on_the_seeds(seeded, name):
    published = seeded[0].settings.published_db
    assert name in CHECKS, f"analyses/{name}.sql has no check in tests/test_analyses.py"

    def query(sql: str, parameters: list | None = None) -> list[tuple]:
        with connect_published(published) as con:
            return con.execute(sql, parameters).fetchall()

    rows = run_analysis(published, name)
    assert rows, f"{name}.sql returns no rows on the seeds"
    CHECKS[name](rows, query)


def test_every_analysis_is_documented_and_checked():
    assert ANALYSES, "no analyses in dbt_project/analyses"
    assert sorted(documented_analyses()) == ANALYSES, \
        "every analysis needs a name and description in analyses/_analyses.yml"
    assert sorted(CHECKS) == ANALYSES, "every analysis needs a check in tests/test_analyses.py"
    for name in ANALYSES:
        sql = (ANALYSES_DIR / f"{name}.sql").read_text(encoding="utf-8")
        assert sql.startswith("-- Question:"), f"{name}.sql should open with the question it answers"
        assert not JINJA.search(sql), f"{name}.sql should be plain SQL, without Jinja"
        assert not re.search(r"\bwumeng\s*\.", sql), \
            f"{name}.sql should name tables unqualified (the catalog is the release file's name)"


def test_dbt_parses_the_analyses(seeded):
    """The refresh parses the dbt project; the manifest it writes holds every analysis."""
    from pipelines.dbt_project import dbt_project

    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    for name in ANALYSES:
        node = manifest["nodes"].get(f"analysis.wumeng.{name}")
        assert node is not None, f"dbt does not see analyses/{name}.sql"
        assert node["resource_type"] == "analysis"
        assert node["description"], f"analysis {name} has no description in dbt docs"
        assert node["raw_code"].strip() == \
            (ANALYSES_DIR / f"{name}.sql").read_text(encoding="utf-8").strip()


def source_of(query: Query, observation_id: str) -> tuple[str, str, str]:
    """The headline of the article an observation's sentence belongs to, the sentence, and the
    page's first headline: where a row of an analysis should say its figure comes from."""
    [source] = query(
        "select a.headline, s.sentence_text, d.title from fct_observation as o "
        "join dim_sentence as s using (sentence_id) "
        "join dim_article as a on a.article_id = s.article_id "
        "join dim_document as d on d.document_id = o.document_id "
        "where o.observation_id = ?", [observation_id])
    return source


@checks("income_trend")
def check_income_trend(rows: Rows, query: Query) -> None:
    assert [(row["year"], row["value"]) for row in rows] == [
        (2021, 11438.0), (2022, 13233.0), (2023, 15465.0)]
    assert [(row["reported_growth_pct"], row["recomputed_growth_pct"]) for row in rows] == [
        (15.53, None), (15.69, 15.69), (16.8, 16.87)]
    for row in rows:
        written = f"{row['value']:.0f}"
        assert written in row["quote"] and written in row["growth_quote"]
        assert row["quote"] in row["sentence"] and f"{row['year']}年" in row["sentence"]
        assert (row["region_name_zh"], row["region_name_pinyin"], row["unit"]) == (
            "昭通市", "Zhaotong Shi", "元")
        assert row["indicator_name_zh"] == "脱贫人口和“三类对象”人均纯收入"
        assert (row["article_headline"], row["newspaper"], row["file_path"]) == (
            "脱贫群众持续增收的“昭通答卷”", "昭通日报", "002_c24e9d97611dbda4.txt")
        # The headline and the sentence are those of the figure's own observation.
        headline, sentence, page_title = source_of(query, row["observation_id"])
        assert (row["article_headline"], row["sentence"], row["document_title"]) == (
            headline, sentence, page_title)
        assert row["publication_date"] == date(2024, 1, 1) and row["is_publication_date_estimated"]
    assert rows[-1]["quote"] == "脱贫人口和“三类对象”人均纯收入15465元"
    assert rows[-1]["growth_quote"] == "人均纯收入15465元，同比增长16.8%"


@checks("employment_by_county")
def check_employment_by_county(rows: Rows, query: Query) -> None:
    counties = query("select region_code, name_zh from dim_region where region_level = 'county' "
                     "and parent_region_code = '530600' order by region_code")
    assert len(counties) == 11
    areas = list(dict.fromkeys((row["area_code"], row["area_name_zh"]) for row in rows))
    assert areas == [("530600", "昭通市"), *counties], "the city first, then every county in code order"

    # Counties the documents give no figure for keep one empty row each.
    empty = [row for row in rows if not row["has_figures"]]
    assert sorted(row["area_name_zh"] for row in empty) == sorted(
        ["昭阳区", "鲁甸县", "盐津县", "永善县", "绥江县", "威信县", "水富市"])
    assert all(row["indicator_code"] is None and row["value"] is None for row in empty)

    figures = {(row["area_name_zh"], row["place_name_zh"], row["indicator_code"]): row
               for row in rows if row["has_figures"]}
    assert len(figures) == len(rows) - len(empty), "one row per area, place and indicator"
    assert all(row["quote"] and row["period_label"] and row["article_headline"] for row in figures.values())
    for row in figures.values():
        # Each figure names the article it comes from: its own sentence's, not the page's.
        headline, sentence, page_title = source_of(query, row["observation_id"])
        assert (row["article_headline"], row["document_title"]) == (headline, page_title)
        assert row["quote"] in sentence

    def figure(area, place, indicator):
        row = figures[(area, place, indicator)]
        return row["value"], row["period_label"], row["quote"]

    # The city's returnees: 19.06万 entrepreneurs who brought 48万 people local employment.
    assert figure("昭通市", "昭通市", "RETURNEE_DRIVEN_LOCAL_EMPLOYMENT_CUM") == (
        480000.0, "../2025-11", "带动48万人就地就近就业")
    assert figures[("昭通市", "昭通市", "RETURNEE_DRIVEN_LOCAL_EMPLOYMENT_CUM")]["article_headline"] == \
        "48万群众家门口圆就业梦"
    assert figure("昭通市", "昭通市", "RETURNEE_ENTREPRENEURS_CUM") == (
        190600.0, "../2025-11", "昭通市累计引导19.06万人返乡入乡创业")
    # The latest period: 260万以上 is printed as of 2024-01 and as of 2025-11.
    assert figure("昭通市", "昭通市", "RURAL_LABOUR_EMPLOYED")[:2] == (2600000.0, "../2025-11")
    assert figures[("昭通市", "昭通市", "RURAL_LABOUR_EMPLOYED")]["qualifier"] == "ge"
    # 镇雄县: 8.12万 returnees, of whom 2.83万 started businesses and 5.29万 found work.
    assert figure("镇雄县", "镇雄县", "RETURNEE_ENTREPRENEURS_EMPLOYED_CUM") == (
        81200.0, "../2025-11", "全县累计回引8.12万人返乡创业就业")
    assert figure("镇雄县", "镇雄县", "RETURNEE_EMPLOYED_CUM")[0] == 52900.0
    assert figure("镇雄县", "镇雄县", "RETURNEE_ENTREPRENEURS_CUM")[0] == 28300.0
    # Figures of places inside a county are listed under it, as the place's.
    assert figure("巧家县", "幸福里社区", "LOCAL_EMPLOYMENT_ORGANISED") == (
        20000.0, "2024-07/2025-11", "组织就地就近就业2万人次")
    assert figures[("巧家县", "幸福里社区", "LOCAL_EMPLOYMENT_ORGANISED")]["place_level"] == "community"
    assert figure("大关县", "靖安新区", "RELOCATED_WORKSHOP_EMPLOYED")[:2] == (120.0, "../2025-07")
    assert figure("彝良县", "发界安置区", "RELOCATED_WORKSHOP_EMPLOYED")[0] == 400.0
    assert {area for area, _, _ in figures} == {"昭通市", "巧家县", "大关县", "镇雄县", "彝良县"}

    # Each figure is the latest value of mart_latest_value for its indicator and place.
    latest = {(code, region): (value, period) for code, region, value, period in query(
        "select indicator_code, region_code, value, period_label from mart_latest_value")}
    for row in figures.values():
        assert latest[(row["indicator_code"], row["place_code"])] == (row["value"], row["period_label"])
    # Every employment and returnee figure of the city and its counties is there.
    expected = query("""
        select count(*) from mart_latest_value
        where indicator_code in (select indicator_code from mart_employment_and_returnees)
          and region_code in (select region_code from dim_region
                              where region_code = '530600' or region_code like '5306%')""")
    assert sum(row["topic"] != "relocation" for row in figures.values()) == expected[0][0]


@checks("housing_fund_three_years")
def check_housing_fund_three_years(rows: Rows, query: Query) -> None:
    assert len(rows) == query("select count(*) from mart_housing_fund")[0][0] == 18
    assert len({row["indicator_code"] for row in rows}) == len(rows), "one row per indicator"
    # The three years the review covers: 2023, 2024 and 2025.
    years = {year for row in rows if row["from_year"] is not None
             for year in range(row["from_year"], row["to_year"] + 1)}
    assert years == {2023, 2024, 2025}
    assert {row["to_year"] for row in rows} == {2025}
    assert {row["years_covered"] for row in rows} == {3, None}

    by_code = {row["indicator_code"]: row for row in rows}

    def figure(code):
        row = by_code[code]
        return row["value_100m_yuan"], row["figure_kind"], row["figure_as_written"]

    assert figure("HPF_DEPOSITS_CUM") == (460.0, "level as of 2025-11", "突破460亿元")
    assert figure("HPF_DEPOSITS_NEW") == (126.0, "total over 2023/2025", "126亿元")
    assert figure("HPF_WITHDRAWALS") == (106.0, "total over 2023/2025", "106亿元")
    assert figure("HPF_WITHDRAWALS_RENT") == (6.8, "total over 2023/2025", "6.8亿元")
    assert figure("HPF_LOANS_ISSUED") == (66.0, "total over 2023/2025", "66亿元")
    assert figure("HPF_VALUE_ADDED_INCOME_ANNUAL_AVG") == (2.0, "yearly average over 2023/2025", "2亿元以上")
    growth = by_code["HPF_DEPOSITS_CUM_GROWTH"]
    assert (growth["value"], growth["figure_kind"], growth["from_year"]) == (37.8, "growth since 2022 (%)", 2023)
    assert by_code["HPF_DEPOSITORS"]["value"] == 240000.0 and by_code["HPF_DEPOSITORS"]["qualifier"] == "gt"
    assert by_code["HPF_DEPOSITORS_NET_CHANGE"]["figure_kind"] == "change since 2022"
    assert by_code["HPF_LOAN_RATIO"]["figure_kind"] == "kept over 2023/2025"
    for row in rows:
        assert row["figure_as_written"] in row["quote"]
        # The fund's article, the second on its page (not the page's first headline).
        assert (row["region_name_zh"], row["article_headline"], row["document_title"]) == (
            "昭通市", "砥砺奋进铸华章 安居惠民谱新篇", "48万群众家门口圆就业梦")
        headline, sentence, page_title = source_of(query, row["observation_id"])
        assert (row["article_headline"], row["document_title"]) == (headline, page_title)
        assert row["quote"] in sentence
    # In the order the article tells them: deposits, depositors, withdrawals, loans, the rest.
    order = [row["indicator_code"] for row in rows]
    assert order[0] == "HPF_DEPOSITS_CUM"
    assert (order.index("HPF_DEPOSITS_NEW") < order.index("HPF_DEPOSITORS")
            < order.index("HPF_WITHDRAWALS") < order.index("HPF_LOANS_ISSUED")
            < order.index("HPF_FUND_SAFETY_RATE"))


@checks("failing_claims")
def check_failing_claims(rows: Rows, query: Query) -> None:
    marts = {check_id: (status, reported, expected, tolerance, quotes)
             for check_id, status, reported, expected, tolerance, quotes in query(
                 "select check_id, status, reported, expected, tolerance, quotes "
                 "from fct_claim_check where status <> 'pass'")}
    observations = {observation_id: (indicator, period, value, quote)
                    for observation_id, indicator, period, value, quote in query(
                        "select observation_id, indicator_code, period_label, value, quote "
                        "from fct_observation")}
    assert len(rows) == len(marts) == query(
        "select count(*) from fct_claim_check where status <> 'pass'")[0][0] == 6
    assert {row["check_id"] for row in rows} == set(marts)
    assert {row["status"] for row in rows} <= {"warn", "fail"}
    statuses = [row["status"] for row in rows]
    assert statuses == sorted(statuses, key=lambda status: status != "fail"), "failures first"

    for row in rows:
        status, reported, expected, tolerance, quotes = marts[row["check_id"]]
        assert (row["status"], row["reported"], row["expected"], row["tolerance"]) == (
            status, reported, expected, tolerance)
        # The figure checked is the check's own: its indicator, period and reported value.
        checked = row["reported_observation_id"]
        assert observations[checked][:3] == (row["indicator_code"], row["period_label"], row["reported"])
        # The quotes side by side: the figure checked, then the others in the order of
        # observation_ids, each the words of its own observation.
        assert row["reported_quote"] == observations[checked][3]
        others = [observation_id for observation_id in row["observation_ids"] if observation_id != checked]
        assert len(others) == len(row["observation_ids"]) - 1
        assert row["related_quotes"] == [observations[other][3] for other in others]
        assert row["related_figures"] == [
            f"{observations[other][0]} {observations[other][1]} = {observations[other][2]}"
            for other in others]
        assert sorted([row["reported_quote"], *row["related_quotes"]]) == sorted(quotes)
        assert row["indicator_name_zh"] and row["region_name_zh"] == "昭通市"

    by_check = {(row["check_type"], row["indicator_code"], row["period_label"]): row for row in rows}
    # 106亿 withdrawn, of which 6.8亿 for rent and 70余万 for home purchase: far short of 106亿.
    withdrawals = by_check[("component_sum", "HPF_WITHDRAWALS", "2023/2025")]
    assert (withdrawals["status"], withdrawals["reported"], withdrawals["expected"]) == ("warn", 1.06e10, 6.807e8)
    assert withdrawals["reported_quote"] == "累计为职工办理提取公积金106亿元"
    assert withdrawals["related_quotes"] == ["其中租房提取6.8亿元", "购房消费类提取70余万元"]
    assert withdrawals["times_tolerance"] > 5
    # 86.9% printed as 2023's rate in 2024 and as 2025's rate in 2025.
    rate = by_check[("same_value_other_period", "RURAL_LABOUR_EMPLOYMENT_RATE", "2023")]
    assert rate["reported_quote"] == "就业率达86.9%"
    assert rate["related_quotes"] == ["就业率达2020年的82.6%提升至2025年的86.9%"]
    assert rate["times_tolerance"] is None
    assert set(by_check) == {
        ("component_sum", "HPF_WITHDRAWALS", "2023/2025"),
        ("component_sum", "LOW_INCOME_ELIMINATED_BELOW_10000", "2023"),
        ("component_sum", "RURAL_LABOUR_EMPLOYED", "../2025-11"),
        ("component_sum", "RURAL_LABOUR_FORCE", "../2025-11"),
        ("same_value_other_period", "RURAL_LABOUR_EMPLOYED", "../2024-01"),
        ("same_value_other_period", "RURAL_LABOUR_EMPLOYMENT_RATE", "2023"),
    }
