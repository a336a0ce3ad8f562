"""Indicator pages: a small static site of a published release, rebuilt with every publish.

`index.html` lists the topics and indicators with each one's latest value; a page per
indicator (`indicators/<code>.html`) charts its values over time and across places, lists
every observation with its document, date and quote, and the claim checks that involve it; a
page per place (`places/<code>.html`: the city and each county-level division) lists its
latest figures; `findings.html` lists every check that warns or fails, its quotes side by
side. Plain HTML, inline SVG and one stylesheet: no script, and no address outside the site,
so the pages work opened from disk, served by `wumeng serve-pages`, and printed.

Free of Dagster: `render_site` writes the pages from a connection; `publish_site` builds them
from a release into a hidden folder beside it and swaps the `<warehouse>/pages` symlink to
them in one rename, the way releases are published, so a page open in a browser never links
to half a site.
"""

from __future__ import annotations

import functools
import hashlib
import html
import http.server
import math
import os
import re
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from pipelines.warehouse import Release, connect_published, swap_symlink

CITY_CODE = "530600"  # 昭通市: its page and the county-level divisions under it
MAX_OBSERVATIONS_PER_PAGE = 500  # the most recent; the page says how to query the rest
MAX_FIGURES_PER_PLACE = 500
MAX_FINDINGS = 1000
SITE_PREFIX = "pages-"  # releases/<name>/pages-<digest of the site>/

# The browser itself refuses anything but this site's own stylesheet, whatever the data holds.
CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self' data:; "
                           "base-uri 'none'; form-action 'none'")

TOPICS = {
    "employment": "就业 Employment",
    "returnees": "返乡 Returnees",
    "entrepreneurship": "创业 Entrepreneurship",
    "labour_transfer": "劳动力转移 Labour transfer",
    "poverty_income": "脱贫人口收入 Income of the poverty-alleviated",
    "relocation": "易地搬迁 Relocation",
    "housing_fund": "住房公积金 Housing provident fund",
    "agriculture": "农业 Agriculture",
    "recruitment": "招聘 Recruitment",
    "tourism": "旅游 Tourism",
    "investment": "投资 Investment",
    "population": "人口 Population",
}
MEASURE_TYPES = {"stock": "存量 stock", "flow": "流量 flow", "rate": "增速 rate",
                 "share": "占比 share", "count": "计数 count"}
RELATIONS = {"component_of": "组成部分 component of", "growth_of": "增速 growth of",
             "change_of": "增量 change of", "share_of": "占比 share of"}
# The same relations seen from the indicator they refer to.
RELATED_BY = {"component_of": "分项 component", "growth_of": "增速 growth rate",
              "change_of": "增量 change", "share_of": "占比 share"}
QUALIFIERS = {"exact": "确数 exact", "approx": "约、近 about", "gt": "余、超过 more than",
              "ge": "以上 at least", "lt": "不足 less than", "le": "以下、以内 at most"}
STATUSES = {"fail": "不符 fail", "warn": "存疑 warn", "pass": "相符 pass"}
CHECK_TYPES = {
    "component_sum": "分项之和 Components against their total",
    "growth_from_levels": "增速与两年水平 Growth against its two levels",
    "growth_from_change": "增速与增量 Growth against the change and the level",
    "share_of_total": "占比与部分/总数 Share against part over total",
    "bounds_agree": "同一事实的界限 Two statements of one fact",
    "same_value_other_period": "不同时期同一数值 Same value for another period",
}
# What each figure of a check is, position by position (fct_claim_check.observation_ids).
CHECK_ROLES = {
    "growth_from_levels": ("增速 growth", "本期水平 level", "上期水平 level a year before"),
    "growth_from_change": ("增速 growth", "增量 change", "水平 level"),
    "share_of_total": ("占比 share", "部分 part", "总数 total"),
    "bounds_agree": ("陈述一 statement", "陈述二 statement"),
    "same_value_other_period": ("陈述一 statement", "陈述二 statement"),
}
REGION_LEVELS = {"province": "省 province", "city": "市 city", "county": "县级 county level",
                 "township": "乡镇 township", "village": "村 village",
                 "community": "社区 community", "place": "地点 place"}

# The order that "most recent" means, everywhere: the period ending last, then the latest
# publication; observation_id makes it total, so a site is the same bytes when built again.
RECENT_FIRST = "period_end desc nulls last, publication_date desc nulls last, observation_id"
CHECK_ORDER = ("case status when 'fail' then 0 when 'warn' then 1 else 2 end, check_type, "
               "indicator_code, region_code, period_label, check_id")

# Each region's page: its own (the city or a county-level division), or that of the nearest
# such region above it (a village's county).
PAGE_OF_REGION = f"""
recursive place_pages as (
    select region_code from dim_region
    where region_code = '{CITY_CODE}' or region_level = 'county'
),
ancestry(region_code, ancestor_code, depth) as (
    select region_code, region_code, 0 from dim_region
    union all
    select a.region_code, r.parent_region_code, a.depth + 1
    from ancestry a join dim_region r on r.region_code = a.ancestor_code
    where r.parent_region_code is not null and a.depth < 12  -- a loop in the sheet ends here
),
page_of_region as (
    select a.region_code, a.ancestor_code as page_code
    from ancestry a join place_pages p on p.region_code = a.ancestor_code
    qualify row_number() over (partition by a.region_code order by a.depth) = 1
)"""

SHOWN_OBSERVATIONS = f"""
ranked_observations as (
    select *,
           row_number() over (partition by indicator_code order by {RECENT_FIRST}) as recency,
           count(*) over (partition by indicator_code) as indicator_total
    from fct_observation
),
shown_observations as (
    select * from ranked_observations where recency <= {MAX_OBSERVATIONS_PER_PAGE}
)"""

