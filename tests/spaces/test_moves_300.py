"""Acceptance: 300 moves dated tomorrow, previewed and imported; applied once at the date (the
clock given by --as-of), also across a kill -9 in the middle of applying; old addresses keep
taking mail for 90 days; inquiries stay pending for the organization; posts keep the old department."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest

from archive.inquiries.records import insert_inquiry
from archive.inquiries.status import inquiry_rows
from archive.inquiries.records import find_inquiry
from archive.members import find_member_by_address, find_member_for_signin
from archive.posts import NewPost, add_post, get_post
from archive.spaces import find_space
from bridge.ingest.worker import IngestWorker
from kairan.config import HostPort
from kairan.context import open_context
from kairan.fixtures import make_data_dir
from kairan.listeners import Listeners, start_gateway
from kairan.staffing import ORGS, mover, moves_csv, new_address, seed_staff

JST = ZoneInfo("Asia/Tokyo")
COUNT = 300


def kairan(data, *args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kairan", "--data", str(data), *args], capture_output=True,
                          text=True, timeout=300, **kw)


def count(data, sql: str, params=()) -> int:
    with sqlite3.connect(data / "kairan.db", timeout=30) as db:
        return db.execute(sql, params).fetchone()[0]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """300 movers in 30 spaces, a pending inquiry asked of 青葉市, a post by a mover who will transfer."""
    data = make_data_dir(tmp_path_factory.mktemp("moves") / "data")
    tomorrow = (datetime.now(JST) + timedelta(days=1)).date()

    async def seed():
        async with open_context(data) as ctx:
            staff = await seed_staff(ctx.db, COUNT)
            space = await find_space(ctx.db, staff.spaces[0])
            author = await find_member_by_address(ctx.db, mover(0)[0])          # a transfer (i % 3 == 0)
            stored = await add_post(ctx.db, NewPost(
                space_id=space.id, thread_id=None, message_id="<q1@pref.yamakawa.lg.jp>", subject="【照会】名簿の確認",
                norm_subject="【照会】名簿の確認", from_name=author.name, from_address=author.email,
                date_utc="2026-11-20T01:00:00Z", author_id=author.id, reply_text="ご確認ください。"))
            asker = await find_member_by_address(ctx.db, staff.admins["pref"])
            await insert_inquiry_for(ctx, stored.thread_id, space.id, asker)
            return staff, stored.post_id, stored.thread_id
    staff, post_id, thread_id = asyncio.run(seed())
    csv_file = data.parent / "異動.csv"
    csv_file.write_bytes(moves_csv(staff, tomorrow))
    return data, staff, tomorrow, csv_file, post_id, thread_id


async def insert_inquiry_for(ctx, thread_id, space_id, asker):
    async with ctx.db.write() as tx:
        await insert_inquiry(tx, thread_id, space_id, asker.org_id, None, "2026-11-20T01:00:00Z", opened_by=asker.id)


def midnight(day) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=JST)


def test_preview_names_nothing_wrong_and_schedules_nothing(world):
    data, staff, tomorrow, csv_file, *_ = world
    run = kairan(data, "move", "import", str(csv_file), "--dry-run")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == f"would schedule {COUNT}"
    assert count(data, "SELECT COUNT(*) FROM moves") == 0


def test_import_schedules_every_move_and_nothing_changes_before_the_date(world):
    data, staff, tomorrow, csv_file, *_ = world
    run = kairan(data, "move", "import", str(csv_file))
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == f"scheduled {COUNT}"
    listed = json.loads(kairan(data, "move", "list", "--json").stdout)["moves"]
    assert len(listed) == COUNT and {m["state"] for m in listed} == {"scheduled"}
    assert {m["effective"] for m in listed} == {tomorrow.isoformat()}
    assert listed[2]["leave"] is True and listed[2]["successor"] == staff.successors[2]
    assert listed[0]["new_org"] == ORGS[1][0] and listed[1]["new_address"] == new_address(1)
    before = midnight(tomorrow) - timedelta(seconds=1)
    run = kairan(data, "move", "apply", "--as-of", before.isoformat())
    assert run.stdout.strip() == "applied 0"
    assert count(data, "SELECT COUNT(*) FROM moves WHERE state = 'scheduled'") == COUNT
    assert count(data, "SELECT COUNT(*) FROM members WHERE active = 0") == 0


def test_a_kill_in_the_middle_then_a_restart_applies_each_move_exactly_once(world):
    data, staff, tomorrow, *_ = world
    at = midnight(tomorrow).isoformat()
    process = subprocess.Popen([sys.executable, "-m", "kairan", "--data", str(data), "move", "apply", "--as-of", at,
                                "--chunk", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    applied = 0
    while time.monotonic() < deadline and applied < 20:
        time.sleep(0.01)
        applied = count(data, "SELECT COUNT(*) FROM moves WHERE state = 'applied'")
    os.kill(process.pid, signal.SIGKILL)
    process.wait(30)
    interrupted = count(data, "SELECT COUNT(*) FROM moves WHERE state = 'applied'")
    assert 0 < interrupted < COUNT, "the kill must land while moves are being applied"
    run = kairan(data, "move", "apply", "--as-of", at)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"applied {COUNT - interrupted}"
    assert kairan(data, "move", "apply", "--as-of", at).stdout.strip() == "applied 0"
    assert count(data, "SELECT COUNT(*) FROM moves WHERE state = 'applied'") == COUNT
    assert count(data, "SELECT COUNT(*) FROM audit_log WHERE action = 'move.apply'") == COUNT
    assert count(data, "SELECT COUNT(DISTINCT target) FROM audit_log WHERE action = 'move.apply'") == COUNT
    assert kairan(data, "audit", "verify").returncode == 0


def test_transfers_new_addresses_and_leavers_with_successors_took_effect(world):
    data, staff, tomorrow, *_ = world
    with sqlite3.connect(data / "kairan.db") as db:
        def org_dept(address):
            return db.execute("SELECT o.slug, m.dept, m.active FROM member_addresses a JOIN members m ON "
                              "m.id = a.member_id JOIN orgs o ON o.id = m.org_id WHERE a.address = ?",
                              (address,)).fetchone()
        assert org_dept(mover(0)[0]) == (ORGS[1][0], "新課", 1)                 # transferred, same address
        assert org_dept(new_address(1)) == (ORGS[1][0], "新しい課", 1)           # new address is theirs
        assert org_dept(mover(2)[0])[2] == 0                                     # left
        spaces_of = lambda address: {r[0] for r in db.execute(
            "SELECT ms.space_id FROM memberships ms JOIN member_addresses a ON a.member_id = ms.member_id "
            "WHERE a.address = ?", (address,))}
        for i in range(2, COUNT, 3):
            assert spaces_of(mover(i)[0]) <= spaces_of(staff.successors[i]), i
        assert spaces_of(mover(0)[0]), "a transfer keeps their spaces"
        duplicated = db.execute("SELECT COUNT(*) FROM (SELECT space_id, member_id FROM memberships "
                                "GROUP BY space_id, member_id HAVING COUNT(*) > 1)").fetchone()[0]
        assert duplicated == 0
        modes = db.execute("""SELECT old.mode, new.mode FROM memberships old JOIN member_addresses oa
                              ON oa.member_id = old.member_id AND oa.address = ?
                              JOIN member_addresses na ON na.address = ? JOIN memberships new
                              ON new.member_id = na.member_id AND new.space_id = old.space_id""",
                           (mover(5)[0], staff.successors[5])).fetchall()
        assert modes and all(a == b for a, b in modes)


def test_old_address_signs_in_no_more_but_takes_mail_for_90_days_then_not(world):
    data, staff, tomorrow, *_ = world
    old, new = mover(1)[0], new_address(1)

    async def check():
        async with open_context(data) as ctx:
            assert await find_member_for_signin(ctx.db, old) is None
            assert (await find_member_for_signin(ctx.db, new)).email == new
            space = staff.spaces[1 % len(staff.spaces)]
            assert await send(ctx, old, space) == {}
            ingest = IngestWorker(ctx.db, ctx.blobs, ctx.settings.domain)
            await ingest.drain()
            post = await ctx.db.fetchone("SELECT author_id, author_dept FROM posts WHERE from_address = ?", (old,))
            assert post["author_id"] == (await find_member_by_address(ctx.db, new)).id
    asyncio.run(check())
    later = midnight(tomorrow) + timedelta(days=91)
    assert kairan(data, "move", "apply", "--as-of", later.isoformat()).returncode == 0

    async def refused():
        async with open_context(data) as ctx:
            with pytest.raises(Exception) as refusal:
                await send(ctx, old, staff.spaces[1 % len(staff.spaces)])
            assert "550" in str(refusal.value)
    asyncio.run(refused())
    assert count(data, "SELECT COUNT(*) FROM audit_log WHERE action = 'member.change' AND detail LIKE ?",
                 (f"%{old}%",)) == 1


async def send(ctx, sender: str, space: str) -> dict:
    import smtplib
    servers = await start_gateway(ctx, Listeners(HostPort("127.0.0.1", 0), HostPort("127.0.0.1", 0)), lambda: None)
    host, port = servers[0].sockets[0].getsockname()[:2]
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, f"{space}@{ctx.settings.domain}", "Re: 異動後の返信"
    msg.set_content("旧アドレスからの返信です。")

    def deliver():
        with smtplib.SMTP(host, port, timeout=30) as client:
            return client.send_message(msg, from_addr=sender, to_addrs=[msg["To"]])
    try:
        return await asyncio.to_thread(deliver)
    finally:
        for server in servers:
            server.close()
            await server.wait_closed()


def test_inquiries_stay_pending_for_the_organization_and_posts_keep_the_old_department(world):
    data, staff, tomorrow, csv_file, post_id, thread_id = world

    async def check():
        async with open_context(data) as ctx:
            inquiry = await find_inquiry(ctx.db, thread_id)
            rows = {r.org.slug: r.status for r in await inquiry_rows(ctx.db, inquiry, ctx.clock(), "Asia/Tokyo")}
            assert rows == {"aoba": "pending"}
            post = await get_post(ctx.db, post_id)
            author = await find_member_by_address(ctx.db, mover(0)[0])
            assert author.org_slug == ORGS[1][0] and author.dept == "新課"
            assert (post.author_org_name, post.author_dept) == (ORGS[0][1], mover(0)[2])
    asyncio.run(check())


def test_org_admins_get_one_summary_of_what_was_applied(world):
    data, staff, *_ = world
    rows = count(data, "SELECT COUNT(*) FROM deliveries WHERE kind = 'reminder' AND key LIKE 'moves:%'")
    admins = count(data, "SELECT COUNT(*) FROM members WHERE is_org_admin = 1 AND active = 1")
    reports = count(data, "SELECT COUNT(DISTINCT report) FROM moves")
    assert rows == admins * reports and reports in (1, 2)       # one per pass: the killed pass and its rerun
    assert count(data, "SELECT COUNT(*) FROM moves WHERE report IS NULL") == 0
