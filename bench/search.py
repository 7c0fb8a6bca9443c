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
    for first in range(0, posts, 2000):
        async with ctx.db.write() as conn:
            for n in range(first, min(first + 2000, posts)):
                subject, body = post(rng)
                author = rng.choice(authors)
                chars += len(subject) + len(body)
                await insert_post(conn, NewPost(
                    space_id=rng.choice(space_ids), thread_id=None, message_id=f"<bench-{n}@example>",
                    subject=subject, norm_subject=subject, from_name="職員", from_address=author,
                    date_utc=to_iso(start + timedelta(minutes=30 * n)), tz_offset_min=540,
                    body_text=body, reply_text=body), now)
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


async def time_queries(service, member, terms: int, snippets: bool, count: int, rng) -> tuple[float, float, float]:
    timings, totals = [], []
    for _ in range(count):
        text = query(rng, terms)
        began = time.perf_counter()
        results = await service.search(member, text, snippets=snippets)
        timings.append((time.perf_counter() - began) * 1000)
        totals.append(results.total)
    return percentile(timings, 50), percentile(timings, 95), statistics.mean(totals)


async def main(posts: int, count: int) -> None:
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
            for terms in (1, 2, 3):
                for snippets in (False, True):
                    p50, p95, hits = await time_queries(service, member, terms, snippets, count, rng)
                    print(f"query {terms} term{'s' if terms > 1 else ' '} {'with' if snippets else 'without'} "
                          f"snippets: p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  (mean total {hits:,.0f} hits)")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(main(args.posts, args.queries))
