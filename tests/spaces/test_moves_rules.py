"""The moves CSV read as Excel writes it, every bad row named, all or nothing, cancel, and
`kairan serve`'s tick applying a move at 00:00 Japan time of its date (an injected clock)."""

from __future__ import annotations

import email
from datetime import date, datetime, timedelta, timezone
from email import policy

import pytest

from archive.admin.audit import SYSTEM
from archive.errors import Conflict, Invalid
from archive.members import get_member_by_address
from archive.moves.dates import parse_effective
from archive.moves.schedule import cancel_move, list_moves, preview, schedule
from kairan.mail import make_dispatcher
from kairan.server import moves_pass

TODAY = date(2027, 3, 20)
HEAD = "メールアドレス,発令日,新団体,新所属,新アドレス,後任,退職\r\n"


@pytest.mark.parametrize("text, day", [
    ("2027-04-01", date(2027, 4, 1)), ("2027/4/1", date(2027, 4, 1)), ("令和9年4月1日", date(2027, 4, 1)),
    ("令和元年5月1日", date(2019, 5, 1)), ("２０２７年４月１日", date(2027, 4, 1)), ("R9.4.1", date(2027, 4, 1)),
])
def test_effective_dates_as_people_write_them(text, day):
    assert parse_effective(text) == day


@pytest.mark.parametrize("text", ["2027-02-30", "来月", "", "令和9年13月1日"])
def test_a_date_that_is_no_date_says_what_is_accepted(text):
    with pytest.raises(ValueError, match="write 2027-04-01 or 令和9年4月1日"):
        parse_effective(text)


async def test_every_bad_row_is_named_and_nothing_is_scheduled(seeded):
    rows = [
        "sato@pref.yamakawa.lg.jp,2027-04-01,aoba,財政課,,,",             # fine
        "nobody@pref.yamakawa.lg.jp,2027-04-01,aoba,,,,",                  # unknown member
        "suzuki@city.aoba.lg.jp,2027-03-01,,新課,,,",                      # in the past
        "ito@town.wakaba.lg.jp,2027-04-01,nowhere,,,,",                    # unknown organization
        "takahashi@city.aoba.lg.jp,2027-04-01,,,,,",                       # nothing changes
        "outsider@town.wakaba.lg.jp,2027-04-01,pref,,,,1",                 # leaver with a new org
        "sato@pref.yamakawa.lg.jp,4月1日,,,,,",                             # no year: not a date
        "suzuki@city.aoba.lg.jp,2027-04-01,,,sato@pref.yamakawa.lg.jp,,",  # address of another member
        "ito@town.wakaba.lg.jp,2027-04-01,,,,ito@town.wakaba.lg.jp,1",     # their own successor
    ]
    planned = await preview(seeded.db, (HEAD + "\r\n".join(rows) + "\r\n").encode("cp932"), TODAY)
    assert [e.split(":")[0] for e in planned.errors] == [f"line {n}" for n in range(3, 11)]
    assert "no member with address" in planned.errors[0] and "in the past" in planned.errors[1]
    assert "no organization 'nowhere'" in planned.errors[2] and "nothing changes" in planned.errors[3]
    assert "a leaver" in planned.errors[4] and "is not a date" in planned.errors[5]
    assert "belongs to another member" in planned.errors[6] and "themselves" in planned.errors[7]
    with pytest.raises(Invalid, match="8 line"):
        await schedule(seeded.db, SYSTEM, planned)
    assert await list_moves(seeded.db) == []


async def test_a_file_that_is_not_the_moves_csv_is_one_clear_problem(seeded):
    from archive.moves.csvfile import CsvProblem
    for data, words in ((b"", "empty"), ("名前,日付\r\n".encode("cp932"), "unknown column"),
                        ("メールアドレス\r\n".encode("utf-8-sig"), "lacks the column")):
        with pytest.raises(CsvProblem, match=words):
            await preview(seeded.db, data, TODAY)


async def test_the_preview_flags_a_space_left_with_one_organization(seeded):
    csv = HEAD + "takahashi@city.aoba.lg.jp,2027-04-01,pref,,,,\r\n"          # bousai: pref + aoba → pref only
    planned = await preview(seeded.db, csv.encode("utf-8-sig"), TODAY)
    assert planned.errors == [] and planned.warnings == ["space bousai would have members from 1 organization(s) only"]


async def test_a_cancelled_move_is_never_applied_and_cant_be_cancelled_twice(seeded):
    csv = HEAD + "suzuki@city.aoba.lg.jp,2027-04-01,,新課,,,\r\n"
    await schedule(seeded.db, SYSTEM, await preview(seeded.db, csv.encode(), TODAY))
    move, = await list_moves(seeded.db)
    assert (await cancel_move(seeded.db, SYSTEM, move.id)).state == "cancelled"
    with pytest.raises(Conflict, match="cancelled already"):
        await cancel_move(seeded.db, SYSTEM, move.id)
    seeded.clock = lambda: datetime(2027, 4, 2, tzinfo=timezone.utc)
    assert (await moves_pass(seeded)()).applied == 0
    assert (await get_member_by_address(seeded.db, "suzuki@city.aoba.lg.jp")).dept == "資産税課"


