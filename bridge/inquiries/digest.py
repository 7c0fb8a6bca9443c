"""The digest's 回答待ちの照会: inquiries the member's organization has not answered yet.

An `ExtraSections` for bridge.outbound.digest: kairan passes it to the dispatcher, so the
digest itself knows nothing of inquiries.
"""

from __future__ import annotations

from datetime import datetime

from archive.db import Database
from archive.inquiries.status import local_day
from archive.inquiries.waiting import Waiting, waiting_for
from archive.models import Member
from bridge.outbound.compose import japanese_date
from bridge.outbound.digest import DigestItem, DigestSection, ExtraSections
from bridge.inquiries.reminders import InquiryLinks

SECTION_TITLE = "回答待ちの照会"


def item_note(waiting: Waiting, today) -> str:
    deadline = waiting.inquiry.deadline
    if deadline is None:
        return f"照会元: {waiting.inquiry.asker.name}・期限なし"
    days = (deadline - today).days
    when = "本日が期限" if days == 0 else (f"あと{days}日" if days > 0 else f"{-days}日超過")
    return f"照会元: {waiting.inquiry.asker.name}・回答期限 {japanese_date(deadline)}（{when}）"


def inquiry_sections(db: Database, links: InquiryLinks, timezone: str) -> ExtraSections:
    """For each member, a section listing what their organization still owes, soonest deadline first."""
    async def sections(members: list[Member], as_of: datetime) -> dict[int, list[DigestSection]]:
        today = local_day(as_of, timezone)
        found = await waiting_for(db, [m.id for m in members], as_of, timezone)
        return {member_id: [DigestSection(SECTION_TITLE, tuple(
                    DigestItem(w.subject, links.inquiry(w.space_slug, w.inquiry.thread_id), item_note(w, today))
                    for w in items))]
                for member_id, items in found.items()}
    return sections
