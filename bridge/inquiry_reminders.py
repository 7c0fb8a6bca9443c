"""Inquiry reminders: N days before the deadline and the day after it, to pending organizations only.

Each reminder is a row in the delivery ledger (kind 'reminder', key
'inquiry:THREAD:KIND:DEADLINE') written before the mail is sent: each member gets
each reminder once, a rerun or a crash sends nothing twice, and a moved deadline
earns a new reminder. Recipients are the space's members (mode other than none)
of the target organizations still pending (before) or overdue (after).
The mail comes from the space with the thread's reply address: replying answers.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from typing import Protocol

from archive.clock import Clock, to_iso
from archive.db import Database
from archive.deliveries import Delivery, due_deliveries, mark_failed, mark_retry, mark_sent
from archive.digests import members_by_id
from archive.errors import NotFound
from archive.inquiries import find_inquiry
from archive.inquiry_status import counts, inquiry_rows, local_day
from archive.inquiry_waiting import first_post, open_rows, plan_reminder_rows, reminder_candidates, told_members
from archive.models import Member
from archive.spaces import get_space_by_id
from archive.threads import get_thread
from bridge.addresses import space_address
from bridge.compose import MailSettings, japanese_date, new_message, space_sender, template_env
from bridge.outbound import Sender, TemporaryFailure

AFTER_CATCH_UP_DAYS = 3          # the day-after reminder still goes out if kairan was down that day
RETRY_AFTER = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=6))
KIND_STATUS = {"before": "pending", "after": "overdue"}


class InquiryLinks(Protocol):
    def inquiry(self, slug: str, thread_id: int) -> str: ...


def reminder_kind(deadline: date | None, today: date, opened_on: date, days_before: int) -> str | None:
    """'before' from N days before the deadline through it (if the inquiry is older than that),
    'after' from the day after it for a few days; else None."""
    if deadline is None:
        return None
    first_before = deadline - timedelta(days=days_before)
    if first_before <= today <= deadline and opened_on < first_before:
        return "before"
    if deadline < today <= deadline + timedelta(days=AFTER_CATCH_UP_DAYS):
        return "after"
    return None


def reminder_key(thread_id: int, kind: str, deadline: date) -> str:
    return f"inquiry:{thread_id}:{kind}:{deadline.isoformat()}"


def parse_key(key: str) -> tuple[int, str, date]:
    _, thread_id, kind, deadline = key.split(":")
    return int(thread_id), kind, date.fromisoformat(deadline)


def reminder_subject(kind: str, subject: str, deadline: date) -> str:
    label = f"回答期限 {deadline.month}月{deadline.day}日" if kind == "before" else "回答期限を過ぎています"
    return f"【{label}】{subject}"


async def plan_reminders(db: Database, settings: MailSettings, now: datetime, days_before: int) -> int:
    """Make today's reminders due in the ledger; returns how many were added."""
    today = local_day(now, settings.timezone)
    planned = []
    for inquiry in await reminder_candidates(db, today - timedelta(days=AFTER_CATCH_UP_DAYS),
                                             today + timedelta(days=days_before)):
        opened_on = local_day(datetime.fromisoformat(inquiry.opened_at), settings.timezone)
        kind = reminder_kind(inquiry.deadline, today, opened_on, days_before)
        head = await first_post(db, inquiry.thread_id)
        if kind is None or head is None:
            continue
        orgs = [r.org.id for r in await open_rows(db, inquiry, now, settings.timezone) if r.status == KIND_STATUS[kind]]
        for member_id in await told_members(db, inquiry, orgs):
            message_id = f"<kairan.remind.{inquiry.thread_id}.{kind}.{member_id}.{secrets.token_hex(6)}@{settings.domain}>"
            planned.append((member_id, reminder_key(inquiry.thread_id, kind, inquiry.deadline), message_id, head[0]))
    return await plan_reminder_rows(db, planned, to_iso(now)) if planned else 0