INDICATORS_SQL = f"""
with counts as (
    select indicator_code, count(*) as observation_count,
           count(distinct region_code) as place_count
    from fct_observation group by indicator_code
),
headline as (  -- the city's figure when there is one, else the most recent
    select * from mart_latest_value
    qualify row_number() over (
        partition by indicator_code
        order by region_code = '{CITY_CODE}' desc nulls last, {RECENT_FIRST}) = 1
)
select i.indicator_code, i.name_zh, i.name_en, coalesce(i.topic, 'other') as topic, i.unit,
       i.measure_type, i.relation, i.related_indicator_code, i.notes,
       coalesce(c.observation_count, 0) as observation_count,
       coalesce(c.place_count, 0) as place_count,
       h.value, h.qualifier, h.lower_bound, h.upper_bound, h.period_label,
       h.region_code, h.region_name_zh
from dim_indicator i left join counts c using (indicator_code)
left join headline h using (indicator_code)
order by topic, i.indicator_code"""

OBSERVATIONS_SQL = f"""
with {PAGE_OF_REGION},
{SHOWN_OBSERVATIONS}
select o.indicator_code, o.indicator_total, o.observation_id, o.obtained_by, o.region_code,
       g.name_zh as region_name_zh, g.name_pinyin as region_name_pinyin, p.page_code,
       o.period_label, o.period_start, o.period_end, o.value, o.unit, o.qualifier,
       o.lower_bound, o.upper_bound, o.is_target, o.is_forecast, o.quote, o.document_id,
       d.title as document_title, d.file_path, d.newspaper, o.publication_date,
       d.publication_date_precision
from shown_observations o
left join dim_region g using (region_code)
left join page_of_region p using (region_code)
left join dim_document d using (document_id)
order by o.indicator_code, o.recency"""

# The checks some page shows: the findings (the first MAX_FINDINGS that do not pass) and every
# check of an observation an indicator page shows; one row per figure of each check.
CHECKS_SQL = f"""
with {SHOWN_OBSERVATIONS},
figures as (
    select check_id, unnest(observation_ids) as observation_id, unnest(quotes) as quote,
           generate_subscripts(observation_ids, 1) as position
    from fct_claim_check
),
findings as (
    select check_id from fct_claim_check where status <> 'pass'
    order by {CHECK_ORDER} limit {MAX_FINDINGS}
),
wanted as (
    select check_id from findings
    union
    select f.check_id from figures f join shown_observations s using (observation_id)
)
select c.check_id, c.check_type, c.indicator_code, c.region_code,
       r.name_zh as region_name_zh, c.period_label, c.status, c.reported, c.expected,
       c.expected_low, c.expected_high, c.difference, c.tolerance, c.explanation,
       c.check_id in (select check_id from findings) as is_finding,
       f.position, f.observation_id, f.quote, o.indicator_code as figure_indicator_code,
       o.value as figure_value, o.unit as figure_unit, o.period_label as figure_period_label,
       fr.name_zh as figure_region_name_zh, d.title as document_title, d.file_path,
       o.publication_date, d.publication_date_precision
from wanted w
join fct_claim_check c using (check_id)
join figures f using (check_id)
left join fct_observation o on o.observation_id = f.observation_id
left join dim_region r on r.region_code = c.region_code
left join dim_region fr on fr.region_code = o.region_code
left join dim_document d on d.document_id = o.document_id
order by {CHECK_ORDER}, f.position"""

CHECK_COUNTS_SQL = "select status, count(*) from fct_claim_check group by status"

PLACES_SQL = f"""
select region_code, name_zh, name_pinyin, region_level, parent_region_code
from dim_region where region_code = '{CITY_CODE}' or region_level = 'county'
order by region_code <> '{CITY_CODE}', region_code"""

PLACE_FIGURES_SQL = f"""
with {PAGE_OF_REGION},
figures as (
    select p.page_code, l.*, g.name_pinyin as region_name_pinyin,
           row_number() over (partition by p.page_code
                              order by l.topic, l.indicator_code,
                                       l.region_code <> p.page_code, l.region_code) as position,
           count(*) over (partition by p.page_code) as place_total
    from mart_latest_value l
    join page_of_region p using (region_code)
    left join dim_region g using (region_code)
)
select f.*, d.file_path, d.publication_date_precision
from figures f left join dim_document d using (document_id)
where position <= {MAX_FIGURES_PER_PLACE}
order by page_code, position"""


# ---- rendering ---------------------------------------------------------------------------------

esc = html.escape


def _records(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def render_site(con: duckdb.DuckDBPyConnection, out: Path, release_name: str) -> int:
    """Write the site of the marts `con` reads into the folder `out`; returns the pages written.

    Six queries in all (about one per kind of page), whatever the size of the corpus; the
    same marts always give the same bytes."""
    indicators = _records(con, INDICATORS_SQL)
    observations = _records(con, OBSERVATIONS_SQL)
    checks = _checks(_records(con, CHECKS_SQL))
    check_counts = dict(con.execute(CHECK_COUNTS_SQL).fetchall())
    places = _records(con, PLACES_SQL)
    place_figures = _records(con, PLACE_FIGURES_SQL)

    writer = _SiteWriter(out, release_name, {i["indicator_code"]: i for i in indicators},
                         {p["region_code"] for p in places})
    (out / "indicators").mkdir(parents=True, exist_ok=True)
    (out / "places").mkdir(exist_ok=True)
    (out / "style.css").write_text(STYLESHEET, encoding="utf-8")
    writer.write("index.html", "乌蒙 Wumeng", _index(writer, indicators, places, check_counts))
    findings = [check for check in checks.values() if check["is_finding"]]
    writer.write("findings.html", "发现 Findings", _findings(writer, findings, check_counts))

    by_indicator = _group(observations, "indicator_code")
    checks_of_observation: dict[str, list[dict]] = {}
    for check in checks.values():
        for figure in check["figures"]:
            checks_of_observation.setdefault(figure["observation_id"], []).append(check)
    for indicator in indicators:
        code = indicator["indicator_code"]
        writer.write(f"indicators/{_file_name(code)}.html", indicator["name_zh"] or code,
                   _indicator(writer, indicator, by_indicator.get(code, []), checks_of_observation))
    figures_by_place = _group(place_figures, "page_code")
    for place in places:
        code = place["region_code"]
        writer.write(f"places/{_file_name(code)}.html", place["name_zh"],
                   _place(writer, place, places, figures_by_place.get(code, [])))
    return writer.pages_written


def _group(rows: Iterable[dict], key: str) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row[key], []).append(row)
    return grouped


