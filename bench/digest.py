"""Daily digests at prefecture scale: plan, render and serialize every member's digest; print time and peak RSS.

    python bench/digest.py [--members 20000] [--spaces 200] [--per-member 20] [--posts 2000]

Seeds a fresh database (in a child process, with plain sqlite3 for speed: the
archive's own calls commit one row at a time) with the members, spaces and
memberships, 20,000 older posts already covered by yesterday's digests, and the
new posts; then, in this process, runs what `kairan digest` runs — plan the
day's digests set-based, record them in the ledger, render and send each — with
a sender that serializes the mail (`as_bytes()`) and throws it away.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import resource
import sqlite3
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.db import Database  # noqa: E402
from bridge.outbound.compose import MailSettings  # noqa: E402
from bridge.outbound.digest_run import plan_digests, record_plan  # noqa: E402
from bridge.outbound.dispatch import Dispatcher  # noqa: E402
from bridge.outbound.transport import SendResult  # noqa: E402
from web.urls import WebLinks  # noqa: E402

AS_OF = datetime(2026, 11, 26, 23, 30, tzinfo=timezone.utc)          # 2026-11-27 08:30 JST
OLD_POSTS = 20_000
TEXT = ("県税務課の佐藤です。標記の件について、各市町村の運用状況を教えてください。"
        "回答は今週中にお願いします。\n\nよろしくお願いします。\n") * 3


def seed(path: str, members: int, spaces: int, per_member: int, new_posts: int) -> None:
    random.seed(7)
    conn = sqlite3.connect(path)
    conn.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;")
    then, yesterday, today = "2026-11-01T00:00:00Z", "2026-11-25T23:30:00Z", "2026-11-26T03:00:00Z"
    conn.executemany("INSERT INTO orgs (id, slug, name, created_at) VALUES (?, ?, ?, ?)",
                     [(o, f"org{o}", f"団体{o}", then) for o in range(1, 21)])
    conn.executemany("INSERT INTO members (id, name, org_id, created_at) VALUES (?, ?, ?, ?)",
                     ((m, f"職員{m}", m % 20 + 1, then) for m in range(1, members + 1)))
    conn.executemany("INSERT INTO member_addresses (address, member_id, is_primary) VALUES (?, ?, 1)",
                     ((f"staff{m}@org{m % 20 + 1}.example.lg.jp", m) for m in range(1, members + 1)))
    conn.executemany("INSERT INTO spaces (id, slug, title, created_at) VALUES (?, ?, ?, ?)",
                     [(s, f"space{s}", f"連絡会{s}", then) for s in range(1, spaces + 1)])
    conn.executemany(
        "INSERT INTO memberships (space_id, member_id, mode, joined_at) VALUES (?, ?, ?, ?)",
        ((s, m, "digest" if random.random() < 0.9 else "each", then)
         for m in range(1, members + 1) for s in random.sample(range(1, spaces + 1), per_member)))
    threads = spaces * 3
    conn.executemany("INSERT INTO threads (id, space_id, subject, norm_subject, token, created_at, last_post_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)",
                     [(t, t % spaces + 1, f"件名{t}について", f"件名{t}について", f"tok{t:09d}", then, today)
                      for t in range(1, threads + 1)])
    posts = ((p, (t := random.randint(1, threads)) % spaces + 1, t, f"<p{p}@example.lg.jp>", random.randint(1, members),
              f"職員{p}", f"staff{p}@example.lg.jp", created, f"Re: 件名{t}", TEXT, TEXT, created)
             for p, created in [(p, then) for p in range(1, OLD_POSTS + 1)]
             + [(p, today) for p in range(OLD_POSTS + 1, OLD_POSTS + new_posts + 1)])
    conn.executemany("INSERT INTO posts (id, space_id, thread_id, message_id, author_id, from_name, from_address, "
                     "date_utc, subject, body_text, reply_text, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", posts)
    conn.executemany("INSERT INTO attachments (post_id, position, filename, content_type, size, sha256) "
                     "VALUES (?, 0, ?, 'application/pdf', ?, ?)",
                     [(p, f"資料{p}.pdf", 2_000_000, "0" * 64) for p in range(OLD_POSTS + 1, OLD_POSTS + new_posts, 5)])
    conn.executemany("INSERT INTO digest_marks (member_id, day, to_post_id) VALUES (?, ?, ?)",
                     ((m, yesterday[:10], OLD_POSTS) for m in range(1, members + 1)))
    conn.commit()
    conn.close()


class SerializingSender:
    """Does what a relay send costs us locally (serializing the mail), then drops it."""

    def __init__(self):
        self.mails = 0
        self.bytes = 0

    async def send(self, message, recipients=None) -> SendResult:
        self.mails += 1
        self.bytes += len(message.as_bytes())
        return SendResult(accepted=tuple(recipients or ()))

    async def close(self) -> None:
        return None


async def create_schema(path: Path) -> None:
    db = await Database.open(path)
    await db.close()


async def measure(path: Path) -> None:
    settings = MailSettings(domain="kairan.example.lg.jp", secret_key="bench")
    db = await Database.open(path, lambda: AS_OF)
    sender = SerializingSender()
    load_before = os.getloadavg()[0]
    started, cpu_started = time.perf_counter(), time.process_time()
    plan = await plan_digests(db, settings, 8, AS_OF)
    planned = await record_plan(db, settings, plan, AS_OF)
    plan_seconds = time.perf_counter() - started
    report = await Dispatcher(db, sender, settings, WebLinks("https://kairan.example.lg.jp"), lambda: AS_OF,
                              batch=1000).dispatch(kinds=("digest",))
    total = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    await db.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"digests planned: {planned} (members due: {len(plan.due_member_ids)}) in {plan_seconds:.1f} s")
    print(f"digests built and serialized: {sender.mails} ({sender.bytes / 1e6:.0f} MB, "
          f"avg {sender.bytes / max(sender.mails, 1) / 1024:.0f} KB); sent {report.sent}, failed {report.failed}")
    print(f"total: {total:.1f} s (CPU of this process, all threads: {cpu:.1f} s); peak RSS: {peak_mb:.0f} MB; load average {os.getloadavg()[0]:.2f} "
          f"(at start {load_before:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--spaces", type=int, default=200)
    parser.add_argument("--per-member", type=int, default=20, help="spaces each member belongs to")
    parser.add_argument("--posts", type=int, default=2_000, help="new posts since yesterday's digests")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kairan.db"
        asyncio.run(create_schema(path))
        started = time.perf_counter()
        child = multiprocessing.Process(target=seed, args=(str(path), args.members, args.spaces, args.per_member,
                                                           args.posts))
        child.start()
        child.join()
        print(f"seeded {args.members} members x {args.per_member} of {args.spaces} spaces, {args.posts} new posts "
              f"in {time.perf_counter() - started:.1f} s")
        asyncio.run(measure(path))


if __name__ == "__main__":
    main()
