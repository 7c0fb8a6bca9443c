"""Inquiries opened by mail, answered by mail, read back as a matrix computed from the posts."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from archive.errors import Invalid
from archive.inquiries.records import can_edit, can_mark, find_inquiry, get_inquiry, set_not_applicable, set_targets
from archive.inquiries.status import inquiry_document, inquiry_rows, org_status, sort_rows
from archive.members import get_member_by_address
from archive.threads import list_threads
from archive.spaces import get_space
from tests.inquiries.conftest import (ITO, JST, KIMURA, SATO, START, SUZUKI, TAKAHASHI, TANAKA, letter, send)

SUBJECT = "【照会】避難所の備蓄状況について（回答期限：12月5日）"


async def open_by_mail(gateway, subject: str = SUBJECT, body: str = "備蓄数をお知らせください。\n") -> tuple:
    mid = await send(gateway, letter(TANAKA, subject, body, START))
    space = await get_space(gateway.ctx.db, "bousai")
    thread = (await list_threads(gateway.ctx.db, space.id))[0]
    return mid, thread


async def answer(gateway, sender: str, parent: str, hours: float, body: str = "回答します。\n", **kw) -> str:
    return await send(gateway, letter(sender, "Re: " + SUBJECT, body, START + timedelta(hours=hours), parent=parent,
                                      **kw))


async def statuses(ctx, thread_id: int, now=None) -> dict[str, str]:
    inquiry = await get_inquiry(ctx.db, thread_id)
    rows = await inquiry_rows(ctx.db, inquiry, now or ctx.clock(), "Asia/Tokyo")
    return {r.org.slug: r.status for r in rows}


async def test_marked_mail_opens_inquiry_with_deadline_and_other_orgs_as_targets(inq_gateway):
    _, thread = await open_by_mail(inq_gateway)
    inquiry = await get_inquiry(inq_gateway.ctx.db, thread.id)
    assert inquiry.asker.slug == "pref"
    assert inquiry.deadline == date(2026, 12, 5)
    assert [t.org.slug for t in inquiry.targets] == ["aoba", "midori", "wakaba"]


async def test_unmarked_mail_opens_no_inquiry(inq_gateway):
    _, thread = await open_by_mail(inq_gateway, subject="避難所の備蓄状況について（回答期限：12月5日）")
    assert await find_inquiry(inq_gateway.ctx.db, thread.id) is None


async def test_reply_with_marked_subject_does_not_open_a_second_inquiry(inq_gateway):
    mid, thread = await open_by_mail(inq_gateway)
    await answer(inq_gateway, TAKAHASHI, mid, 1)
    space = await get_space(inq_gateway.ctx.db, "bousai")
    assert [t.id for t in await list_threads(inq_gateway.ctx.db, space.id)] == [thread.id]
    count = await inq_gateway.ctx.db.fetchval("SELECT COUNT(*) FROM inquiries")
    assert count == 1


async def test_forwarded_inquiry_opens_one_with_deadline_from_body(inq_gateway):
    _, thread = await open_by_mail(inq_gateway, subject="Fwd: 【照会】研修受講者の取りまとめ",
                                   body="各位\n\n受講者名簿を１２／１０（木）までにご提出ください。\n")
    inquiry = await get_inquiry(inq_gateway.ctx.db, thread.id)
    assert inquiry.deadline == date(2026, 12, 10)


async def test_inquiry_without_deadline_has_null_deadline_and_never_overdue(inq_gateway):
    _, thread = await open_by_mail(inq_gateway, subject="【照会】名簿について", body="よろしくお願いします。\n")
    inquiry = await get_inquiry(inq_gateway.ctx.db, thread.id)
    doc = await inquiry_document(inq_gateway.ctx.db, inquiry, START + timedelta(days=400), "Asia/Tokyo")
    assert doc["deadline"] is None
    assert {o["status"] for o in doc["orgs"]} == {"pending"}


async def test_answer_by_target_member_counts_for_its_organization(inq_gateway):
    mid, thread = await open_by_mail(inq_gateway)
    await answer(inq_gateway, TAKAHASHI, mid, 2, "毛布は1,200枚です。\n")
    rows = {r.org.slug: r for r in await inquiry_rows(inq_gateway.ctx.db, await get_inquiry(inq_gateway.ctx.db,
                                                                                              thread.id),
                                                      START + timedelta(hours=3), "Asia/Tokyo")}
    assert rows["aoba"].status == "answered"
    assert rows["aoba"].by == "高橋 誠"
    assert "1,200枚" in rows["aoba"].excerpt
    assert rows["wakaba"].status == "pending"


async def test_latest_answer_is_shown_and_earlier_ones_kept(inq_gateway):
    mid, thread = await open_by_mail(inq_gateway)
    first = await answer(inq_gateway, TAKAHASHI, mid, 2, "毛布は1,000枚です。\n",
                         attachment=("備蓄.xlsx", b"PK\x03\x04old", "application/vnd.openxmlformats-officedocument"
                                                                     ".spreadsheetml.sheet"))
    await answer(inq_gateway, SUZUKI, first, 4, "訂正します。毛布は1,200枚です。\n")
    inquiry = await get_inquiry(inq_gateway.ctx.db, thread.id)
    row = {r.org.slug: r for r in await inquiry_rows(inq_gateway.ctx.db, inquiry, START, "Asia/Tokyo")}["aoba"]
    assert (row.by, len(row.answers)) == ("鈴木 裕子", 2)
    assert "1,200枚" in row.latest.reply_text
    assert [a.filename for a in row.attachments] == ["備蓄.xlsx"]


async def test_post_by_asking_organization_is_not_an_answer(inq_gateway):
    mid, thread = await open_by_mail(inq_gateway)
    await answer(inq_gateway, SATO, mid, 1, "補足です。\n")
    assert set((await statuses(inq_gateway.ctx, thread.id)).values()) == {"pending"}


async def test_pending_turns_overdue_only_after_deadline_day_ends_in_tokyo(inq_gateway):
    _, thread = await open_by_mail(inq_gateway)
    last_minute = datetime(2026, 12, 5, 23, 59, tzinfo=JST)
    assert (await statuses(inq_gateway.ctx, thread.id, last_minute))["aoba"] == "pending"
    assert (await statuses(inq_gateway.ctx, thread.id, last_minute + timedelta(minutes=1)))["aoba"] == "overdue"


async def test_late_answer_is_answered_and_flagged_late(inq_gateway):
    mid, thread = await open_by_mail(inq_gateway)
    await answer(inq_gateway, ITO, mid, 24 * 10)
    inquiry = await get_inquiry(inq_gateway.ctx.db, thread.id)
    row = {r.org.slug: r for r in await inquiry_rows(inq_gateway.ctx.db, inquiry, START + timedelta(days=11),
                                                     "Asia/Tokyo")}["wakaba"]
    assert (row.status, row.late) == ("answered", True)


async def test_org_admin_marks_not_applicable_and_reopens(inq_gateway):
    _, thread = await open_by_mail(inq_gateway)
    db = inq_gateway.ctx.db
    kimura = await get_member_by_address(db, KIMURA)
    inquiry = await set_not_applicable(db, await get_inquiry(db, thread.id), kimura.org_id, True, kimura)
    doc = await inquiry_document(db, inquiry, START, "Asia/Tokyo")
    midori = next(o for o in doc["orgs"] if o["org"] == "midori")
    assert (midori["status"], midori["by"]) == ("not_applicable", "木村 花子")
    inquiry = await set_not_applicable(db, inquiry, kimura.org_id, False, kimura)
    assert (await statuses(inq_gateway.ctx, thread.id))["midori"] == "pending"


async def test_answer_after_not_applicable_mark_makes_it_answered(inq_gateway, clock):
    mid, thread = await open_by_mail(inq_gateway)
    db = inq_gateway.ctx.db
    ito = await get_member_by_address(db, ITO)
    await set_not_applicable(db, await get_inquiry(db, thread.id), ito.org_id, True, ito)
    clock.now = START + timedelta(hours=5)
    await answer(inq_gateway, ITO, mid, 6)
    assert (await statuses(inq_gateway.ctx, thread.id))["wakaba"] == "answered"


async def test_only_target_org_admins_may_mark_and_only_asker_org_may_edit(inq_gateway):
    _, thread = await open_by_mail(inq_gateway)
    db = inq_gateway.ctx.db
    inquiry = await get_inquiry(db, thread.id)
    members = {a: await get_member_by_address(db, a) for a in (TANAKA, SATO, TAKAHASHI, SUZUKI)}
    assert [can_mark(inquiry, members[a]) for a in (SATO, TAKAHASHI, SUZUKI)] == [False, False, True]
    assert [can_edit(inquiry, members[a]) for a in (TANAKA, SUZUKI)] == [True, False]


async def test_changing_targets_keeps_not_applicable_marks(inq_gateway):
    _, thread = await open_by_mail(inq_gateway)
    db = inq_gateway.ctx.db
    kimura = await get_member_by_address(db, KIMURA)
    inquiry = await set_not_applicable(db, await get_inquiry(db, thread.id), kimura.org_id, True, kimura)
    inquiry = await set_targets(db, inquiry, ["midori", "wakaba"], None)
    assert await statuses(inq_gateway.ctx, thread.id) == {"midori": "not_applicable", "wakaba": "pending"}
    with pytest.raises(Invalid):
        await set_targets(db, inquiry, [], None)


async def test_document_has_the_contract_shape(inq_gateway):
    mid, thread = await open_by_mail(inq_gateway)
    await answer(inq_gateway, TAKAHASHI, mid, 1)
    doc = await inquiry_document(inq_gateway.ctx.db, await get_inquiry(inq_gateway.ctx.db, thread.id), START,
                                 "Asia/Tokyo")
    assert doc["asker"] == "pref" and doc["deadline"] == "2026-12-05"
    aoba = doc["orgs"][0]
    assert aoba == {"org": "aoba", "status": "answered", "answered_at": "2026-11-27T11:00:00+09:00", "by": "高橋 誠"}
    assert doc["orgs"][1] == {"org": "midori", "status": "pending", "answered_at": None, "by": None}


def test_status_rule_table():
    deadline, today = date(2026, 12, 5), date(2026, 12, 6)
    assert org_status(None, None, deadline, today) == "overdue"
    assert org_status(None, None, deadline, deadline) == "pending"
    assert org_status("2026-12-01T00:00:00Z", None, deadline, today) == "answered"
    assert org_status("2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", deadline, today) == "not_applicable"
    assert org_status("2026-12-03T00:00:00Z", "2026-12-02T00:00:00Z", deadline, today) == "answered"
    assert org_status(None, None, None, today) == "pending"


async def test_rows_sort_by_status_overdue_first(inq_gateway):
    mid, thread = await open_by_mail(inq_gateway)
    await answer(inq_gateway, TAKAHASHI, mid, 1)
    inquiry = await get_inquiry(inq_gateway.ctx.db, thread.id)
    rows = await inquiry_rows(inq_gateway.ctx.db, inquiry, datetime(2026, 12, 7, tzinfo=JST), "Asia/Tokyo")
    assert [r.status for r in sort_rows(rows, "status")] == ["overdue", "overdue", "answered"]
    assert [r.org.slug for r in sort_rows(rows, "answered_at")][0] == "aoba"