def _checks(rows: list[dict]) -> dict[str, dict]:
    """One entry per check, in CHECK_ORDER, with its figures in the order of observation_ids."""
    checks: dict[str, dict] = {}
    for row in rows:
        check = checks.setdefault(row["check_id"], {**row, "order": len(checks), "figures": []})
        check["figures"].append(row)
    return checks


def _file_name(code: str) -> str:
    """Codes are validated by the sheets ([0-9A-Za-z_]); anything else gets a hash, never a path."""
    if re.fullmatch(r"[0-9A-Za-z_]+", code):
        return code
    return "x" + hashlib.sha256(code.encode()).hexdigest()[:16]


@dataclass
class _SiteWriter:
    """Writes the pages of one site and links between them."""

    out: Path
    release_name: str
    indicators: dict[str, dict]
    place_codes: set[str]
    pages_written: int = 0

    def write(self, path: str, title: str, body: str) -> None:
        root = "../" * path.count("/")
        (self.out / path).write_text(_page(title, root, body, self.release_name), encoding="utf-8")
        self.pages_written += 1

    def indicator_link(self, root: str, code: str | None, anchor: str = "") -> str:
        if code is None:
            return "—"
        indicator = self.indicators.get(code)
        name = indicator["name_zh"] if indicator and indicator["name_zh"] else code
        return (f'<a href="{root}indicators/{_file_name(code)}.html{esc(anchor)}">{esc(name)}</a>'
                if indicator else esc(code))

    def place_link(self, root: str, name_zh: str | None, page_code: str | None) -> str:
        if name_zh is None:
            return '<span class="muted">未注明 no place</span>'
        if page_code in self.place_codes:
            return f'<a href="{root}places/{_file_name(page_code)}.html">{esc(name_zh)}</a>'
        return esc(name_zh)


def _page(title: str, root: str, body: str, release_name: str) -> str:
    return f"""<!doctype html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">
<title>{esc(title)} · 乌蒙 Wumeng</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{root}style.css">
</head>
<body>
<nav><a href="{root}index.html">指标 Indicators</a> <a href="{root}index.html#places">地区 Places</a>
<a href="{root}findings.html">发现 Findings</a></nav>
<main>
{body}
</main>
<footer>乌蒙 Wumeng · 数据版本 release {esc(release_name)} ·
由已发布的数据仓库生成 built from the published warehouse ·
查询全部数据 query everything with <code>wumeng sql</code></footer>
</body>
</html>
"""


# ---- values as people read them -----------------------------------------------------------------

def _number(value: float | None) -> str:
    if value is None:
        return "—"
    if not math.isfinite(value):
        return str(value)
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    if abs(value) >= 1:
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:.3g}"


def _compact(value: float) -> str:
    """460亿, 19.06万: how the papers write large figures."""
    for size, suffix in ((1e8, "亿"), (1e4, "万")):
        if abs(value) >= size:
            return f"{value / size:.4g}{suffix}"
    return _number(value)


def _value(value: float | None, unit: str | None) -> str:
    if value is None:
        return "—"
    compact = f' <span class="compact">({esc(_compact(value))})</span>' if abs(value) >= 1e4 else ""
    return f"{_number(value)}{compact} {esc(unit or '')}".rstrip()


def _range(lower: float | None, upper: float | None) -> str:
    if lower is not None and upper is not None:
        return f"{_number(lower)} – {_number(upper)}"
    if lower is not None:
        return f"≥ {_number(lower)}"
    return f"≤ {_number(upper)}" if upper is not None else "?"


def _bounds(qualifier: str | None, lower: float | None, upper: float | None) -> str:
    label = esc(QUALIFIERS.get(qualifier, qualifier or ""))
    if lower is not None and lower == upper:
        return label
    return f'{label}<br><span class="muted">{_range(lower, upper)}</span>'


def _period(label: str | None) -> str:
    if label is None:
        return '<span class="muted">未注明 none</span>'
    if label.startswith("../"):
        return f"截至 as of {esc(label[3:])}"
    return esc(label.replace("/", " – "))


def _date(day: date | None, precision: str | None) -> str:
    if day is None:
        return "日期不详 undated"
    return {"year": f"{day:%Y}", "month": f"{day:%Y-%m}"}.get(precision or "day", day.isoformat())


def _document(row: dict) -> str:
    day, precision = row["publication_date"], row["publication_date_precision"]
    title = row["document_title"] or row["file_path"] or "—"
    return (f'{esc(title)}<br><span class="muted">{_date(day, precision)} · '
            f'{esc(row["file_path"] or "")}</span>')


def _kind(observation: dict) -> str:
    if observation["is_target"]:
        return "target"
    return "forecast" if observation["is_forecast"] else "actual"


KINDS = {"actual": "实际 actual", "target": "目标 target", "forecast": "预测 forecast"}
OBTAINED_BY = {"curated": "人工核实 curated", "extracted": "自动提取 extracted"}


def _head(*columns: str) -> str:
    cells = "".join(f'<th class="num">{c[1:]}</th>' if c.startswith(">") else f"<th>{c}</th>"
                    for c in columns)  # ">…": a column of figures, right-aligned
    return f"<thead><tr>{cells}</tr></thead>"


