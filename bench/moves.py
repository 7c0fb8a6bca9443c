"""Personnel changes at size, and space creation in the web.

1. 5,000 moves (transfers, new addresses, leavers with successors) dated tomorrow: time to
   preview + schedule them, time to apply them all (one `kairan move apply` pass: each move
   claimed in the transaction of its effects and its audit entry), and the peak memory of the
   apply (Python heap by tracemalloc; the process's max RSS). Reference in the same run: seeding
   the 5,000 staff (one transaction).
2. Space creation in the web: POST /spaces/new (3 members from 3 organizations, audited) timed
   inside the ASGI app, p50/p95; reference: GET / (home) in the same run.

Runs are repeated (--runs, default 3): median and spread are printed with the load average,
since the machine may be shared.

    .venv/bin/python bench/moves.py [--moves 5000] [--runs 3] [--creates 100]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.admin.audit import SYSTEM  # noqa: E402
from archive.blobs import BlobStore  # noqa: E402
from archive.db import Database  # noqa: E402
from archive.members import set_password_hash  # noqa: E402
from archive.moves.apply import run_moves  # noqa: E402
from archive.moves.schedule import preview, schedule  # noqa: E402
from archive.passwords import hash_password  # noqa: E402
from kairan.staffing import moves_csv, seed_staff  # noqa: E402
from web.app import create_app  # noqa: E402
from web.services import WebServices  # noqa: E402

JST = ZoneInfo("Asia/Tokyo")
PASSWORD = "bench-password-2026"


def spread(values: list[float]) -> str:
    return f"median {statistics.median(values):8.2f}  min {min(values):8.2f}  max {max(values):8.2f}"


async def moves_run(count: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "kairan.db")
        started = time.perf_counter()
        staff = await seed_staff(db, count)
        seeded = time.perf_counter() - started
        tomorrow = (datetime.now(JST) + timedelta(days=1)).date()
        data = moves_csv(staff, tomorrow)
        started = time.perf_counter()
        planned = await preview(db, data, datetime.now(JST).date())
        assert not planned.errors, planned.errors[:3]
        await schedule(db, SYSTEM, planned)
        scheduled = time.perf_counter() - started
        at = datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=JST)
        tracemalloc.start()
        started = time.perf_counter()
        done = await run_moves(db, at, domain="bench.example.lg.jp")
        applied = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert done.applied == count, done
        await db.close()
    return {"seed": seeded, "schedule": scheduled, "apply": applied, "peak_mb": peak / 1e6}


class Timed:
    """ASGI wrapper: seconds from the call to the end of the response body, per path."""

    def __init__(self, app):
        self.app = app
        self.samples: dict[str, list[float]] = {}

    async def __call__(self, scope, receive, send):
        start = time.perf_counter()
        await self.app(scope, receive, send)
        if scope["type"] == "http":
            self.samples.setdefault(f"{scope['method']} {scope['path']}", []).append(time.perf_counter() - start)


def p95(samples: list[float]) -> float:
    ms = sorted(s * 1000 for s in samples)
    return ms[min(len(ms) - 1, int(len(ms) * 0.95))]


async def creation_run(creates: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "kairan.db")
        staff = await seed_staff(db, 300)
        hashed = await asyncio.to_thread(hash_password, PASSWORD)
        me = await db.fetchval("SELECT member_id FROM member_addresses WHERE address = ?", (staff.admins["pref"],))
        await set_password_hash(db, me, hashed)
        services = WebServices(db=db, blobs=BlobStore(Path(tmp) / "blobs"), domain="bench.example.lg.jp",
                               base_url="http://bench", secret_key="bench")
        timed = Timed(create_app(services))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=timed), base_url="http://bench") as client:
            page = await client.get("/signin")
            token = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            await client.post("/signin", data={"csrf": token, "email": staff.admins["pref"], "password": PASSWORD})
            page = await client.get("/spaces/new")
            token = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            for _ in range(5):
                await client.get("/")
            timed.samples.clear()
            for i in range(creates):
                answer = await client.post("/spaces/new", data={
                    "csrf": token, "title": f"ベンチ連絡会 {i}", "slug": f"bench-{i}", "mode": "digest",
                    "members": [staff.admins["aoba"], staff.movers[i * 3 + 2], staff.movers[i * 3]]})
                assert answer.status_code == 303, answer.text[:300]
                assert (await client.get("/")).status_code == 200
        await db.close()
    return {"create_p95": p95(timed.samples["POST /spaces/new"]), "home_p95": p95(timed.samples["GET /"])}


async def main(count: int, runs: int, creates: int) -> None:
    print(f"load average at start: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} "
          f"(figures taken on a shared machine)")
    moves = [await moves_run(count) for _ in range(runs)]
    print(f"{count} moves, {runs} runs (seconds):")
    for key in ("seed", "schedule", "apply"):
        print(f"  {key:<9} {spread([m[key] for m in moves])}")
    print(f"  apply/seed ratio     {spread([m['apply'] / m['seed'] for m in moves])}")
    print(f"  apply per move (ms)  {spread([m['apply'] / count * 1000 for m in moves])}")
    print(f"  apply peak Python heap (MB) {spread([m['peak_mb'] for m in moves])}")
    print(f"  process max RSS (MB) {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}")
    web = [await creation_run(creates) for _ in range(runs)]
    print(f"space creation in the web, {creates} POST /spaces/new per run (ms):")
    print(f"  create p95  {spread([w['create_p95'] for w in web])}")
    print(f"  home p95    {spread([w['home_p95'] for w in web])}   (reference)")
    print(f"  ratio       {spread([w['create_p95'] / w['home_p95'] for w in web])}")
    print(f"load average at end: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--creates", type=int, default=100)
    args = parser.parse_args()
    asyncio.run(main(args.moves, args.runs, args.creates))
