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
from archive.deliveries import Delivery
from archive.errors import NotFound
from archive.inquiries.records import find_inquiry
from archive.inquiries.status import counts, inquiry_rows, local_day
from archive.inquiries.waiting import first_post, open_rows, plan_reminder_rows, reminder_candidates, told_members
from archive.models import Member
from archive.spaces import get_space_by_id
from archive.threads import get_thread
from bridge.addresses import space_address
from bridge.outbound.compose import MailSettings, japanese_date, new_message, space_sender, template_env
from bridge.outbound.dispatch import NothingToSend

AFTER_CATCH_UP_DAYS = 3          # the day-after reminder still goes out if kairan was down that day
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


def reminder_builder(db: Database, settings: MailSettings, links: InquiryLinks):
    """The dispatcher's builder for `reminder` deliveries (sending, retries and the ledger are its)."""
    async def build(row: Delivery, member: Member, now: datetime) -> EmailMessage:
        try:
            message = await build_reminder(db, row, member, settings, links, now)
        except NotFound:              # the thread or space is gone
            message = None
        if message is None:
            raise NothingToSend("nothing to remind any more (answered, 該当なし, or the deadline moved)")
        return message
    return build


class ReminderWorker:
    """`once()`: from the digest hour on, plan today's reminders; the dispatcher sends what is due."""

    def __init__(self, db: Database, settings: MailSettings, dispatcher, clock: Clock,
                 days_before: int = 2, hour: int = 8):
        self._db, self._settings, self._dispatcher = db, settings, dispatcher
        self._clock, self._days_before, self._hour = clock, days_before, hour

    async def once(self) -> int:
        now = self._clock()
        if now.astimezone(self._settings.zone).hour >= self._hour:
            await plan_reminders(self._db, self._settings, now, self._days_before)
        return (await self._dispatcher.dispatch(kinds=("reminder",))).sent
