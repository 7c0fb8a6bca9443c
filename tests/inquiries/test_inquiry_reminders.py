"""Reminders and the digest's 回答待ちの照会 reach the pending organizations' members only, once each."""

from __future__ import annotations

import mailbox
from datetime import date, datetime, timedelta
from email.header import decode_header, make_header


from archive.deliveries import list_deliveries
from archive.inquiries.records import get_inquiry, set_deadline, set_not_applicable
from archive.members import get_member_by_address
from bridge.outbound.digest_run import plan_digests, record_plan
from bridge.inquiries.reminders import ReminderWorker, plan_reminders, reminder_kind
from bridge.outbound.transport import MaildirSender
from kairan.mail import mail_settings, make_dispatcher
from tests.inquiries.conftest import (ITO, JST, KIMURA, START, SUZUKI, TAKAHASHI, TANAKA, WATANABE, letter, send)

SUBJECT = "【照会】避難所の備蓄状況について（回答期限：12月5日）"


async def setup_inquiry(gateway) -> int:
    """aoba answers, midori says 該当なし, wakaba stays silent."""
    mid = await send(gateway, letter(TANAKA, SUBJECT, "備蓄数をお知らせください。\n", START))
    await send(gateway, letter(TAKAHASHI, "Re: " + SUBJECT, "毛布1,200枚。\n", START + timedelta(hours=1), parent=mid))
    db = gateway.ctx.db
    thread_id = await db.fetchval("SELECT thread_id FROM inquiries")
    kimura = await get_member_by_address(db, KIMURA)
    await set_not_applicable(db, await get_inquiry(db, thread_id), kimura.org_id, True, kimura)
    return thread_id


def worker(ctx, outbox) -> ReminderWorker:
    return ReminderWorker(ctx.db, mail_settings(ctx.settings), make_dispatcher(ctx, MaildirSender(outbox)),
                          ctx.clock, days_before=2, hour=8)


def recipients(outbox) -> list[str]:
    return sorted(str(m["To"]).split("<")[1].rstrip(">") for m in mailbox.Maildir(outbox, create=True))


def subjects(outbox) -> list[str]:
    return [str(make_header(decode_header(m["Subject"]))) for m in mailbox.Maildir(outbox, create=True)]


def test_reminder_days_rule():
    deadline, opened = date(2026, 12, 5), date(2026, 11, 27)
    assert reminder_kind(deadline, date(2026, 12, 2), opened, 2) is None
    assert reminder_kind(deadline, date(2026, 12, 3), opened, 2) == "before"
    assert reminder_kind(deadline, date(2026, 12, 5), opened, 2) == "before"
    assert reminder_kind(deadline, date(2026, 12, 6), opened, 2) == "after"
    assert reminder_kind(deadline, date(2026, 12, 3), date(2026, 12, 3), 2) is None     # opened in the window
    assert reminder_kind(None, date(2026, 12, 6), opened, 2) is None


async def test_before_reminder_reaches_only_pending_orgs_space_members(inq_gateway, clock, tmp_path):
    await setup_inquiry(inq_gateway)
    clock.now = datetime(2026, 12, 3, 8, 30, tzinfo=JST)
    assert await worker(inq_gateway.ctx, tmp_path / "out").once() == 2
    assert recipients(tmp_path / "out") == [ITO, WATANABE]
    assert all("回答期限 12月5日" in s for s in subjects(tmp_path / "out"))


async def test_reminder_is_sent_once(inq_gateway, clock, tmp_path):
    await setup_inquiry(inq_gateway)
    clock.now = datetime(2026, 12, 3, 8, 30, tzinfo=JST)
    await worker(inq_gateway.ctx, tmp_path / "out").once()
    clock.now = datetime(2026, 12, 4, 9, 0, tzinfo=JST)
    assert await worker(inq_gateway.ctx, tmp_path / "out").once() == 0
    assert len(recipients(tmp_path / "out")) == 2


async def test_no_reminder_before_the_digest_hour(inq_gateway, clock, tmp_path):
    await setup_inquiry(inq_gateway)
    clock.now = datetime(2026, 12, 3, 7, 59, tzinfo=JST)
    assert await worker(inq_gateway.ctx, tmp_path / "out").once() == 0


async def test_day_after_reminder_goes_to_overdue_orgs(inq_gateway, clock, tmp_path):
    await setup_inquiry(inq_gateway)
    clock.now = datetime(2026, 12, 6, 8, 0, tzinfo=JST)
    assert await worker(inq_gateway.ctx, tmp_path / "out").once() == 2
    assert recipients(tmp_path / "out") == [ITO, WATANABE]
    assert all("回答期限を過ぎています" in s for s in subjects(tmp_path / "out"))


async def test_reminder_replies_into_the_thread(inq_gateway, clock, tmp_path):
    thread_id = await setup_inquiry(inq_gateway)
    clock.now = datetime(2026, 12, 3, 8, 30, tzinfo=JST)
    await worker(inq_gateway.ctx, tmp_path / "out").once()
    message = next(iter(mailbox.Maildir(tmp_path / "out")))
    token = await inq_gateway.ctx.db.fetchval("SELECT token FROM threads WHERE id = ?", (thread_id,))
    assert message["Reply-To"] == f"bousai+{token}@{inq_gateway.ctx.settings.domain}"
    assert message["Auto-Submitted"] == "auto-generated"


async def test_answered_org_gets_no_reminder_and_moved_deadline_earns_a_new_one(inq_gateway, clock, tmp_path):
    thread_id = await setup_inquiry(inq_gateway)
    db = inq_gateway.ctx.db
    clock.now = datetime(2026, 12, 3, 8, 30, tzinfo=JST)
    await plan_reminders(db, mail_settings(inq_gateway.ctx.settings), clock(), 2)
    await set_deadline(db, await get_inquiry(db, thread_id), date(2026, 12, 4), None)
    assert await worker(inq_gateway.ctx, tmp_path / "out").once() == 2          # the new deadline's reminders
    failed = await list_deliveries(db, kind="reminder", status="failed")
    assert len(failed) == 2 and "deadline moved" in failed[0].error            # the old ones, not sent


async def digest_text(ctx, member_address: str, outbox) -> str | None:
    """Plan and send the day's digests; the text part of this member's, if any."""
    mail = mail_settings(ctx.settings)
    plan = await plan_digests(ctx.db, mail, ctx.settings.digest_hour, ctx.clock())
    await record_plan(ctx.db, mail, plan, ctx.clock())
    await make_dispatcher(ctx, sender=MaildirSender(outbox)).dispatch(kinds=("digest",))
    for message in mailbox.Maildir(outbox, create=True):
        if member_address in str(message["To"]):
            return _plain(message)
    return None


def _plain(message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode("utf-8")
    return ""


async def test_digest_lists_waiting_inquiry_for_pending_org_members_only(inq_gateway, clock, tmp_path):
    await setup_inquiry(inq_gateway)
    clock.now = datetime(2026, 11, 28, 8, 5, tzinfo=JST)
    ito = await digest_text(inq_gateway.ctx, ITO, tmp_path / "out")
    suzuki = await digest_text(inq_gateway.ctx, SUZUKI, tmp_path / "out")
    kimura = await digest_text(inq_gateway.ctx, KIMURA, tmp_path / "out")
    assert "回答待ちの照会" in ito and "避難所の備蓄状況" in ito and "あと7日" in ito
    assert "回答待ちの照会" not in suzuki                 # aoba answered
    assert "回答待ちの照会" not in kimura                 # midori said 該当なし