async def build_reminder(db: Database, row: Delivery, member: Member, settings: MailSettings, links: InquiryLinks,
                         now: datetime) -> EmailMessage | None:
    """The mail for one due row, or None when the member's organization no longer owes an answer."""
    thread_id, kind, deadline = parse_key(row.key)
    inquiry = await find_inquiry(db, thread_id)
    if inquiry is None or inquiry.deadline != deadline:
        return None
    rows = await inquiry_rows(db, inquiry, now, settings.timezone)
    if not any(r.org.id == member.org_id and r.status == KIND_STATUS[kind] for r in rows):
        return None
    thread, space = await get_thread(db, thread_id), await get_space_by_id(db, inquiry.space_id)
    head = await first_post(db, thread_id)
    subject = reminder_subject(kind, thread.subject, deadline)
    values = dict(member=member, kind=kind, space=space, thread=thread, subject=subject, asker=inquiry.asker.name,
                  deadline=japanese_date(deadline), org_name=member.org_name, counts=counts(rows),
                  inquiry_url=links.inquiry(space.slug, thread_id))
    env = template_env()
    message = new_message(sender=space_sender(space, settings, "照会リマインダー"), recipient=member,
                          subject=f"[{space.title}] {subject}", message_id=row.message_id,
                          text=env.get_template("inquiry_reminder.txt").render(values),
                          html=env.get_template("inquiry_reminder.html").render(values), now=now)
    message["Reply-To"] = space_address(space.slug, settings.domain, thread.token)
    if head is not None:
        message["In-Reply-To"] = head[1]
        message["References"] = head[1]
    message["Auto-Submitted"] = "auto-generated"
    message["X-Loop"] = settings.loop_marker
    return message


async def send_due_reminders(db: Database, sender: Sender, settings: MailSettings, links: InquiryLinks,
                             clock: Clock) -> int:
    """Send every due reminder; returns how many went out. An unreachable relay ends the pass (retried later)."""
    sent = 0
    rows = await due_deliveries(db, to_iso(clock()), ("reminder",))
    members = await members_by_id(db, list({r.member_id for r in rows}))
    for row in rows:
        member = members.get(row.member_id)
        try:
            message = None if member is None or not member.active else await build_reminder(
                db, row, member, settings, links, clock())
        except NotFound:
            message = None
        if message is None:
            await mark_failed(db, row.id, "nothing to remind any more (answered, 該当なし, or the deadline moved)")
            continue
        try:
            result = await sender.send(message, (member.email,))
        except TemporaryFailure as error:
            await _retry(db, row, str(error), clock)
            break
        if member.email in result.refused:
            await mark_failed(db, row.id, result.refused[member.email])
        elif member.email in result.deferred:
            await _retry(db, row, result.deferred[member.email], clock)
        else:
            await mark_sent(db, row.id, to_iso(clock()))
            sent += 1
    return sent


async def _retry(db: Database, row: Delivery, error: str, clock: Clock) -> None:
    if row.attempts >= len(RETRY_AFTER):
        await mark_failed(db, row.id, f"gave up after {row.attempts + 1} attempts: {error}")
    else:
        await mark_retry(db, row.id, error, to_iso(clock() + RETRY_AFTER[row.attempts]))


class ReminderWorker:
    """`once()`: from the digest hour on, plan today's reminders and send them (`kairan serve` ticks it)."""

    def __init__(self, db: Database, settings: MailSettings, links: InquiryLinks, sender: Sender, clock: Clock,
                 days_before: int = 2, hour: int = 8):
        self._db, self._settings, self._links, self._sender = db, settings, links, sender
        self._clock, self._days_before, self._hour = clock, days_before, hour


    async def once(self) -> int:
        now = self._clock()
        if now.astimezone(self._settings.zone).hour >= self._hour:
            await plan_reminders(self._db, self._settings, now, self._days_before)
        try:
            return await send_due_reminders(self._db, self._sender, self._settings, self._links, self._clock)
        finally:
            await self._sender.close()
