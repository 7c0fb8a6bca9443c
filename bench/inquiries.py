"""Inquiry figures: deadline parsing speed, matrix read time, digest-section and reminder planning at scale.

A prefecture-sized deployment: 20 organizations, 100 spaces of 40 members, 4 inquiries
per space (400), each answered by half its targets (3 posts per answering org).

    .venv/bin/python bench/inquiries.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.clock import to_iso  # noqa: E402
from archive.db import Database  # noqa: E402
from archive.inquiries.records import get_inquiry, insert_inquiry  # noqa: E402
from archive.inquiries.status import inquiry_rows  # noqa: E402
from archive.inquiries.waiting import waiting_for  # noqa: E402
from archive.posts import NewPost, insert_post  # noqa: E402
from bridge.outbound.compose import MailSettings  # noqa: E402
from bridge.inquiries.deadlines import find_deadline  # noqa: E402
from bridge.inquiries.reminders import plan_reminders  # noqa: E402

NOW = datetime(2026, 11, 27, 1, 0, tzinfo=timezone.utc)
TZ = "Asia/Tokyo"


# How deadlines are written in real 照会 mail: one phrasing of each family find_deadline knows.
DEADLINE_TEXTS = [
    "回答期限：12月5日", "【回答期限】１２月５日（金）", "12/5(金)まで", "12月5日（金）17時までにご回答ください",
    "12月5日（金）午後5時までに返信願います", "令和8年12月5日までに回答", "R8.12.5まで", "回答期限 2026-12-05",
    "２０２６年１２月５日までに", "〆切 12/5", "12月5日必着でお願いします", "回答期限：十二月五日", "今月末までに",
    "研修会を12月5日に開催します", "令和8年4月1日から令和9年3月31日まで実施します",
    "令和7年度の実績を12月5日（金）午後5時までにご回答ください",
]


def bench_parsing(rounds: int) -> None:
    texts = DEADLINE_TEXTS
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            find_deadline("【照会】" + text, (text * 3,), date(2026, 11, 20))
    elapsed = time.perf_counter() - start
    count = rounds * len(texts)
    print(f"deadline parsing: {count} mails in {elapsed:.2f} s = {elapsed / count * 1e6:.1f} µs per mail "
          "(subject + body)")


async def seed(db: Database, orgs: int, spaces: int, per_space: int, inquiries: int) -> list[int]:
    now = to_iso(NOW)
    async with db.write() as tx:
        for o in range(orgs):
            await tx.execute("INSERT INTO orgs (slug, name, created_at) VALUES (?, ?, ?)", (f"o{o}", f"団体{o}", now))
        member = 0
        for s in range(spaces):
            await tx.execute("INSERT INTO spaces (slug, title, created_at) VALUES (?, ?, ?)", (f"s{s}", f"S{s}", now))
            for k in range(per_space):
                member += 1
                await tx.execute("INSERT INTO members (id, name, org_id, created_at) VALUES (?, ?, ?, ?)",
                                 (member, f"職員{member}", k % orgs + 1, now))
                await tx.execute("INSERT INTO member_addresses (address, member_id, is_primary) VALUES (?, ?, 1)",
                                 (f"m{member}@o{k % orgs}.lg.jp", member))
                await tx.execute("INSERT INTO memberships (space_id, member_id, joined_at) VALUES (?, ?, ?)",
                                 (s + 1, member, now))
    threads = []
    for s in range(spaces):
        first_member = s * per_space + 1
        async with db.write() as tx:
            for i in range(inquiries):
                post = _post(s + 1, None, f"<q{s}.{i}@x>", first_member, NOW)
                stored = await insert_post(tx, post, now)
                threads.append(stored.thread_id)
                await insert_inquiry(tx, stored.thread_id, s + 1, 1, date(2026, 12, 5), now, opened_by=first_member)
                for k in range(1, per_space, 2):                       # half the members' orgs answer, 3 times each
                    for n in range(3):
                        await insert_post(tx, _post(s + 1, stored.thread_id, f"<a{s}.{i}.{k}.{n}@x>",
                                                    first_member + k, NOW + timedelta(hours=n + 1)), now)
    return threads


def _post(space_id: int, thread_id: int | None, message_id: str, author: int, when: datetime) -> NewPost:
    return NewPost(space_id=space_id, thread_id=thread_id, message_id=message_id, subject="【照会】調査",
                   norm_subject="【照会】調査", from_name=f"職員{author}", from_address=f"m{author}@x.lg.jp",
                   date_utc=to_iso(when), author_id=author, reply_text="回答します。毛布は1,200枚です。")


async def bench_archive(quick: bool) -> None:
    spaces = 20 if quick else 100
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "kairan.db", clock=lambda: NOW)
        start = time.perf_counter()
        threads = await seed(db, 20, spaces, 40, 4)
        posts = await db.fetchval("SELECT COUNT(*) FROM posts")
        print(f"seeded {len(threads)} inquiries, {posts} posts, {spaces * 40} members in "
              f"{time.perf_counter() - start:.1f} s")
        times = []
        for thread_id in threads[:200]:
            t0 = time.perf_counter()
            await inquiry_rows(db, await get_inquiry(db, thread_id), NOW, TZ)
            times.append(time.perf_counter() - t0)
        print(f"matrix read (19 orgs, 60 answers): p50 {statistics.median(times) * 1e3:.2f} ms, "
              f"p95 {sorted(times)[int(len(times) * 0.95)] * 1e3:.2f} ms")
        members = list(range(1, spaces * 40 + 1))
        t0 = time.perf_counter()
        for i in range(0, len(members), 200):
            await waiting_for(db, members[i:i + 200], NOW, TZ)
        elapsed = time.perf_counter() - t0
        print(f"digest section 回答待ちの照会 for {len(members)} members: {elapsed:.2f} s "
              f"({elapsed / len(members) * 1e3:.2f} ms per member)")
        t0 = time.perf_counter()
        planned = await plan_reminders(db, MailSettings("x.lg.jp", "k"), datetime(2026, 12, 3, 0, 0, tzinfo=timezone.utc), 2)
        print(f"reminder planning: {planned} reminders for {len(threads)} inquiries in {time.perf_counter() - t0:.2f} s")
        await db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    bench_parsing(20 if args.quick else 200)
    asyncio.run(bench_archive(args.quick))


if __name__ == "__main__":
    main()
