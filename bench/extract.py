"""Parse + reply-extraction throughput over every .eml of the corpora in tests/corpora (one core).

Prints messages/s and the slowest message.  Targets: >= 300 msg/s, no message over 100 ms.
Run: .venv/bin/python bench/extract.py [ROUNDS]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bridge.ingest.understand import parse_and_extract  # noqa: E402  (after the path is set)

CORPORA = ROOT / "tests" / "corpora"


def process(raw: bytes) -> None:
    parse_and_extract(raw)


def main(rounds: int) -> None:
    messages = [(path, path.read_bytes()) for path in sorted(CORPORA.glob("*/*/*.eml"))]
    for _, raw in messages:             # warm-up: imports, regex compilation
        process(raw)
    slowest: dict[Path, float] = {}
    started = time.perf_counter()
    for _ in range(rounds):
        for path, raw in messages:
            t0 = time.perf_counter()
            process(raw)
            elapsed = time.perf_counter() - t0
            slowest[path] = max(slowest.get(path, 0.0), elapsed)
    total = time.perf_counter() - started
    count = rounds * len(messages)
    worst = max(slowest, key=slowest.get)
    print(f"messages: {len(messages)} x {rounds} rounds")
    print(f"throughput: {count / total:,.0f} msg/s (parse + extract, one core)")
    print(f"mean: {1000 * total / count:.2f} ms/msg")
    print(f"slowest: {worst.relative_to(CORPORA)} {1000 * slowest[worst]:.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
