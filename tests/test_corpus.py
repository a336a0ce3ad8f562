"""The synthetic corpus generator (benchmarks/corpus.py): deterministic, realistic, and its
gold figures exactly what the annotation conventions ask for, so that extraction can be
scored at scale. Small corpora only: the whole module runs in about a second."""

from __future__ import annotations

import codecs
import contextlib
import csv
import importlib.util
import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from benchmarks import corpus
from pipelines import extraction, scoring, sheets
from pipelines.documents import scan_documents
from pipelines.text.decoding import decode_document
from pipelines.text.structure import parse_document

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = 60


def _read_gold(out: Path) -> list[dict]:
    with open(out / "gold.jsonl", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _files(out: Path) -> list[str]:
    return sorted(p.name for p in (out / "documents").iterdir())


def _texts(out: Path) -> dict[str, str]:
    return {name: decode_document((out / "documents" / name).read_bytes()).text
            for name in _files(out)}


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    summary = corpus.generate(out, ARTICLES, seed=0)
    return out, summary


def test_same_seed_same_bytes_whatever_the_workers(generated, tmp_path):
    out, summary = generated
    again = corpus.generate(tmp_path / "again", ARTICLES, seed=0, workers=2)
    assert _tree(tmp_path / "again") == _tree(out)
    assert (again.files, again.articles, again.bytes, again.figures) == (
        summary.files, summary.articles, summary.bytes, summary.figures)
    other = corpus.generate(tmp_path / "other", ARTICLES, seed=1)
    assert (tmp_path / "other" / "gold.jsonl").read_bytes() != (out / "gold.jsonl").read_bytes()
    assert other.articles == ARTICLES


def test_summary_counts_what_was_written(generated):
    out, summary = generated
    gold = _read_gold(out)
    files = _files(out)
    assert summary.articles == ARTICLES
    assert summary.files == len(files)
    assert summary.figures == len(gold)
    assert summary.bytes == sum((out / "documents" / f).stat().st_size for f in files)
    assert sum(summary.encodings.values()) == len(files)
    with open(out / "sheets" / "documents.csv", encoding="utf-8", newline="") as handle:
        registry = list(csv.DictReader(handle))
    assert len(registry) == ARTICLES
    assert {r["file"] for r in registry} == set(files)
    per_file = Counter(r["file"] for r in registry)
    assert set(per_file.values()) <= {1, 2, 3, 4} and len(set(per_file.values())) > 1


def test_gbk_bom_and_crlf_files_decode_with_the_pipelines_decoder(generated):
    out, _ = generated
    encodings = Counter()
    crlf = 0
    for name in _files(out):
        data = (out / "documents" / name).read_bytes()
        decoded = decode_document(data)
        encodings[decoded.encoding] += 1
        assert decoded.encoding == corpus.encoding_of(int(name[:6]))
        if decoded.encoding == "gbk":
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")  # really GBK, not UTF-8 that happens to decode
        if decoded.encoding == "utf-8-sig":
            assert data.startswith(codecs.BOM_UTF8)
        crlf += b"\r\n" in data
        assert (b"\r\n" in data) == corpus.crlf_of(int(name[:6]))
        assert "\r" not in decoded.text and "\ufffd" not in decoded.text
    assert encodings["gbk"] >= 2 and encodings["utf-8-sig"] >= 1 and encodings["utf-8"] > 10
    assert crlf >= 1
    # and the documents folder loads as the pipeline loads it: every file, none a duplicate
    scan = scan_documents(out / "documents")
    assert Counter(row.status for row in scan.ledger) == Counter({"loaded": len(_files(out))})


def test_utf16_files_appear_in_larger_corpora():
    assert corpus.encoding_of(101) == "utf-16"
    shares = Counter(corpus.encoding_of(n) for n in range(2000))
    assert shares["gbk"] == 200 and shares["utf-16"] == 10 and 50 <= shares["utf-8-sig"] <= 70


def test_every_county_level_place_is_used(generated):
    out, _ = generated
    places = {g["place"] for g in _read_gold(out)}
    assert {r.name for r in corpus.COUNTY_LEVEL} <= places
    townships = {r.name for rs in corpus._SUBPLACES.values() for r in rs}
    assert len(places & townships) >= 10  # townships, villages, communities and sites too


def test_a_number_cut_by_a_page_column_is_planted_once(generated):
    out, _ = generated
    texts = _texts(out)
    gold = _read_gold(out)
    cut = [g for g in gold if "page-column break:" in g["note"]]
    assert len(cut) >= 5
    assert any(re.match(r"\D*\d", g["text"]) for g in cut)  # 8.12 / 万人
    identity = Counter((g["doc"], g["sentence"], g["text"], g["occurrence"]) for g in gold)
    for g in cut:
        head, tail = g["note"].split("page-column break: ")[1].split("|")
        assert head + tail == g["text"]
        assert f"{head}\n\n{tail}" in texts[g["doc"]], g["text"]
        assert g["text"] in g["sentence"]  # whole again once the parser repairs the break
        assert identity[(g["doc"], g["sentence"], g["text"], g["occurrence"])] == 1


def test_gold_is_the_parsers_sentences_and_the_texts_are_in_the_documents(generated):
    out, _ = generated
    texts = _texts(out)
    sentences = {}
    for name, text in texts.items():
        for article in parse_document(text).articles:
            for s in article.sentences:
                sentences[(name, article.index, s.index)] = s.text
    for g in _read_gold(out):
        assert sentences[(g["doc"], g["article"], g["sentence_index"])] == g["sentence"]
        starts = [m.start() for m in re.finditer(f"(?={re.escape(g['text'])})", g["sentence"])]
        assert len(starts) > g["occurrence"]
        if "page-column break:" in g["note"]:
            head, tail = g["note"].split("page-column break: ")[1].split("|")
            assert f"{head}\n\n{tail}" in texts[g["doc"]]
        else:
            assert g["text"] in texts[g["doc"]]


def test_registry_titles_are_the_parsers_headlines(generated):
    out, _ = generated
    texts = _texts(out)
    with open(out / "sheets" / "documents.csv", encoding="utf-8", newline="") as handle:
        registry = list(csv.DictReader(handle))
    by_file: dict[str, list[str]] = {}
    for row in registry:
        by_file.setdefault(row["file"], []).append(row["title"])
    for name, titles in by_file.items():
        assert [a.headline for a in parse_document(texts[name]).articles] == titles


def test_gold_passes_the_annotation_checker(generated):
    """tests/annotations/check_annotation.py, pointed at the corpus: field types, values read
    back from the text, qualifier words, units, period notation, places of the region sheet,
    registry and files in step."""
    out, _ = generated
    spec = importlib.util.spec_from_file_location(
        "check_annotation", ROOT / "tests" / "annotations" / "check_annotation.py")
    checker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(checker)
    checker.ANNOTATION = out / "gold.jsonl"
    checker.DOCUMENTS = out / "documents"
    checker.REGISTRY = out / "sheets" / "documents.csv"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        checker.main([])
    errors = [line for line in printed.getvalue().splitlines() if line.startswith("ERROR")]
    # The checker reads 不超过 as containing 超过 (gt) after accepting it as le: a checker
    # bug, not a gold error (不超过 is le in tests/annotations/README.md).
    real = [e for e in errors if not ("不超过" in e and "has 超过 but qualifier is le" in e)]
    assert real == []


def test_sheets_load_without_rejects(generated):
    out, _ = generated
    texts = {row.path: row for row in scan_documents(out / "documents").documents}
    frames, rejects = sheets.load_sheets(out / "sheets", {p: d.text for p, d in texts.items()})
    assert rejects == []
    assert len(frames["documents"]) == ARTICLES
    assert len(frames["regions"]) > 30 and len(frames["indicators"]) > 50
    assert len(frames["observations"]) == 0
    assert (out / "sheets" / "regions.csv").read_bytes() == (
        ROOT / "seeds" / "sheets" / "regions.csv").read_bytes()


def test_extraction_recall_on_the_planted_figures(generated):
    """Measured on 2,000 articles (seed 0, 40,480 figures): precision 1.0, recall 1.0, every
    attribute 1.0 (see the module docstring of benchmarks/corpus.py). The bar is the
    issue's, 0.97; the attributes must be right for 95 % of the figures found."""
    out, _ = generated
    gold = _read_gold(out)
    predicted = extraction.extract_folder(out / "documents", out / "sheets", _files(out))
    result = scoring.score(gold, predicted)
    kinds = Counter(e["kind"] for e in result.errors)
    assert result.recall >= 0.97, (result.as_dict(), kinds, result.errors[:10])
    assert result.precision >= 0.97, (result.as_dict(), kinds, result.errors[:10])
    for attribute in scoring.ATTRIBUTES:
        assert result.accuracy(attribute) >= 0.95, (attribute, result.as_dict())


def test_cli_prints_one_line_of_json_and_keeps_other_documents(tmp_path, capsys):
    corpus.main(["--articles", "7", "--out", str(tmp_path / "c"), "--seed", "3",
                 "--workers", "1"])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    summary = json.loads(lines[0])
    assert summary["articles"] == 7 and summary["files"] >= 2
    assert {"files", "articles", "bytes", "figures", "seconds"} <= set(summary)
    # a corpus written before is replaced; a documents folder of someone else's is not
    corpus.main(["--articles", "7", "--out", str(tmp_path / "c"), "--seed", "3",
                 "--workers", "1"])
    assert json.loads(capsys.readouterr().out)["figures"] == summary["figures"]
    (tmp_path / "mine" / "documents").mkdir(parents=True)
    (tmp_path / "mine" / "documents" / "article.txt").write_text("文章", encoding="utf-8")
    with pytest.raises(FileExistsError):
        corpus.generate(tmp_path / "mine", 7, seed=3)
    assert (tmp_path / "mine" / "documents" / "article.txt").exists()
    corpus.generate(tmp_path / "mine", 7, seed=3, force=True)
    assert not (tmp_path / "mine" / "documents" / "article.txt").exists()