async def test_serve_applies_a_move_at_midnight_japan_time_and_only_once(seeded):
    csv = HEAD + "suzuki@city.aoba.lg.jp,2027-04-01,pref,企画課,,,\r\n"
    await schedule(seeded.db, SYSTEM, await preview(seeded.db, csv.encode(), TODAY))
    midnight = datetime(2027, 3, 31, 15, 0, tzinfo=timezone.utc)              # 2027-04-01 00:00 JST
    tick = moves_pass(seeded)
    seeded.clock = lambda: midnight - timedelta(seconds=1)
    assert (await tick()).applied == 0
    seeded.clock = lambda: midnight
    assert (await tick()).applied == 1
    assert (await tick()).applied == 0
    member = await get_member_by_address(seeded.db, "suzuki@city.aoba.lg.jp")
    assert (member.org_slug, member.dept) == ("pref", "企画課")
    assert (await list_moves(seeded.db))[0].state == "applied"


async def test_org_admins_get_one_summary_mail_through_the_dispatcher(seeded):
    async with seeded.db.write() as tx:
        await tx.execute("UPDATE members SET is_org_admin = 1 WHERE id = (SELECT member_id FROM member_addresses "
                         "WHERE address = 'takahashi@city.aoba.lg.jp')")
    csv = HEAD + "suzuki@city.aoba.lg.jp,2027-04-01,pref,企画課,,,\r\n"
    await schedule(seeded.db, SYSTEM, await preview(seeded.db, csv.encode(), TODAY))
    seeded.clock = lambda: datetime(2027, 3, 31, 15, 0, tzinfo=timezone.utc)
    assert (await moves_pass(seeded)()).reports == 1
    dispatcher = make_dispatcher(seeded)
    assert (await dispatcher.dispatch(kinds=("reminder",))).sent == 1
    assert (await dispatcher.dispatch(kinds=("reminder",))).sent == 0
    sent, = list((seeded.settings.outbox_dir / "new").iterdir())
    msg = email.message_from_bytes(sent.read_bytes(), policy=policy.default)
    assert msg["To"].addresses[0].addr_spec == "takahashi@city.aoba.lg.jp"
    assert "人事異動を反映しました（青葉市・1件）" in str(msg["Subject"])
    text = msg.get_body(("plain",)).get_content()
    assert "鈴木 裕子" in text and "青葉市 資産税課 → 山河県 企画課" in text


async def test_an_answer_stays_with_the_organization_the_author_answered_for_after_a_transfer(seeded):
    from archive.inquiries.records import find_inquiry, insert_inquiry
    from archive.inquiries.status import inquiry_rows
    from archive.posts import NewPost, add_post
    from archive.spaces import find_space
    space = await find_space(seeded.db, "zeimu")
    sato = await get_member_by_address(seeded.db, "sato@pref.yamakawa.lg.jp")
    suzuki = await get_member_by_address(seeded.db, "suzuki@city.aoba.lg.jp")
    head = await add_post(seeded.db, NewPost(space_id=space.id, thread_id=None, message_id="<q@p>", subject="【照会】件数",
                                             norm_subject="【照会】件数", from_name=sato.name, from_address=sato.email,
                                             date_utc="2027-03-01T00:00:00Z", author_id=sato.id))
    async with seeded.db.write() as tx:
        await insert_inquiry(tx, head.thread_id, space.id, sato.org_id, None, "2027-03-01T00:00:00Z", opened_by=sato.id)
    await add_post(seeded.db, NewPost(space_id=space.id, thread_id=head.thread_id, message_id="<a@a>", subject="Re",
                                      norm_subject="【照会】件数", from_name=suzuki.name, from_address=suzuki.email,
                                      date_utc="2027-03-02T00:00:00Z", author_id=suzuki.id))
    csv = HEAD + "suzuki@city.aoba.lg.jp,2027-04-01,wakaba,税務課,,,\r\n"
    await schedule(seeded.db, SYSTEM, await preview(seeded.db, csv.encode(), TODAY))
    seeded.clock = lambda: datetime(2027, 4, 1, tzinfo=timezone.utc)
    assert (await moves_pass(seeded)()).applied == 1
    rows = {r.org.slug: r.status for r in await inquiry_rows(
        seeded.db, await find_inquiry(seeded.db, head.thread_id), seeded.clock(), "Asia/Tokyo")}
    assert rows == {"aoba": "answered", "wakaba": "pending"}
