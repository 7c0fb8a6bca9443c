"""The org admins' summary of applied moves (人事異動), one mail per report, built when it is sent.

The delivery rows are planned by archive.moves.report (kind 'reminder', key 'moves:REPORT:ORG'),
so this builder sits beside the inquiry reminders' one: `by_key_prefix` picks it by the key.
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage

from archive.db import Database
from archive.deliveries import Delivery
from archive.models import Member
from archive.moves.report import KEY_PREFIX, parse_report_key, report_lines
from bridge.outbound.compose import MailSettings, mailbox, new_message, template_env
from bridge.outbound.dispatch import BuildMail, NothingToSend


def moves_report_builder(db: Database, settings: MailSettings) -> BuildMail:
    env = template_env()

    async def build(row: Delivery, member: Member, now: datetime) -> EmailMessage:
        if not row.key.startswith(KEY_PREFIX):
            raise NothingToSend(f"not a moves report: {row.key}")
        report, org_id = parse_report_key(row.key)
        if not member.is_org_admin or member.org_id != org_id:
            raise NothingToSend("the member is no longer this organization's admin")
        lines = await report_lines(db, report, org_id)
        if not lines:
            raise NothingToSend("no applied moves in this report")
        values = dict(member=member, lines=lines, count=len(lines))
        message = new_message(sender=mailbox("kairan", f"noreply@{settings.domain}"), recipient=member,
                              subject=f"【kairan】人事異動を反映しました（{member.org_name}・{len(lines)}件）",
                              message_id=row.message_id, text=env.get_template("moves_report.txt").render(values),
                              html=env.get_template("moves_report.html").render(values), now=now)
        message["Auto-Submitted"] = "auto-generated"
        message["X-Loop"] = settings.loop_marker
        return message
    return build


def by_key_prefix(builders: dict[str, BuildMail], default: BuildMail) -> BuildMail:
    """One builder for a delivery kind, chosen by the start of the row's key."""
    async def build(row: Delivery, member: Member, now: datetime):
        for prefix, builder in builders.items():
            if row.key.startswith(prefix):
                return await builder(row, member, now)
        return await default(row, member, now)
    return build

