"""Search at scale: index N synthetic posts, then time queries as a member of every space.

Prints indexing docs/s, index size, query p50/p95 for 1-, 2- and 3-term queries with
and without snippets, and peak RSS. Posts go into the archive through archive's own
insert (in big transactions, not via SMTP: that path is measured by bench/ingest.py),
then the index is built by the real indexer (`rebuild`, as `kairan reindex` does).

    .venv/bin/python bench/search.py [--posts 100000] [--queries 200]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive import queues  # noqa: E402
from archive.clock import to_iso  # noqa: E402
from archive.members import add_member, get_member_by_address  # noqa: E402
from archive.orgs import add_org  # noqa: E402
from archive.posts import NewPost, insert_post  # noqa: E402
from archive.spaces import create_space  # noqa: E402
from bench.synthetic import post, query  # noqa: E402
from kairan.context import open_context  # noqa: E402
from search.index import SearchIndex  # noqa: E402
from search.indexer import Indexer  # noqa: E402
from search.service import SearchService  # noqa: E402
from kairan.fixtures import make_data_dir  # noqa: E402

SPACES = 50
READER = "reader@pref.example.lg.jp"


async def populate(ctx, posts: int, rng: random.Random) -> int:
    """Fills the archive; returns the characters of post text written."""
    await add_org(ctx.db, "pref", "山河県", ["pref.example.lg.jp"])
    await add_org(ctx.db, "city", "青葉市", ["city.example.lg.jp"])
    await add_member(ctx.db, READER, "読者 太郎", "pref")
    authors = [f"staff{i}@city.example.lg.jp" for i in range(20)]
    for i, address in enumerate(authors):
        await add_member(ctx.db, address, f"職員 {i}号", "city")
    space_ids = []
    for s in range(SPACES):
        space = await create_space(ctx.db, f"space{s}", f"連絡会{s}", [READER, authors[s % 20]])
        space_ids.append(space.id)
    start = datetime(2020, 1, 1, tzinfo=timezone.utc)
    now = to_iso(datetime.now(timezone.utc))
    chars = 0
    recent: dict[int, list[int]] = {s: [] for s in space_ids}        # threads still being answered, per space
    for first in range(0, posts, 2000):
        async with ctx.db.write() as conn:
            for n in range(first, min(first + 2000, posts)):
                subject, body = post(rng)
                author = rng.choice(authors)
                chars += len(subject) + len(body)
                space_id = rng.choice(space_ids)
                thread_id = rng.choice(recent[space_id]) if recent[space_id] and rng.random() < 0.6 else None
                stored = await insert_post(conn, NewPost(
                    space_id=space_id, thread_id=thread_id, message_id=f"<bench-{n}@example>",
                    subject=subject, norm_subject=subject, from_name="職員", from_address=author,
                    date_utc=to_iso(start + timedelta(minutes=30 * n)), tz_offset_min=540,
                    body_text=body, reply_text=body), now)
                if thread_id is None:
                    recent[space_id] = (recent[space_id] + [stored.thread_id])[-5:]
        print(f"\rarchive: {min(first + 2000, posts)}/{posts} posts", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    while items := await queues.peek(ctx.db, "index_queue", 5000):      # the rebuild covers them
        await queues.done(ctx.db, "index_queue", [i.id for i in items])
    return chars


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def reference_ms() -> float:
    """A fixed piece of CPU work (SHA-256 of 8 MB), timed now: figures are also printed as ratios to it,
    since the machine is shared."""
    data = b"k" * (8 * 1024 * 1024)
    began = time.perf_counter()
    hashlib.sha256(data).digest()
    return (time.perf_counter() - began) * 1000


async def time_queries(service, member, terms: int, count: int, rng, **shape) -> tuple[float, float, float]:
    timings, totals = [], []
    for _ in range(count):
        text = query(rng, terms)
        began = time.perf_counter()
        results = await service.search(member, text, **shape)
        timings.append((time.perf_counter() - began) * 1000)
        totals.append(results.total)
    return percentile(timings, 50), percentile(timings, 95), statistics.mean(totals)


async def main(posts: int, count: int, runs: int) -> None:
    rng = random.Random(20261127)
    with tempfile.TemporaryDirectory() as tmp:
        data = make_data_dir(Path(tmp) / "data")
        async with open_context(data) as ctx:
            began = time.perf_counter()
            chars = await populate(ctx, posts, rng)
            print(f"archive filled in {time.perf_counter() - began:.1f} s", file=sys.stderr)
            index = SearchIndex.open(ctx.settings.index_dir)
            indexer = Indexer(ctx.db, index, ctx.blobs, heap_bytes=256_000_000, threads=0)
            began = time.perf_counter()
            await indexer.rebuild()
            await indexer.close()
            seconds = time.perf_counter() - began
            size = folder_size(ctx.settings.index_dir)
            print(f"posts: {posts} (mean {chars / posts:.0f} characters of subject + text)")
            print(f"indexing: {posts / seconds:,.0f} docs/s ({seconds:.1f} s, incl. reading the archive)")
            print(f"index size: {size / 1e6:.1f} MB ({size / posts:,.0f} B/post)")
            service = SearchService(ctx.db, ctx.settings.index_dir, ctx.blobs, index=index)
            member = await get_member_by_address(ctx.db, READER)
            await service.search(member, "減免")                           # warm up
            ref = statistics.median(reference_ms() for _ in range(5))
            print(f"reference (SHA-256 of 8 MB): {ref:.1f} ms; load average {os.getloadavg()[0]:.2f}")
            shapes = {"posts, snippets": dict(snippets=True),
                      "threads + facets (the search page)": dict(snippets=True, by_thread=True, facets=True)}
            for terms in (1, 2, 3):
                for name, shape in shapes.items():
                    p95s = []
                    for _ in range(runs):
                        p50, p95, hits = await time_queries(service, member, terms, count, rng, **shape)
                        p95s.append(p95)
                    print(f"query {terms} term{'s' if terms > 1 else ' '} {name:<36} p95 median {statistics.median(p95s):6.1f} ms "
                          f"(runs {', '.join(f'{p:.0f}' for p in p95s)}; x{statistics.median(p95s) / ref:.1f} reference) "
                          f"last p50 {p50:5.1f} ms, mean total {hits:,.0f} hits")
            print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3, help="rounds of queries per shape (median of their p95)")
    args = parser.parse_args()
    asyncio.run(main(args.posts, args.queries, args.runs))
