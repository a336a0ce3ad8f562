"""Throughput of the quantity extractor on the seed articles, on one core.

    python benchmarks/bench_extract.py [--seconds 3]

Splits the seed documents naively on 。 and runs extract_quantities over every sentence, again
and again, for about the given time; prints one JSON line. MB are of UTF-8 text (10^6 bytes).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere, without installing

from pipelines.text.quantities import extract_quantities  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()

    text = "".join(path.read_text(encoding="utf-8")
                   for path in sorted((ROOT / "seeds" / "documents").glob("*.txt")))
    sentences = [s + "。" for s in text.split("。") if s.strip()]
    pass_bytes = sum(len(s.encode("utf-8")) for s in sentences)

    passes = found = 0
    started = time.perf_counter()
    while time.perf_counter() - started < args.seconds:
        for sentence in sentences:
            found += len(extract_quantities(sentence))
        passes += 1
    elapsed = time.perf_counter() - started

    print(json.dumps({
        "sentences": len(sentences),
        "bytes_per_pass": pass_bytes,
        "passes": passes,
        "seconds": round(elapsed, 3),
        "mb_per_s": round(passes * pass_bytes / elapsed / 1e6, 3),
        "sentences_per_s": round(passes * len(sentences) / elapsed),
        "quantities_per_s": round(found / elapsed),
        "quantities_per_pass": found // passes,
    }))


if __name__ == "__main__":
    main()