def _figure_cells(row: dict) -> str:
    """The value and what the paper's words allow: a row of fct_observation or mart_latest_value."""
    return (f'<td class="num value">{_value(row["value"], row["unit"])}</td>'
            f'<td>{_bounds(row["qualifier"], row["lower_bound"], row["upper_bound"])}</td>')


def _source_cells(row: dict) -> str:
    return (f'<td class="quote"><q>{esc(row["quote"])}</q></td>'
            f'<td class="document">{_document(row)}</td>')


def _more(shown: int, total: int, sql: str) -> str:
    if total <= shown:
        return ""
    return (f'<p class="more">另有 {total - shown:,} 条未列出 {total - shown:,} more are not '
            f'shown (the first {shown:,} are). 全部 All of them: '
            f'<code>wumeng sql "{esc(sql)}"</code></p>')


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _label(labels: dict[str, str], key: str | None) -> str:
    return esc(labels.get(key, key or "—"))


# ---- the pages ---------------------------------------------------------------------------------

def _index(writer: _SiteWriter, indicators: list[dict], places: list[dict],
           check_counts: dict[str, int]) -> str:
    observed = sum(i["observation_count"] for i in indicators)
    order = list(TOPICS)  # the catalogue's order of topics; unknown ones last
    topics = dict(sorted(_group(indicators, "topic").items(), key=lambda item: (
        order.index(item[0]) if item[0] in order else len(order), item[0])))
    parts = [
        '<h1>乌蒙 昭通市统计指标 <span class="en">Wumeng: statistics of Zhaotong</span></h1>',
        f'<p class="lead">{len(indicators)} 个指标 indicators · {observed:,} 条观测 observations · '
        f'<a href="findings.html">{check_counts.get("fail", 0)} 项不符 failing, '
        f'{check_counts.get("warn", 0)} 项存疑 warning claim checks</a> · '
        f'数据版本 release {esc(writer.release_name)}</p>',
        '<p class="toc">' + " · ".join(
            f'<a href="#topic-{esc(topic)}">{_label(TOPICS, topic)}</a>' for topic in topics)
        + ' · <a href="#places">地区 Places</a></p>',
    ]
    for topic, members in topics.items():
        parts.append(f'<h2 id="topic-{esc(topic)}">{_label(TOPICS, topic)}</h2><table>'
                     + _head("指标 Indicator", ">最新值 Latest value", "时期 Period",
                             "地区 Place", ">观测 Observations") + "<tbody>")
        for i in members:
            if i["value"] is None:  # only targets or forecasts so far
                latest = '<td class="num muted">无实际值 no actual value</td><td></td>'
            else:
                latest = (f'<td class="num">{_value(i["value"], i["unit"])} '
                          f'{_qualifier_sign(i["qualifier"])}</td>'
                          f'<td>{_period(i["period_label"])}</td>')
            others = (f' <span class="muted">+{i["place_count"] - 1} 地 places</span>'
                      if i["place_count"] > 1 else "")
            parts.append(
                f'<tr><td>{writer.indicator_link("", i["indicator_code"])}<br>'
                f'<span class="en">{esc(i["name_en"] or "")}</span></td>{latest}'
                f'<td>{esc(i["region_name_zh"] or "")}{others}</td>'
                f'<td class="num">{i["observation_count"]:,}</td></tr>')
        parts.append("</tbody></table>")
    parts.append('<h2 id="places">地区 Places</h2><ul class="places">')
    for place in places:
        parts.append(f'<li><a href="places/{_file_name(place["region_code"])}.html">'
                     f'{esc(place["name_zh"])}</a> '
                     f'<span class="en">{esc(place["name_pinyin"] or "")}</span></li>')
    parts.append("</ul>")
    return "\n".join(parts)


def _qualifier_sign(qualifier: str | None) -> str:
    sign = {"approx": "≈", "gt": "&gt;", "ge": "≥", "lt": "&lt;", "le": "≤"}.get(qualifier or "")
    return (f'<span class="muted" title="{_label(QUALIFIERS, qualifier)}">({sign})</span>'
            if sign else "")


