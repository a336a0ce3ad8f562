"""Throughput of extraction on the seed articles, on one core.

    python benchmarks/bench_extract.py [--seconds 3]

Prints one JSON document with two figures, each measured for about the given time:
- `sentence_extractor`: extract_quantities over the seeds split naively on 。 (the
  figure-finding rules alone);
- `document_extraction`: what a refresh runs per document: parse the structure, find the
  figures of every sentence and resolve their periods and places (extraction.extract_mentions).
MB are of UTF-8 text (10^6 bytes).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere, without installing

from pipelines import extraction  # noqa: E402
from pipelines.text.quantities import extract_quantities  # noqa: E402


def measure(work: Callable[[], int], pass_bytes: int, seconds: float) -> dict:
    """Run `work` (one pass, returning how many figures it found) for about `seconds`."""
    passes = found = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        found += work()
        passes += 1
    elapsed = time.perf_counter() - started
    return {"passes": passes, "seconds": round(elapsed, 3), "bytes_per_pass": pass_bytes,
            "mb_per_s": round(passes * pass_bytes / elapsed / 1e6, 3),
            "mentions_per_s": round(found / elapsed), "mentions_per_pass": found // passes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()

    files = sorted((ROOT / "seeds" / "documents").glob("*.txt"))
    texts = {path.name: path.read_text(encoding="utf-8") for path in files}
    sentences = [s + "。" for text in texts.values() for s in text.split("。") if s.strip()]
    sheets = ROOT / "seeds" / "sheets"
    ctx = extraction.load_context(sheets)

    def sentence_pass() -> int:
        return sum(len(extract_quantities(s)) for s in sentences)

    def document_pass() -> int:
        return sum(len(extraction.extract_mentions(name, text, ctx.gazetteer, ctx.dates.get(name)))
                   for name, text in texts.items())

    print(json.dumps({
        "cores": 1,
        "sentence_extractor": measure(
            sentence_pass, sum(len(s.encode("utf-8")) for s in sentences), args.seconds),
        "document_extraction": measure(
            document_pass, sum(len(t.encode("utf-8")) for t in texts.values()), args.seconds),
    }, indent=2))


if __name__ == "__main__":
    main()
