"""Web pages at size: server-side p50/p95 with the real app, templates and SQLite.

A space with 500 threads (3 posts each, quotes, signatures, some HTML mail and
attachments) and one thread of 200 posts. Each request is timed inside the
ASGI app (from the call to the last body byte), as a signed-in member whose
reads are already recorded — the steady state of someone browsing.

    .venv/bin/python bench/web.py [--requests 200]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.blobs import BlobStore  # noqa: E402
from archive.clock import to_iso  # noqa: E402
from archive.db import Database  # noqa: E402
from archive.members import add_member, set_password_hash  # noqa: E402
from archive.orgs import add_org  # noqa: E402
from archive.passwords import hash_password  # noqa: E402
from archive.posts import NewAttachment, NewPost, insert_post  # noqa: E402
from archive.spaces import create_space  # noqa: E402
from bench.synthetic import post as synthetic_post  # noqa: E402
from web.app import create_app  # noqa: E402
from web.services import WebServices  # noqa: E402

PASSWORD = "bench-password-2026"
PEOPLE = [(f"user{i}@{d}", f"職員 {i}", org) for i, (d, org) in enumerate(
    [("pref.example.lg.jp", "pref"), ("city.example.lg.jp", "city"), ("town.example.lg.jp", "town")] * 2)]
START = datetime(2026, 1, 5, tzinfo=timezone.utc)
HTML = "<div><p>{body}</p><table><tr><td>区分</td><td>割合</td></tr><tr><td>半壊</td><td>5割</td></tr></table>" \
       "<img src=\"http://remote.example/x.png\"><script>alert(1)</script></div>"


def new_post(rng: random.Random, space_id: int, thread_id: int | None, n: int, when: datetime, sha: str,
             author: tuple[int, tuple]) -> NewPost:
    subject, body = synthetic_post(rng)
    quoted = "\n".join("> " + line for line in synthetic_post(rng)[1].splitlines()[:8])
    member_id, (email, name, _) = author
    attachments = (NewAttachment(0, f"資料{n}.xlsx", "application/vnd.ms-excel", 18_000 + n, sha),) if n % 4 == 0 else ()
    return NewPost(space_id=space_id, thread_id=thread_id, message_id=f"<bench{n}@example.lg.jp>", subject=subject,
                   norm_subject=subject, from_name=name, from_address=email, date_utc=to_iso(when),
                   author_id=member_id, body_text=body + "\n" + quoted, body_html=HTML.format(body=body) if n % 5 == 0
                   else "", reply_text=body, quoted_text=quoted, signature=f"――――\n{name}\nTEL 000-0000",
                   attachments=attachments)


async def populate(db: Database, blobs: BlobStore) -> tuple[int, int]:
    """500 threads × 3 posts, then one thread of 200 posts; returns (big thread id, space id)."""
    for slug in ("pref", "city", "town"):
        await add_org(db, slug, slug.upper(), [f"{slug}.example.lg.jp"])
    hashed = await asyncio.to_thread(hash_password, PASSWORD)
    authors = []
    for email, name, org in PEOPLE:
        member = await add_member(db, email, name, org, "税務課")
        await set_password_hash(db, member.id, hashed)
        authors.append((member.id, (email, name, org)))
    space = await create_space(db, "bench", "ベンチマーク連絡会", [p[0] for p in PEOPLE])
    sha = await asyncio.to_thread(blobs.put, b"x" * 1000, durable=False)
    rng, n = random.Random(7), 0
    async with db.write() as conn:
        for t in range(500):
            thread_id = None
            for k in range(3):
                n += 1
                when = START + timedelta(hours=t * 3 + k)
                stored = await insert_post(conn, new_post(rng, space.id, thread_id, n, when, sha,
                                                          rng.choice(authors)), to_iso(when))
                thread_id = stored.thread_id
        big = None
        for k in range(200):
            n += 1
            when = START + timedelta(days=90, minutes=k * 7)
            stored = await insert_post(conn, new_post(rng, space.id, big, n, when, sha, rng.choice(authors)),
                                       to_iso(when))
            big = stored.thread_id
    return big, space.id


class Timed:
    """ASGI wrapper: seconds from the call to the end of the response body."""

    def __init__(self, app):
        self.app = app
        self.samples: list[float] = []
        self.cpu: list[float] = []          # CPU seconds of the process (all its threads) per request

    async def __call__(self, scope, receive, send):
        start, cpu = time.perf_counter(), time.process_time()
        await self.app(scope, receive, send)
        if scope["type"] == "http":
            self.samples.append(time.perf_counter() - start)
            self.cpu.append(time.process_time() - cpu)


async def measure(client: httpx.AsyncClient, timed: Timed, path: str, count: int) -> list[float]:
    for _ in range(5):
        assert (await client.get(path)).status_code == 200, path
    timed.samples.clear()
    timed.cpu.clear()
    for _ in range(count):
        response = await client.get(path)
        assert response.status_code == 200, path
    return list(timed.samples)


def reference_ms() -> float:
    """A fixed piece of CPU work, timed now: the machine is shared, so figures are also ratios to it."""
    data = b"k" * (8 * 1024 * 1024)
    began = time.perf_counter()
    hashlib.sha256(data).digest()
    return (time.perf_counter() - began) * 1000


def p95_of(samples: list[float]) -> float:
    ms = sorted(s * 1000 for s in samples)
    return ms[min(len(ms) - 1, int(len(ms) * 0.95))]


async def report(name: str, client, timed, path: str, count: int, runs: int, reference: float) -> None:
    """Median and spread of the p95 over `runs` rounds, and the ratio to the reference request."""
    rounds, cpu = [], []
    for _ in range(runs):
        rounds.append(await measure(client, timed, path, count))
        cpu += timed.cpu
    p95s = [p95_of(r) for r in rounds]
    p50 = statistics.median(s * 1000 for r in rounds for s in r)
    print(f"{name:<34} p95 median {statistics.median(p95s):6.1f} ms (runs {', '.join(f'{p:.1f}' for p in p95s)}; "
          f"x{statistics.median(p95s) / reference:.1f} reference)  p50 {p50:6.1f} ms  CPU p50 "
          f"{statistics.median(cpu) * 1000:5.1f} ms p95 {p95_of(cpu):5.1f} ms")


async def run(requests: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "kairan.db")
        blobs = BlobStore(Path(tmp) / "blobs")
        started = time.perf_counter()
        big, _ = await populate(db, blobs)
        print(f"data: 500 threads × 3 posts + 1 thread × 200 posts in {time.perf_counter() - started:.1f} s")
        services = WebServices(db=db, blobs=blobs, domain="kairan.example.lg.jp", base_url="http://bench",
                               secret_key="bench")
        timed = Timed(create_app(services))
        transport = httpx.ASGITransport(app=timed)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            page = await client.get("/signin")
            token = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            await client.post("/signin", data={"csrf": token, "email": PEOPLE[0][0], "password": PASSWORD})
            timed.samples.clear()
            assert (await client.get(f"/s/bench/t/{big}/")).status_code == 200
            cold = timed.samples[-1] * 1000
            reference = statistics.median(reference_ms() for _ in range(5))
            print(f"reference (SHA-256 of 8 MB): {reference:.1f} ms; load average {os.getloadavg()[0]:.2f}")
            print(f"thread page (200 posts), first render after start: {cold:.1f} ms")
            for name, path in (("space page (500 threads), page 1", "/s/bench/"),
                               ("space page (500 threads), page 10", "/s/bench/?page=10"),
                               ("thread page (200 posts)", f"/s/bench/t/{big}/"),
                               ("thread page (3 posts)", "/s/bench/t/1/"), ("home", "/")):
                await report(name, client, timed, path, requests, runs, reference)
            print(f"load average after: {os.getloadavg()[0]:.2f}")
        await db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(run(args.requests, args.runs))


if __name__ == "__main__":
    main()