def _indicator(writer: _SiteWriter, indicator: dict, observations: list[dict],
               checks_of_observation: dict[str, list[dict]]) -> str:
    root = "../"
    code, topic = indicator["indicator_code"], indicator["topic"]
    facts = [f"代码 Code <code>{esc(code)}</code>", f"单位 Unit {esc(indicator['unit'] or '—')}",
             f"类型 Measure {_label(MEASURE_TYPES, indicator['measure_type'])}"]
    if indicator["relation"]:
        facts.append(f"{_label(RELATIONS, indicator['relation'])} "
                     f"{writer.indicator_link(root, indicator['related_indicator_code'])}")
    facts += [f"{_label(RELATED_BY, other['relation'])} "
              f"{writer.indicator_link(root, other['indicator_code'])}"
              for other in writer.indicators.values() if other["related_indicator_code"] == code]
    parts = [
        f'<p class="crumbs"><a href="../index.html#topic-{esc(topic)}">{_label(TOPICS, topic)}'
        f'</a></p>',
        f'<h1>{esc(indicator["name_zh"] or code)} '
        f'<span class="en">{esc(indicator["name_en"] or "")}</span></h1>',
        '<p class="facts">' + " · ".join(facts) + "</p>",
    ]
    if indicator["notes"]:
        parts.append(f'<p class="notes">{esc(indicator["notes"])}</p>')
    total = observations[0]["indicator_total"] if observations else 0
    parts.append("<h2>走势 Over time and across places</h2>"
                 + _chart(observations, indicator["unit"]))
    parts.append(f'<h2>观测 Observations <span class="en">({total:,})</span></h2>')
    if not observations:
        parts.append('<p class="muted">暂无观测 No observation yet.</p>')
        return "\n".join(parts)
    parts.append(_more(len(observations), total,
                       "select period_label, region_code, value, unit, qualifier, is_target, "
                       "is_forecast, quote, document_id from fct_observation where "
                       f"indicator_code = {_sql_text(code)} order by {RECENT_FIRST}"))
    parts.append('<table class="observations">'
                 + _head("时期 Period", "地区 Place", ">数值 Value", "限定 Qualifier", "类别 Kind",
                         "出处 Quote", "文档 Document", "核对 Checks") + "<tbody>")
    for o in observations:
        observation_id = esc(o["observation_id"])
        badges = " ".join(f'<a class="status {c["status"]}" href="#check-{esc(c["check_id"])}">'
                          f'{_label(STATUSES, c["status"])}</a>'
                          for c in checks_of_observation.get(o["observation_id"], []))
        parts.append(
            f'<tr id="obs-{observation_id}" data-observation-id="{observation_id}">'
            f'<td>{_period(o["period_label"])}</td>'
            f'<td>{writer.place_link(root, o["region_name_zh"], o["page_code"])}</td>'
            f'{_figure_cells(o)}<td>{KINDS[_kind(o)]}<br>'
            f'<span class="muted">{_label(OBTAINED_BY, o["obtained_by"])}</span></td>'
            f'{_source_cells(o)}<td>{badges}</td></tr>')
    parts.append("</tbody></table>")
    involved = {c["check_id"]: c for o in observations
                for c in checks_of_observation.get(o["observation_id"], [])}
    if involved:
        parts.append(f'<h2>核对 Claim checks <span class="en">({len(involved)})</span></h2>')
        parts += [_check(writer, root, check)
                  for check in sorted(involved.values(), key=lambda c: c["order"])]
    return "\n".join(parts)


def _check(writer: _SiteWriter, root: str, check: dict) -> str:
    """A claim check with its figures side by side: the same block on the findings page and on
    the page of each indicator it involves."""
    status, check_type = check["status"], check["check_type"]
    figures = []
    for index, figure in enumerate(check["figures"]):
        if check_type == "component_sum":  # the components, then the total
            role = "合计 total" if index == len(check["figures"]) - 1 else "分项 component"
        else:
            roles = CHECK_ROLES.get(check_type, ())
            role = roles[index] if index < len(roles) else ""
        link = writer.indicator_link(root, figure["figure_indicator_code"],
                                   "#obs-" + figure["observation_id"])
        figures.append(
            f'<figure class="figure"><figcaption><span class="role">{esc(role)}</span> {link}<br>'
            f'<b>{_value(figure["figure_value"], figure["figure_unit"])}</b> · '
            f'{_period(figure["figure_period_label"])} · '
            f'{esc(figure["figure_region_name_zh"] or "")}</figcaption>'
            f'<blockquote>{esc(figure["quote"] or "")}</blockquote>'
            f'<p class="source">{_document(figure)}</p></figure>')
    allowed = ""
    if check["expected_low"] is not None or check["expected_high"] is not None:
        allowed = (f' <span class="muted">(允许 allowed '
                   f'{_range(check["expected_low"], check["expected_high"])})</span>')
    return (
        f'<section class="check {esc(status)}" id="check-{esc(check["check_id"])}">'
        f'<h3><span class="status {esc(status)}">{_label(STATUSES, status)}</span> '
        f'{_label(CHECK_TYPES, check_type)}</h3>'
        f'<p class="about">{writer.indicator_link(root, check["indicator_code"])} · '
        f'{esc(check["region_name_zh"] or "")} · {_period(check["period_label"])}</p>'
        f'<p class="figures">报道 reported <b>{_number(check["reported"])}</b> · '
        f'重算 expected <b>{_number(check["expected"])}</b>{allowed} · '
        f'相差 difference {_number(check["difference"])} · '
        f'容差 tolerance {_number(check["tolerance"])}</p>'
        f'<p class="explanation">{esc(check["explanation"] or "")}</p>'
        f'<div class="side-by-side">{"".join(figures)}</div></section>')


def _findings(writer: _SiteWriter, findings: list[dict], check_counts: dict[str, int]) -> str:
    failing, warning = check_counts.get("fail", 0), check_counts.get("warn", 0)
    parts = [
        '<h1>发现 Findings <span class="en">claims of the documents that do not hold</span></h1>',
        f'<p class="lead">{failing} 项不符 failing · {warning} 项存疑 warning · '
        f'{check_counts.get("pass", 0)} 项相符 passing claim checks. '
        '新闻数字经过取整，每项核对都有容差；不符之处是供分析员核实的线索，不是数据管道的错误。 '
        '<span class="en">News figures are rounded, so each check has a tolerance; a finding is '
        'for an analyst to look into, not a pipeline failure.</span></p>',
        _more(len(findings), failing + warning,
              "select check_type, indicator_code, region_code, period_label, status, reported, "
              "expected, explanation, quotes from fct_claim_check where status <> 'pass' "
              f"order by {CHECK_ORDER}"),
    ]
    if not findings:
        parts.append('<p class="muted">所有核对均相符 Every claim check passes.</p>')
    parts += [_check(writer, "", check) for check in findings]
    return "\n".join(parts)


