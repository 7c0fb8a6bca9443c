"""Administration at size: a 10,000-row Excel CSV previewed and applied; the directory page with 20,000 members.

Figures are medians of --runs runs (each on a fresh database) with their spread, and a ratio to a
reference measured in the same run (reading the same CSV with the standard csv module and
sorting its rows), so a loaded machine shows as a slower reference, not a slower kairan.
The directory is timed inside the ASGI app (the call to the last body byte), signed in, through
the real routes: the member's own organization (1,000 people) and a search across all 20,000.

    .venv/bin/python bench/admin.py [--rows 10000] [--members 20000] [--requests 60] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.admin import importing  # noqa: E402
from archive.admin.organizations import add as add_org  # noqa: E402
from archive.blobs import BlobStore  # noqa: E402
from archive.db import Database  # noqa: E402
from archive.members import get_member_by_address, set_password_hash  # noqa: E402
from archive.passwords import hash_password  # noqa: E402
from kairan.fixtures import staff_csv  # noqa: E402
from web.app import create_app  # noqa: E402
from web.services import WebServices  # noqa: E402

ORGS = [f"org{i:02d}" for i in range(20)]
PASSWORD = "bench-password-2026"


def reference(data: bytes) -> float:
    """Seconds to decode, parse and sort the same file with the standard library only."""
    start = time.perf_counter()
    rows = list(csv.reader(io.StringIO(data.decode("cp932"), newline="")))
    rows.sort(key=lambda r: (r[3], r[4], r[2]))
    return time.perf_counter() - start


async def fresh_db(folder: Path) -> Database:
    db = await Database.open(folder / "kairan.db")
    for slug in ORGS:
        await add_org(db, None, slug, f"団体{slug[3:]}", [f"{slug}.example.lg.jp"])
    return db


async def import_once(folder: Path, data: bytes) -> tuple[float, float, float]:
    """(preview s, apply s, reference s) for one fresh database."""
    db = await fresh_db(folder)
    try:
        ref = reference(data)
        start = time.perf_counter()
        plan = await importing.preview(db, None, data)
        previewed = time.perf_counter() - start
        assert not plan.refused and len(plan.having("add")) == len(plan.lines)
        start = time.perf_counter()
        await importing.apply(db, None, data, filename="bench.csv")
        applied = time.perf_counter() - start
        return previewed, applied, ref
    finally:
        await db.close()


class Timed:
    def __init__(self, app):
        self.app, self.samples = app, []

    async def __call__(self, scope, receive, send):
        start = time.perf_counter()
        await self.app(scope, receive, send)
        if scope["type"] == "http":
            self.samples.append(time.perf_counter() - start)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


async def directory_once(folder: Path, members: int, requests: int) -> dict[str, float]:
    db = await fresh_db(folder)
    try:
        for start in range(0, members, 10_000):
            await importing.apply(db, None, staff_csv(min(10_000, members - start), ORGS, start))
        me = await get_member_by_address(db, "staff0@org00.example.lg.jp")
        await set_password_hash(db, me.id, await asyncio.to_thread(hash_password, PASSWORD))
        services = WebServices(db=db, blobs=BlobStore(folder / "blobs"), domain="kairan.example.lg.jp",
                               base_url="http://bench", secret_key="bench")
        timed = Timed(create_app(services))
        figures = {}
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=timed), base_url="http://bench") as client:
            page = await client.get("/signin")
            token = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            await client.post("/signin", data={"csrf": token, "email": me.email, "password": PASSWORD})
            for name, path in (("own organization", "/directory"), ("search all (鈴木 資産税)", "/directory?q=鈴木+資産税")):
                for _ in range(3):
                    assert (await client.get(path)).status_code == 200
                timed.samples.clear()
                for _ in range(requests):
                    assert (await client.get(path)).status_code == 200
                figures[name] = p95(timed.samples)
            start = time.perf_counter()
            reference(staff_csv(1000, ORGS))
            figures["reference"] = time.perf_counter() - start
        return figures
    finally:
        await db.close()


def spread(values: list[float]) -> str:
    return f"median {statistics.median(values):7.3f}  (min {min(values):.3f}, max {max(values):.3f})"


async def run(rows: int, members: int, requests: int, runs: int) -> None:
    print(f"load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())} (shared machine)")
    data = staff_csv(rows, ORGS)
    results = []
    for i in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            results.append(await import_once(Path(tmp), data))
    preview, apply, ref = ([r[k] for r in results] for k in range(3))
    print(f"CSV import, {rows} rows (CP932, 20 organizations), {runs} runs, seconds:")
    print(f"  preview            {spread(preview)}   ×{statistics.median(p / r for p, _, r in results):.0f} reference")
    print(f"  apply              {spread(apply)}   ×{statistics.median(a / r for _, a, r in results):.0f} reference")
    print(f"  preview + apply    {spread([p + a for p, a, _ in results])}   (target < 10 s)")
    print(f"  reference (stdlib csv parse + sort of the same file) {spread(ref)}")
    pages = []
    for i in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            pages.append(await directory_once(Path(tmp), members, requests))
    print(f"directory page with {members} members, p95 of {requests} requests per run, {runs} runs, ms:")
    for name in ("own organization", "search all (鈴木 資産税)"):
        ms = [p[name] * 1000 for p in pages]
        print(f"  {name:<24} p95 {spread(ms)}")
    print(f"  reference (stdlib csv parse + sort, 1,000 rows) {spread([p['reference'] * 1000 for p in pages])}")
    print(f"load average at end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(run(args.rows, args.members, args.requests, args.runs))


if __name__ == "__main__":
    main()
