"""A member's mail preferences: the delivery mode per space and the hour of the daily digest."""

from __future__ import annotations

from archive.db import Database
from archive.errors import Invalid
from archive.models import DELIVERY_MODES


async def get_digest_hour(db: Database, member_id: int) -> int | None:
    """The member's own hour, or None for the deployment's default."""
    return await db.fetchval("SELECT digest_hour FROM members WHERE id = ?", (member_id,))


async def set_digest_hour(db: Database, member_id: int, hour: int | None) -> None:
    if hour is not None and not 0 <= hour <= 23:
        raise Invalid(f"digest hour {hour} is not an hour of the day (0–23)")
    async with db.write() as conn:
        await conn.execute("UPDATE members SET digest_hour = ? WHERE id = ?", (hour, member_id))


async def set_mode(db: Database, member_id: int, space_id: int, mode: str) -> bool:
    """Change the mode of one of the member's spaces; False when they don't belong to it."""
    if mode not in DELIVERY_MODES:
        raise Invalid(f"delivery mode {mode!r} is not one of {', '.join(DELIVERY_MODES)}")
    async with db.write() as conn:
        cur = await conn.execute("UPDATE memberships SET mode = ? WHERE member_id = ? AND space_id = ?",
                                 (mode, member_id, space_id))
    return cur.rowcount > 0


async def stop_digest(db: Database, member_id: int) -> int:
    """Every digest-mode space of the member to `none` (unsubscribing from the digest); returns how many."""
    async with db.write() as conn:
        cur = await conn.execute("UPDATE memberships SET mode = 'none' WHERE member_id = ? AND mode = 'digest'",
                                 (member_id,))
    return cur.rowcount


async def member_modes(db: Database, member_id: int) -> list[tuple[int, str, str, str]]:
    """(space_id, slug, title, mode) of the member's spaces, by title."""
    rows = await db.fetchall(
        """SELECT s.id, s.slug, s.title, ms.mode FROM memberships ms JOIN spaces s ON s.id = ms.space_id
           WHERE ms.member_id = ? ORDER BY s.title""", (member_id,))
    return [(r[0], r[1], r[2], r[3]) for r in rows]
