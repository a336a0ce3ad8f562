"""Parallel work over documents: the same results, in the same order, with progress."""

from __future__ import annotations

import pytest

from pipelines import extraction, parallel
from pipelines.text.decoding import decode_document
from tests.conftest import SEED_DOCUMENTS, SEED_SHEETS


def test_workers_give_the_same_mentions_in_the_same_order(monkeypatch):
    ctx = extraction.load_context(SEED_SHEETS)
    texts = [decode_document(path.read_bytes()).text for path in sorted(SEED_DOCUMENTS.iterdir())]
    items = [(f"doc{i}", f"f{i}.txt", texts[i % 2], None)
             for i in range(parallel.MIN_DOCUMENTS_FOR_WORKERS)]
    messages = []
    progress = parallel.Progress("extracting", len(items), messages.append, every_seconds=0)

    monkeypatch.setenv(parallel.ENV_WORKERS, "2")
    in_workers = list(parallel.map_documents(extraction.extract_one, items, progress,
                                             extraction.init_worker, (ctx.gazetteer,)))
    monkeypatch.setenv(parallel.ENV_WORKERS, "1")
    in_process = list(parallel.map_documents(extraction.extract_one, items, None,
                                             extraction.init_worker, (ctx.gazetteer,)))

    assert in_workers == in_process
    assert [doc_id for doc_id, _ in in_workers] == [item[0] for item in items]
    assert sum(len(records) for _, records in in_workers) > 100 * len(items) // 2
    assert messages[-1].startswith(f"extracting: {len(items)}/{len(items)} documents (100 %)")
    assert len(messages) == -(-len(items) // parallel.CHUNK)  # one per chunk


def test_progress_tells_rate_and_time_left(monkeypatch):
    clock = iter([100.0, 110.0, 120.0])
    monkeypatch.setattr(parallel.time, "monotonic", lambda: next(clock))
    messages = []
    progress = parallel.Progress("parsing documents", 100_000, messages.append, every_seconds=5)
    progress.advance(4_000)  # at 110 s: 400 a second, 96,000 to go
    assert messages == ["parsing documents: 4,000/100,000 documents (4 %), 400/s, about 4m00s left"]
    progress.advance(96_000)
    assert messages[-1] == "parsing documents: 100,000/100,000 documents (100 %), 5,000/s, in 20s"


@pytest.mark.parametrize("size, expected", [(3, [[0, 1, 2], [3, 4, 5], [6]]), (10, [list(range(7))])])
def test_batched(size, expected):
    assert list(parallel.batched(range(7), size)) == expected
