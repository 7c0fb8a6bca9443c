"""Who still owes an answer: the digest's 回答待ちの照会 and the reminders' recipients and ledger rows.

Only members of the space (active, delivery mode other than `none`) in a target
organization whose status is pending or overdue are ever told.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from archive.db import Database
from archive.inquiries.records import Inquiry, get_inquiry
from archive.inquiries.status import OPEN_STATUSES, OrgRow, inquiry_rows, local_day

OVERDUE_SHOWN_FOR = timedelta(days=30)          # an overdue inquiry leaves the digest after this
UNDATED_SHOWN_FOR = timedelta(days=60)          # an inquiry without deadline, after this from opening


@dataclass(frozen=True)
class Waiting:
    """An inquiry a member's organization has not answered yet."""
    inquiry: Inquiry
    subject: str
    space_slug: str
    status: str                                 # pending | overdue


async def open_rows(db: Database, inquiry: Inquiry, now: datetime, timezone: str) -> list[OrgRow]:
    return [r for r in await inquiry_rows(db, inquiry, now, timezone) if r.status in OPEN_STATUSES]


async def told_members(db: Database, inquiry: Inquiry, org_ids: list[int]) -> list[int]:
    """Members of the inquiry's space in these organizations who take mail from it."""
    if not org_ids:
        return []
    marks = ",".join("?" * len(org_ids))
    rows = await db.fetchall(
        f"""SELECT m.id FROM memberships ms JOIN members m ON m.id = ms.member_id
            WHERE ms.space_id = ? AND ms.mode != 'none' AND m.active = 1 AND m.org_id IN ({marks})
            ORDER BY m.id""", (inquiry.space_id, *org_ids))
    return [r["id"] for r in rows]


def still_shown(inquiry: Inquiry, today: date, now: datetime, timezone: str) -> bool:
    if inquiry.deadline is not None:
        return today - inquiry.deadline <= OVERDUE_SHOWN_FOR
    opened = local_day(datetime.fromisoformat(inquiry.opened_at), timezone)
    return today - opened <= UNDATED_SHOWN_FOR


async def waiting_for(db: Database, member_ids: list[int], now: datetime, timezone: str,
                      told_only: bool = True) -> dict[int, list[Waiting]]:
    """member id -> the inquiries their organization owes in their spaces, soonest deadline first
    (`told_only` False: also in spaces whose mail they don't take — the home page shows those too)."""
    if not member_ids:
        return {}
    marks = ",".join("?" * len(member_ids))
    pairs = await db.fetchall(
        f"""SELECT DISTINCT i.thread_id, ms.member_id, m.org_id, t2.subject, s.slug
            FROM inquiries i JOIN inquiry_targets t ON t.thread_id = i.thread_id
            JOIN memberships ms ON ms.space_id = i.space_id AND (ms.mode != 'none' OR ? = 0)
            JOIN members m ON m.id = ms.member_id AND m.org_id = t.org_id AND m.active = 1
            JOIN threads t2 ON t2.id = i.thread_id JOIN spaces s ON s.id = i.space_id
            WHERE ms.member_id IN ({marks})""", (int(told_only), *member_ids))
    today = local_day(now, timezone)
    status_of: dict[int, dict[int, str] | None] = {}
    found: dict[int, list[Waiting]] = {}
    for row in pairs:
        thread_id = row["thread_id"]
        if thread_id not in status_of:
            inquiry = await get_inquiry(db, thread_id)
            shown = still_shown(inquiry, today, now, timezone)
            status_of[thread_id] = ({r.org.id: (inquiry, r.status) for r in await open_rows(db, inquiry, now, timezone)}
                                    if shown else None)
        entry = (status_of[thread_id] or {}).get(row["org_id"])
        if entry is not None:
            found.setdefault(row["member_id"], []).append(Waiting(entry[0], row["subject"], row["slug"], entry[1]))
    for items in found.values():
        items.sort(key=lambda w: (w.inquiry.deadline or date.max, w.inquiry.thread_id))
    return found


async def reminder_candidates(db: Database, first: date, last: date) -> list[Inquiry]:
    """Inquiries whose deadline falls within [first, last]."""
    rows = await db.fetchall("SELECT thread_id FROM inquiries WHERE deadline BETWEEN ? AND ? ORDER BY thread_id",
                             (first.isoformat(), last.isoformat()))
    return [await get_inquiry(db, r["thread_id"]) for r in rows]


async def plan_reminder_rows(db: Database, rows: list[tuple[int, str, str, int | None]], now_iso: str) -> int:
    """(member id, key, Message-ID, first post id) as due 'reminder' deliveries; an existing key is kept."""
    added = 0
    async with db.write() as tx:
        for member_id, key, message_id, post_id in rows:
            cur = await tx.execute(
                """INSERT OR IGNORE INTO deliveries (kind, member_id, key, message_id, post_id, created_at,
                       next_attempt_at) VALUES ('reminder', ?, ?, ?, ?, ?, ?)""",
                (member_id, key, message_id, post_id, now_iso, now_iso))
            added += cur.rowcount
    return added


async def first_post(db: Database, thread_id: int) -> tuple[int, str] | None:
    row = await db.fetchone("SELECT id, message_id FROM posts WHERE thread_id = ? ORDER BY date_utc, id LIMIT 1",
                            (thread_id,))
    return None if row is None else (row["id"], row["message_id"])