def _place(writer: _SiteWriter, place: dict, places: list[dict], figures: list[dict]) -> str:
    root = "../"
    code = place["region_code"]

    def link(p: dict) -> str:
        return f'<a href="{_file_name(p["region_code"])}.html">{esc(p["name_zh"])}</a>'

    facts = [f"代码 Code <code>{esc(code)}</code>", _label(REGION_LEVELS, place["region_level"])]
    facts += [f"上级 within {link(p)}" for p in places
              if p["region_code"] == place["parent_region_code"]]
    parts = [f'<h1>{esc(place["name_zh"])} '
             f'<span class="en">{esc(place["name_pinyin"] or "")}</span></h1>',
             '<p class="facts">' + " · ".join(facts) + "</p>"]
    below = [link(p) for p in places if p["parent_region_code"] == code]
    if below:
        parts.append('<p class="toc">县级行政区 County-level divisions: '
                     + " · ".join(below) + "</p>")
    total = figures[0]["place_total"] if figures else 0
    parts.append(f'<h2>最新数字 Latest figures <span class="en">({total:,})</span></h2>')
    if not figures:
        parts.append('<p class="muted">文档中暂无此地的数字 '
                     'The documents give no figure for this place yet.</p>')
        return "\n".join(parts)
    parts.append(_more(len(figures), total,
                       "with recursive inside(region_code) as (select "
                       f"{_sql_text(code)} union all select r.region_code from dim_region r join "
                       "inside i on r.parent_region_code = i.region_code) select * from "
                       "mart_latest_value where region_code in (select region_code from inside) "
                       "order by topic, indicator_code"))
    parts.append("<table>" + _head("指标 Indicator", "地区 Place", "时期 Period",
                                   ">最新值 Latest value", "限定 Qualifier", "出处 Quote",
                                   "文档 Document") + "<tbody>")
    for f in figures:
        source = writer.indicator_link(root, f["indicator_code"], "#obs-" + f["observation_id"])
        parts.append(
            f'<tr><td>{source}<br><span class="en">{esc(f["indicator_name_en"] or "")}'
            f'</span></td><td>{esc(f["region_name_zh"] or "")}</td>'
            f'<td>{_period(f["period_label"])}</td>{_figure_cells(f)}{_source_cells(f)}</tr>')
    parts.append("</tbody></table>")
    return "\n".join(parts)


# ---- the chart: inline SVG ---------------------------------------------------------------------

WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 70, 16, 24, 34
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000")
OTHER_PLACES = "#8c8c8c"
ARROW = 22  # px of the line that shows an open bound (余, 以上; 不足, 以下)
SPAN_SWATCH = '<line x1="1" x2="15" y1="8" y2="8" stroke="#444" stroke-width="3"/>'


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "target":  # a hollow diamond
        shape = f"M{x:.1f},{y - 6:.1f}L{x + 6:.1f},{y:.1f}L{x:.1f},{y + 6:.1f}L{x - 6:.1f},{y:.1f}Z"
    elif kind == "forecast":  # a hollow triangle
        shape = f"M{x:.1f},{y - 6:.1f}L{x + 5.5:.1f},{y + 4:.1f}L{x - 5.5:.1f},{y + 4:.1f}Z"
    else:
        return f'<circle class="point actual" cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}"/>'
    return (f'<path class="point {kind}" d="{shape}" fill="#fff" stroke="{colour}" '
            f'stroke-width="2"/>')


def _range_bar(x: float, top: float, bottom: float, colour: str) -> str:
    """Both bounds (约, a range): a bar with caps."""
    return (f'<path class="bound range" d="M{x:.1f},{top:.1f}V{bottom:.1f}M{x - 4:.1f},{top:.1f}'
            f'H{x + 4:.1f}M{x - 4:.1f},{bottom:.1f}H{x + 4:.1f}" stroke="{colour}" fill="none"/>')


def _open_bound(x: float, y: float, end: float, colour: str) -> str:
    """One bound (余/以上: lower, drawn up; 不足/以下: upper, drawn down): a line, an arrowhead."""
    tip = 5 if end > y else -5
    return (f'<path class="bound open" d="M{x:.1f},{y:.1f}V{end:.1f}" stroke="{colour}" '
            f'fill="none"/><path class="bound-tip" d="M{x - 4:.1f},{end - tip:.1f}'
            f'L{x:.1f},{end:.1f}L{x + 4:.1f},{end - tip:.1f}Z" fill="{colour}"/>')


def _bound(o: dict, x: float, y_of: Callable[[float], float], colour: str) -> str:
    lower, upper = o["lower_bound"], o["upper_bound"]
    if lower is not None and upper is not None:
        return _range_bar(x, y_of(upper), y_of(lower), colour) if lower != upper else ""
    y = y_of(o["value"])
    if lower is not None:
        return _open_bound(x, y, max(TOP, y - ARROW), colour)
    return _open_bound(x, y, min(HEIGHT - BOTTOM, y + ARROW), colour) if upper is not None else ""


def _nice_step(span: float) -> float:
    magnitude = 10 ** math.floor(math.log10(span))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= span)


def _is_span(o: dict) -> bool:
    label = o["period_label"] or ""
    return o["period_start"] is not None and "/" in label and not label.startswith("..")


def _place_name(o: dict) -> str:
    return o["region_name_zh"] or "未注明地区"


