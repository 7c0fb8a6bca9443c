"""A member's mail preferences: the delivery mode per space and the hour of the daily digest."""

from __future__ import annotations

from archive.db import Database
from archive.errors import Invalid, NotFound
from archive.models import DELIVERY_MODES


async def get_digest_hour(db: Database, member_id: int) -> int | None:
    """The member's own hour, or None for the deployment's default."""
    return await db.fetchval("SELECT digest_hour FROM members WHERE id = ?", (member_id,))


def check_hour(hour: int | None) -> None:
    if hour is not None and not 0 <= hour <= 23:
        raise Invalid(f"digest hour {hour} is not an hour of the day (0–23)")


def check_mode(mode: str) -> None:
    if mode not in DELIVERY_MODES:
        raise Invalid(f"delivery mode {mode!r} is not one of {', '.join(DELIVERY_MODES)}")


async def set_digest_hour(db: Database, member_id: int, hour: int | None) -> None:
    check_hour(hour)
    async with db.write() as conn:
        await conn.execute("UPDATE members SET digest_hour = ? WHERE id = ?", (hour, member_id))


async def set_mode(db: Database, member_id: int, space_id: int, mode: str) -> bool:
    """Change the mode of one of the member's spaces; False when they don't belong to it."""
    check_mode(mode)
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


async def update_preferences(db: Database, member_id: int, modes: dict[int, str], digest_hour: int | None) -> None:
    """A settings form at once: every mode and the hour are checked first, then written in one
    transaction, so a bad value (or a space the member is not in) changes nothing."""
    check_hour(digest_hour)
    for mode in modes.values():
        check_mode(mode)
    mine = {space_id for space_id, _, _, _ in await member_modes(db, member_id)}
    if set(modes) - mine:
        raise NotFound("not a member of that space")
    async with db.write() as conn:
        for space_id, mode in modes.items():
            await conn.execute("UPDATE memberships SET mode = ? WHERE member_id = ? AND space_id = ?",
                               (mode, member_id, space_id))
        await conn.execute("UPDATE members SET digest_hour = ? WHERE id = ?", (digest_hour, member_id))


async def link_signin_allowed(db: Database, member_id: int) -> bool:
    """Whether a one-time sign-in link may be mailed to the member (their choice; on by default)."""
    return bool(await db.fetchval("SELECT link_signin FROM members WHERE id = ?", (member_id,)))


async def set_link_signin(db: Database, member_id: int, allowed: bool) -> None:
    async with db.write() as tx:
        await tx.execute("UPDATE members SET link_signin = ? WHERE id = ?", (int(allowed), member_id))
