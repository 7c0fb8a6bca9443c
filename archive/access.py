"""The one access check. Every reader of a space's content goes through here."""

from __future__ import annotations

from archive.db import Database
from archive.errors import NotFound
from archive.models import Member, Space
from archive.spaces import find_space, space_from_row


async def can_read(db: Database, member: Member | None, space: Space) -> bool:
    """An active member of the space may read it; nobody else, admins included."""
    if member is None or not member.active:
        return False
    row = await db.fetchone("SELECT 1 FROM memberships WHERE space_id = ? AND member_id = ?",
                            (space.id, member.id))
    return row is not None


async def readable_space(db: Database, member: Member | None, slug: str) -> Space:
    """The space, or NotFound alike whether it is missing or not the member's to read."""
    space = await find_space(db, slug)
    if space is None or not await can_read(db, member, space):
        raise NotFound(f"no space {slug!r} that you can read")
    return space


async def readable_spaces(db: Database, member: Member | None) -> list[Space]:
    if member is None or not member.active:
        return []
    rows = await db.fetchall(
        "SELECT s.* FROM spaces s JOIN memberships ms ON ms.space_id = s.id WHERE ms.member_id = ? ORDER BY s.title",
        (member.id,))
    return [space_from_row(r) for r in rows]


async def readable_space_ids(db: Database, member: Member | None) -> list[int]:
    return [space.id for space in await readable_spaces(db, member)]
