"""Indicator pages (issue 11): the static site every publish builds from the published
release, read as files, in headless Chromium (from disk and served by `wumeng serve-pages`),
and replaced whole by the next publish."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines import pages
from pipelines.cli import main
from pipelines.refresh import format_summary
from pipelines.warehouse import connect_published, current_release, publish
from tests.conftest import WUMENG, free_port, rendered

INCOME = "POVERTY_ALLEVIATED_INCOME_PER_CAPITA"
LINK_ATTRIBUTES = ("href", "src", "srcset", "action", "xlink:href", "poster", "data")


# ---- reading a page ------------------------------------------------------------------------------

@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if (tag is None or child.tag == tag) and (cls is None or cls in child.classes):
                    found.append(child)
                found += child.find_all(tag, cls)
        return found


class _TreeBuilder(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    return builder.root


def links(root: Node) -> list[str]:
    return [node.attrs[name] for node in root.find_all() for name in LINK_ATTRIBUTES
            if name in node.attrs]


def observation_rows(root: Node) -> dict[str, Node]:
    return {row.attrs["data-observation-id"]: row for row in root.find_all("tr")
            if "data-observation-id" in row.attrs}


def chart_marks(root: Node) -> dict[str, Node]:
    """The chart's mark of each observation (the legend's swatches are not marks)."""
    [chart] = root.find_all("svg", "chart")
    return {g.attrs["data-observation-id"]: g for g in chart.find_all("g", "observation")}


def site_files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in folder.rglob("*") if path.is_file()}


def query(published: Path, sql: str, params=()):
    with connect_published(published) as con:
        return con.execute(sql, list(params)).fetchall()


@pytest.fixture(scope="module")
def site(seeded):
    workspace, summary = seeded
    assert summary.success, summary.failures
    return workspace.settings


# ---- what every publish builds -------------------------------------------------------------------

def test_the_pages_asset_follows_publish_in_both_refresh_jobs(site):
    from pipelines.definitions import defs  # the seeded refresh prepared dbt's manifest

    key = dg.AssetKey("indicator_pages")
    assert defs.resolve_asset_graph().get(key).parent_keys == {dg.AssetKey("published_warehouse")}
    for job in ("refresh", "refresh_after_sheets"):
        assert key in defs.resolve_job_def(job).asset_layer.selected_asset_keys, job


def test_every_publish_builds_the_pages_of_the_published_release(seeded, site):
    _, summary = seeded
    release = current_release(site.published_db)
    assert site.pages_dir.is_symlink()
    built = site.pages_dir.resolve()
    assert built.parent == release.path.parent and built.name.startswith(pages.SITE_PREFIX)
    indicators = {code for (code,) in query(site.published_db,
                                            "select indicator_code from dim_indicator")}
    places = {code for (code,) in query(site.published_db, """
        select region_code from dim_region
        where region_code = '530600' or region_level = 'county'""")}
    assert len(places) == 12  # the city and its eleven county-level divisions
    files = set(site_files(built))
    assert files == ({"index.html", "findings.html", "style.css"}
                     | {f"indicators/{code}.html" for code in indicators}
                     | {f"places/{code}.html" for code in places})
    assert summary.page_count == len(files) - 1  # every page but the stylesheet

    text = format_summary(summary)
    index = (site.pages_dir / "index.html").as_uri()
    assert summary.pages_index == index and index in text.splitlines()[-2]
    assert f"wumeng serve-pages --warehouse {site.warehouse_dir}" in text.splitlines()[-1]
    assert f"  pages        {summary.page_count} generated in" in text


def test_the_pages_module_renders_the_published_release_alone(site, tmp_path):
    """Straight from a read-only connection to a folder: the same bytes the asset published,
    from one query per kind of page, however many rows."""

    class CountingConnection:
        def __init__(self, con):
            self.con, self.queries = con, 0

        def execute(self, *args):
            self.queries += 1
            return self.con.execute(*args)

    release = current_release(site.published_db)
    with connect_published(site.published_db) as con:
        counting = CountingConnection(con)
        started = time.perf_counter()
        written = pages.render_site(counting, tmp_path / "site", release.name)
        seconds = time.perf_counter() - started
    print(f"indicator pages: {written} pages of the seeds in {seconds:.3f} s")
    assert counting.queries == 6
    ours = site_files(tmp_path / "site")
    assert ours == site_files(site.pages_dir.resolve())
    assert written == len(ours) - 1  # every page but the stylesheet


def test_the_index_lists_every_topic_and_indicator_with_its_latest_value(site):
    index = parse((site.pages_dir / "index.html").read_text(encoding="utf-8"))
    indicators = query(site.published_db,
                       "select indicator_code, name_zh, topic from dim_indicator")
    by_href = {a.attrs["href"]: a.text() for a in index.find_all("a")}
    for code, name_zh, _ in indicators:
        assert by_href[f"indicators/{code}.html"] == name_zh, code
    headings = {h.attrs.get("id") for h in index.find_all("h2")}
    assert {f"topic-{topic}" for _, _, topic in indicators} | {"places"} == headings
    [(value, period)] = query(site.published_db, """
        select value, period_label from mart_latest_value
        where indicator_code = ? and region_code = '530600'""", [INCOME])
    [row] = [tr for tr in index.find_all("tr")
             if any(a.attrs.get("href") == f"indicators/{INCOME}.html" for a in tr.find_all("a"))]
    cells = [td.text() for td in row.find_all("td")]
    assert (value, period) == (15465, "2023")
    assert cells[1].startswith("15,465") and cells[2] == "2023" and cells[3] == "昭通市"


# ---- in headless Chromium ------------------------------------------------------------------------

def test_the_income_page_shows_each_figure_with_its_quote_document_and_checks(chromium, site,
                                                                                tmp_path):
    dom = parse(rendered(chromium, (site.pages_dir / "indicators" / f"{INCOME}.html").as_uri(),
                         tmp_path))
    observations = query(site.published_db, """
        select o.observation_id, o.value, o.quote, d.title, o.publication_date, o.period_label
        from fct_observation o join dim_document d using (document_id)
        where o.indicator_code = ? order by o.value""", [INCOME])
    assert [value for _, value, *_ in observations] == [11438, 13233, 15465]
    rows = observation_rows(dom)
    assert set(rows) == {observation_id for observation_id, *_ in observations}
    for observation_id, value, quote, title, published, period_label in observations:
        cells = [td.text() for td in rows[observation_id].find_all("td")]
        period, place, shown, _, _, quoted, document, _ = cells
        assert (period, place) == (period_label, "昭通市")
        assert shown.startswith(f"{value:,.0f}") and f"{value:.0f}" in quote
        assert quoted == quote and title in document and f"{published:%Y-%m}" in document

    # The claim checks that involve each figure: a badge on its row, the check on the page.
    checks = query(site.published_db, """
        select o.observation_id, c.check_id, c.status from fct_claim_check c
        join fct_observation o on list_contains(c.observation_ids, o.observation_id)
        where o.indicator_code = ?""", [INCOME])
    assert len(checks) == 4  # 13233 is the level of one growth check and the base of the next
    sections = {s.attrs["id"]: s for s in dom.find_all("section", "check")}
    for observation_id, check_id, status in checks:
        badges = [a for a in rows[observation_id].find_all("a", "status")]
        assert f"#check-{check_id}" in [a.attrs["href"] for a in badges]
        assert status in sections[f"check-{check_id}"].classes

    # The chart: a point per observation, each telling its quote, and a legend.
    marks = chart_marks(dom)
    assert set(marks) == set(rows)
    for observation_id, _, quote, *_ in observations:
        [point] = [n for n in marks[observation_id].find_all() if "point" in n.classes]
        assert "actual" in point.classes
        assert quote in marks[observation_id].find_all("title")[0].text()
    [legend] = dom.find_all("ul", "legend")
    assert "昭通市" in legend.text() and "actual" in legend.text()


def test_the_findings_list_every_check_that_does_not_pass_with_its_quotes_side_by_side(
        chromium, site, tmp_path):
    failing = query(site.published_db, "select check_id, status, quotes from fct_claim_check "
                                        "where status <> 'pass'")
    passing = {check_id for (check_id,) in query(
        site.published_db, "select check_id from fct_claim_check where status = 'pass'")}
    assert len(failing) >= 6 and passing  # the seeds hold both, so the page has both to tell apart
    dom = parse(rendered(chromium, (site.pages_dir / "findings.html").as_uri(), tmp_path))
    sections = {s.attrs["id"].removeprefix("check-"): s for s in dom.find_all("section", "check")}
    assert set(sections) == {check_id for check_id, _, _ in failing}
    for check_id, status, quotes in failing:
        section = sections[check_id]
        assert status in section.classes
        [side_by_side] = section.find_all("div", "side-by-side")
        assert [q.text() for q in side_by_side.find_all("blockquote")] == quotes


def test_no_page_asks_for_anything_outside_the_site(chromium, site, tmp_path):
    """In Chromium, from disk: no address that leaves the machine; every link of every page
    leads to a file of the site (and an anchor on it), so it works from file:// and served."""
    built = site.pages_dir.resolve()
    for page in ("index.html", f"indicators/{INCOME}.html", "places/530627.html", "findings.html"):
        dom = parse(rendered(chromium, (site.pages_dir / page).as_uri(), tmp_path))
        found = links(dom)
        assert "style.css" in " ".join(found), page  # the DOM came through whole
        assert not [link for link in found if urllib.parse.urlsplit(link).scheme not in ("", "data")
                    or link.startswith("//")], page
        [policy] = [m.attrs["content"] for m in dom.find_all("meta")
                    if m.attrs.get("http-equiv") == "Content-Security-Policy"]
        assert "default-src 'none'" in policy
        assert not dom.find_all("script")

    css = (built / "style.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css and "@media print" in css
    ids: dict[Path, set[str]] = {}
    for page in built.rglob("*.html"):
        ids[page] = {node.attrs["id"] for node in parse(page.read_text(encoding="utf-8")).find_all()
                     if "id" in node.attrs}
    for page in ids:
        for link in links(parse(page.read_text(encoding="utf-8"))):
            if link.startswith("data:"):
                continue
            path, _, anchor = link.partition("#")
            target = (page.parent / path).resolve() if path else page
            assert target.is_relative_to(built) and target.is_file(), (page, link)
            if anchor and target.suffix == ".html":
                assert anchor in ids[target], (page, link)


def test_wumeng_serve_pages_serves_the_site_on_127_0_0_1_and_every_request_is_a_site_file(
        chromium, site, tmp_path):
    port = free_port()
    log = tmp_path / "requests.log"
    with open(log, "w") as requests_log:
        server = subprocess.Popen([WUMENG, "serve-pages", "--warehouse", str(site.warehouse_dir),
                                   "--port", str(port)], stdout=subprocess.PIPE,
                                  stderr=requests_log, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/", timeout=2).read()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        # Bound to 127.0.0.1 alone: another address of this very machine is refused.
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.2", port), 2).close()
        for page in (f"indicators/{INCOME}.html", "findings.html"):
            dom = parse(rendered(chromium, f"{base}/{page}", tmp_path))
            assert observation_rows(dom) or dom.find_all("section", "check"), page
            for link in links(dom):
                parts = urllib.parse.urlsplit(link)
                assert parts.scheme in ("", "data") or parts.netloc == f"127.0.0.1:{port}", link
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=30)
    assert f"{base}/" in out.splitlines()[0]

    requests = re.findall(r'"GET (\S+) HTTP/1\.[01]" (\d{3})', log.read_text())
    paths = {urllib.parse.unquote(urllib.parse.urlsplit(path).path) for path, _ in requests}
    assert {f"/indicators/{INCOME}.html", "/findings.html", "/style.css"} <= paths
    assert {status for _, status in requests} <= {"200", "304"}  # 304: Chromium's cache
    for path in paths:
        served = site.pages_dir / path.lstrip("/")
        assert (served / "index.html" if path.endswith("/") else served).is_file(), path


# ---- the next publish ----------------------------------------------------------------------------

def _writable_copy(settings, folder: Path) -> tuple[Path, Path, Path, Path]:
    """A warehouse of our own, built from the seeded build database: build, published, releases,
    pages."""
    build = folder / "build" / "wumeng.duckdb"
    build.parent.mkdir(parents=True)
    shutil.copyfile(settings.build_db, build)
    return build, folder / "wumeng.duckdb", folder / "releases", folder / "pages"


def test_the_site_is_replaced_whole_on_the_next_publish(site, tmp_path, monkeypatch):
    build, published, releases, link = _writable_copy(site, tmp_path / "warehouse")
    first = publish(build, published, releases)
    old = pages.publish_site(first, link)
    income = link / "indicators" / f"{INCOME}.html"
    assert "15,465" in income.read_text(encoding="utf-8")
    assert (link / "indicators" / "LAND_AREA.html").is_file()
    # The same release built again is the same site: nothing moves.
    again = pages.publish_site(first, link)
    assert again.path == old.path and not again.is_new and link.resolve() == old.path
    old_files = site_files(old.path)

    # The next build: a figure corrected, an indicator withdrawn.
    with duckdb.connect(str(build)) as con:
        con.execute("update fct_observation set value = 15466, lower_bound = 15466, "
                    "upper_bound = 15466, quote = replace(quote, '15465', '15466') "
                    "where indicator_code = ? and value = 15465", [INCOME])
        for table in ("dim_indicator", "fct_observation", "mart_latest_value"):
            con.execute(f"delete from {table} where indicator_code = 'LAND_AREA'")
    second = publish(build, published, releases)

    # Pages that fail half-way are never shown: the link keeps the whole old site.
    def broken(*args):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(pages, "_place", broken)  # after the index, findings and indicator pages
        with pytest.raises(OSError, match="No space left"):
            pages.publish_site(second, link)
    assert link.resolve() == old.path
    assert site_files(old.path) == old_files
    assert [p.name for p in second.path.parent.iterdir()] == ["wumeng.duckdb"]  # nothing half-built

    new = pages.publish_site(second, link)
    assert new.is_new and link.resolve() == new.path and new.path.parent == second.path.parent
    page = income.read_text(encoding="utf-8")
    assert "15,466" in page and "15,465" not in page
    assert not (link / "indicators" / "LAND_AREA.html").exists()
    assert "LAND_AREA" not in (link / "index.html").read_text(encoding="utf-8")
    # The old site stays whole beside its release, for a rollback; it goes when the release does.
    assert site_files(old.path) == old_files

    assert main(["publish", "--warehouse", str(tmp_path / "warehouse"), "--rollback"]) == 0
    assert published.resolve() == first.path and link.resolve() == old.path
    assert "15,465" in income.read_text(encoding="utf-8")


def test_text_from_the_documents_is_shown_never_run_or_fetched(site, tmp_path):
    """A quote holding markup is text on the page: no script, no element that fetches."""
    database = tmp_path / "wumeng.duckdb"
    shutil.copyfile(current_release(site.published_db).path, database)
    os.chmod(database, 0o644)
    hostile = '<script>alert(1)</script><img src="http://evil.example/x.png">人均纯收入15465元'
    with duckdb.connect(str(database)) as con:
        con.execute("update fct_observation set quote = ? "
                    "where indicator_code = ? and value = 15465", [hostile, INCOME])
        pages.render_site(con, tmp_path / "site", "test")
    page = parse((tmp_path / "site" / "indicators" / f"{INCOME}.html").read_text(encoding="utf-8"))
    assert not page.find_all("script") and not page.find_all("img")
    cells = [td.text() for row in observation_rows(page).values() for td in row.find_all("td")]
    assert hostile in cells
