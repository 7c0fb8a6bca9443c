"""Posts whose reply extraction was unsure (confidence low), newest first, for improving the rules.

Listing them reveals nothing by itself: the subject and sender come with a row
only when the caller may read its space (`archive.access.can_read`), so a
system admin who is not a member sees when, where and why, never what.
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.access import can_read
from archive.db import Database
from archive.models import Member
from archive.spaces import space_from_row

LIMIT = 200


@dataclass(frozen=True)
class Unsure:
    post_id: int
    thread_id: int
    space_slug: str
    space_title: str
    created_at: str
    reasons: tuple[str, ...]
    readable: bool
    subject: str = ""           # "" unless readable
    from_name: str = ""


async def recent_low_confidence(db: Database, viewer: Member, limit: int = LIMIT) -> list[Unsure]:
    rows = await db.fetchall(
        """SELECT p.id AS post_id, p.thread_id, p.created_at AS posted_at, p.confidence_reasons, p.subject AS post_subject,
                  p.from_name, s.* FROM posts p JOIN spaces s ON s.id = p.space_id
           WHERE p.confidence = 'low' ORDER BY p.created_at DESC, p.id DESC LIMIT ?""", (min(limit, LIMIT),))
    readable: dict[int, bool] = {}
    found = []
    for row in rows:
        space = space_from_row(row)
        if space.id not in readable:
            readable[space.id] = await can_read(db, viewer, space)
        ok = readable[space.id]
        found.append(Unsure(row["post_id"], row["thread_id"], space.slug, space.title, row["posted_at"],
                            tuple(r for r in row["confidence_reasons"].split("\n") if r), ok,
                            row["post_subject"] if ok else "", row["from_name"] if ok else ""))
    return found


async def count_low_confidence(db: Database) -> int:
    return await db.fetchval("SELECT COUNT(*) FROM posts WHERE confidence = 'low'")