def _chart(observations: list[dict], unit: str | None) -> str:
    """Values over time, a colour per place; actuals joined by a line, targets and forecasts
    hollow and apart; bounds as bars (约: both ends) or arrows (余/以上 up, 不足/以下 down)."""
    dated = sorted((o for o in observations if o["period_end"] is not None),
                   key=lambda o: (o["period_end"], o["observation_id"]))
    undated = len(observations) - len(dated)
    if not dated:
        return ('<p class="muted">没有注明时期的观测，无法作图 '
                'No observation states a period, so there is nothing to chart.</p>')

    def when(o: dict) -> float:  # a period's middle; an as-of figure at its date
        end = o["period_end"].toordinal()
        return (o["period_start"].toordinal() + end) / 2 if o["period_start"] else end

    first_year = min((o["period_start"] or o["period_end"]).year for o in dated)
    last_year = max(o["period_end"].year for o in dated)
    day0, day1 = date(first_year, 1, 1).toordinal(), date(last_year + 1, 1, 1).toordinal()
    values = [v for o in dated for v in (o["value"], o["lower_bound"], o["upper_bound"])
              if v is not None]
    low, high = min(0.0, min(values)), max(values)
    step = _nice_step((high - low) / 5 or abs(high) or 1)
    y_low = math.floor(low / step) * step
    y_high = max(math.ceil((high + (high - low) * .04) / step) * step, y_low + step)

    def x_of(day: float) -> float:
        return LEFT + (day - day0) / (day1 - day0) * (WIDTH - LEFT - RIGHT)

    def y_of(value: float) -> float:
        return TOP + (y_high - value) / (y_high - y_low) * (HEIGHT - TOP - BOTTOM)

    # A colour for each of the places with the most observations; the rest share grey.
    counts: dict[str, int] = {}
    for o in dated:
        counts[_place_name(o)] = counts.get(_place_name(o), 0) + 1
    ranked = sorted(counts, key=lambda name: (-counts[name], name))
    colours = {name: PALETTE[i] if i < len(PALETTE) else OTHER_PLACES
               for i, name in enumerate(ranked)}

    grid = [f'<text x="{LEFT}" y="{TOP - 8}">单位 unit: {esc(unit or "—")}</text>']
    tick = y_low
    while tick <= y_high + step / 2:
        y = y_of(tick)
        grid.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" '
                    f'y2="{y:.1f}"/><text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
                    f'{esc(_compact(tick))}</text>')
        tick += step
    every = math.ceil((last_year - first_year + 1) / 12)  # at most a dozen year labels
    for year in range(first_year, last_year + 2):
        start, end = date(year, 1, 1).toordinal(), date(year + 1, 1, 1).toordinal()
        grid.append(f'<line class="grid" x1="{x_of(start):.1f}" x2="{x_of(start):.1f}" '
                    f'y1="{TOP}" y2="{HEIGHT - BOTTOM}"/>')
        if year <= last_year and (year - first_year) % every == 0:
            grid.append(f'<text x="{x_of((start + end) / 2):.1f}" y="{HEIGHT - BOTTOM + 18}" '
                        f'text-anchor="middle">{year}</text>')

    lines = []  # each place's actuals, spans left out: flows over years are not points in time
    for name in ranked:
        points = sorted((x_of(when(o)), y_of(o["value"])) for o in dated
                        if _place_name(o) == name and _kind(o) == "actual" and not _is_span(o))
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            lines.append(f'<polyline class="trend" points="{path}" stroke="{colours[name]}" '
                         f'fill="none"/>')

    marks = []
    for o in dated:
        colour, kind = colours[_place_name(o)], _kind(o)
        x, y = x_of(when(o)), y_of(o["value"])
        span = (f'<line class="span" x1="{x_of(o["period_start"].toordinal()):.1f}" '
                f'x2="{x_of(o["period_end"].toordinal() + 1):.1f}" y1="{y:.1f}" y2="{y:.1f}" '
                f'stroke="{colour}"/>' if _is_span(o) else "")
        title = (f'{_place_name(o)} · {o["period_label"]} · {_number(o["value"])} {o["unit"] or ""}'
                 f' ({KINDS[kind]}, {QUALIFIERS.get(o["qualifier"], "")}) · {o["quote"]}')
        marks.append(f'<g class="observation" data-observation-id="{esc(o["observation_id"])}">'
                     f'<title>{esc(title)}</title>{span}{_bound(o, x, y_of, colour)}'
                     f'{_marker(kind, x, y, colour)}</g>')

    svg = (f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
           f'aria-label="{len(dated)} observations over time" xmlns="http://www.w3.org/2000/svg">'
           f'<g class="axis">{"".join(grid)}</g>{"".join(lines)}{"".join(marks)}</svg>')
    note = (f'<p class="muted">另有 {undated} 条观测未注明时期，未作图 '
            f'{undated} observations state no period and are not drawn.</p>' if undated else "")
    return f'<figure class="chart">{svg}{_legend(dated, ranked, colours)}</figure>{note}'


def _legend(dated: list[dict], places: list[str], colours: dict[str, str]) -> str:
    def item(drawing: str, label: str) -> str:
        return (f'<li><svg class="swatch" viewBox="0 0 16 16" width="16" height="16">{drawing}'
                f'</svg> {label}</li>')

    items = []
    for name in places:
        if colours[name] == OTHER_PLACES:
            items.append(item(_marker("actual", 8, 8, OTHER_PLACES), "其他地区 other places"))
            break
        items.append(item(_marker("actual", 8, 8, colours[name]), esc(name)))
    kinds = {_kind(o) for o in dated}
    items += [item(_marker(kind, 8, 8, "#444"), KINDS[kind])
              for kind in ("actual", "target", "forecast") if kind in kinds]
    bounded = {(o["lower_bound"] is not None, o["upper_bound"] is not None) for o in dated
               if o["lower_bound"] != o["upper_bound"]}
    if (True, True) in bounded:
        items.append(item(_range_bar(8, 2, 14, "#444"),
                          "约、区间 about, a range: 上下界 lower and upper bound"))
    if (True, False) in bounded:
        items.append(item(_open_bound(8, 14, 2, "#444"),
                          "余、以上 more than, at least: 无上界 no upper bound"))
    if (False, True) in bounded:
        items.append(item(_open_bound(8, 2, 14, "#444"),
                          "不足、以下 less than, at most: 无下界 no lower bound"))
    if any(_is_span(o) for o in dated):
        items.append(item(SPAN_SWATCH, "跨年时期 a period of several years"))
    return f'<figcaption><ul class="legend">{"".join(items)}</ul></figcaption>'


# ---- publishing the site beside its release ---------------------------------------------------

@dataclass(frozen=True)
class Site:
    path: Path  # releases/<name>/pages-<digest>/
    page_count: int
    seconds: float
    is_new: bool  # False when the release already had these very pages (nothing changed)


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def publish_site(release: Release, link: Path) -> Site:
    """Build the pages of `release` (read-only, as any reader) beside it and point `link`
    (<warehouse>/pages) at them in one atomic rename.

    A site lives in its release's folder, so a rollback can show it again and pruning a
    release removes its pages. It is named by the digest of its files: the same release
    built again is the same folder, and the link does not move."""
    started = time.monotonic()
    folder = release.path.parent
    for leftover in folder.glob(f".{SITE_PREFIX}*.partial"):
        shutil.rmtree(leftover, ignore_errors=True)  # from a run killed mid-build
    partial = folder / f".{SITE_PREFIX}{os.getpid()}.partial"
    partial.mkdir()
    try:
        with connect_published(release.path) as con:
            page_count = render_site(con, partial, release.name)
        site = folder / f"{SITE_PREFIX}{_digest(partial)}"
        is_new = not site.exists()
        if is_new:
            os.replace(partial, site)  # whole, or not there at all
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    swap_symlink(link, os.path.relpath(site, link.parent))
    for older in folder.glob(f"{SITE_PREFIX}*"):
        if older != site:  # this release's pages built by an earlier version of Wumeng
            shutil.rmtree(older, ignore_errors=True)
    return Site(site, page_count, time.monotonic() - started, is_new)


def show_release_pages(release: Release, link: Path) -> Path | None:
    """Point `link` at the pages built from `release` (after a rollback); None if it has none."""
    sites = sorted(release.path.parent.glob(f"{SITE_PREFIX}*"))
    if not sites:
        return None
    swap_symlink(link, os.path.relpath(sites[-1], link.parent))
    return sites[-1]


def serve_pages(pages: Path, port: int, announce: Callable[[str], None]) -> None:
    """Serve `pages` on 127.0.0.1 until interrupted, logging each request to stderr. The
    folder is the symlink, followed on every request: a new publish is served at once."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(pages))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        announce(f"http://127.0.0.1:{server.server_port}/")
        server.serve_forever()


STYLESHEET = """\
:root { --ink: #1b1f24; --muted: #5b6470; --line: #d8dde3; --paper: #f6f8fa;
        --link: #0b5cad; --fail: #b42318; --warn: #a15c07; --pass: #067647; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.55 "Noto Sans CJK SC",
       "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif; }
a { color: var(--link); }
nav { display: flex; flex-wrap: wrap; gap: 1.4em; padding: .6em 1.5em; background: var(--paper);
      border-bottom: 1px solid var(--line); }
nav a { color: var(--ink); font-weight: 600; text-decoration: none; }
main { max-width: 1200px; margin: 0 auto; padding: .5em 1.5em 2em; }
footer { max-width: 1200px; margin: 0 auto; padding: 1em 1.5em 2em; color: var(--muted);
         font-size: .85em; border-top: 1px solid var(--line); }
h1 { font-size: 1.6em; margin: .5em 0 .2em; }
h2 { font-size: 1.2em; margin: 1.6em 0 .4em; }
h3 { font-size: 1em; margin: 0 0 .3em; }
.en, .muted, .crumbs { color: var(--muted); font-weight: 400; }
.compact { color: var(--muted); font-size: .85em; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .88em;
       background: var(--paper); padding: .05em .3em; border-radius: 3px; word-break: break-all; }
table { width: 100%; border-collapse: collapse; margin: .4em 0 1.2em; font-size: .92em; }
th, td { padding: .35em .5em; border-bottom: 1px solid var(--line); text-align: left;
         vertical-align: top; }
th { background: var(--paper); white-space: nowrap; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
td.quote { min-width: 14em; }
tr:target, .check:target { background: #fff8c5; }
.places { columns: 3 14em; }
.status { display: inline-block; padding: 0 .45em; border-radius: 3px; color: #fff;
          font-size: .82em; font-weight: 600; text-decoration: none; white-space: nowrap; }
.status.fail { background: var(--fail); } .status.warn { background: var(--warn); }
.status.pass { background: var(--pass); }
.check { margin: 1em 0; padding: .7em 1em; border: 1px solid var(--line);
         border-left: 5px solid var(--muted); border-radius: 4px; }
.check.fail { border-left-color: var(--fail); } .check.warn { border-left-color: var(--warn); }
.check.pass { border-left-color: var(--pass); }
.check p { margin: .25em 0; }
.side-by-side { display: grid; grid-template-columns: repeat(auto-fit, minmax(15em, 1fr));
                gap: .7em; margin-top: .6em; }
.figure { margin: 0; padding: .5em .7em; background: var(--paper); border-radius: 4px; }
.figure blockquote { margin: .4em 0; padding-left: .6em; border-left: 3px solid var(--line); }
.role { color: var(--muted); font-size: .85em; }
.source { color: var(--muted); font-size: .85em; }
figure.chart { margin: .5em 0 1em; }
svg.chart { width: 100%; max-width: 900px; height: auto; font-size: 11px; }
svg.chart .axis text { fill: var(--muted); }
svg.chart .grid { stroke: #e6e9ed; }
svg.chart .trend { stroke-width: 1.6; opacity: .75; }
svg.chart .span { stroke-width: 3; opacity: .45; }
svg.chart .bound { stroke-width: 1.6; }
.legend { display: flex; flex-wrap: wrap; gap: .3em 1.4em; margin: .3em 0; padding: 0;
          list-style: none; font-size: .88em; }
.legend .swatch { vertical-align: -3px; }
.more { padding: .5em .8em; background: #fff8e6; border-radius: 4px; }
@media print {
  @page { size: A4; margin: 14mm; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 9.5pt; }
  nav { display: none; }
  main, footer { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
  thead { display: table-header-group; }
  tr, .check, .figure, figure.chart { break-inside: avoid; }
  svg.chart { max-width: 100%; }
  .more code { word-break: break-all; }
}
"""
