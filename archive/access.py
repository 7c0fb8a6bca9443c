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


# The same rule as can_read (an active member of the space), in set form, for the
# SMTP gateway: one query per SMTP command instead of one per fact.
_IS_READER = """EXISTS (SELECT 1 FROM member_addresses a JOIN members m ON m.id = a.member_id
                   JOIN memberships ms ON ms.member_id = m.id
                   WHERE a.address = {address} AND m.active = 1 AND ms.space_id = s.id)"""


async def recipient_facts(db: Database, slug: str, token: str | None,
                          sender: str) -> tuple[bool, bool, bool, bool]:
    """(the space exists, the token names one of its threads (or none given), the sender may read it,
    the space is closed)."""
    row = await db.fetchone(
        f"""SELECT (:token = '' OR EXISTS (SELECT 1 FROM threads t WHERE t.space_id = s.id AND t.token = :token))
                   AS token_ok, {_IS_READER.format(address=':sender')} AS sender_ok, s.state = 'closed' AS closed
            FROM spaces s WHERE s.slug = :slug""",
        {"slug": slug, "token": (token or "").lower(), "sender": sender.strip().strip("<>").lower()})
    if row is None:
        return False, False, False, False
    return True, bool(row["token_ok"]), bool(row["sender_ok"]), bool(row["closed"])


async def readers_among(db: Database, slugs: list[str], addresses: list[str]) -> dict[str, list[bool]]:
    """For each space slug: whether each address may read it (same order as `addresses`)."""
    if not slugs:
        return {}
    marks = ",".join("?" * len(slugs))
    checks = ", ".join(_IS_READER.format(address="?") + f" AS r{i}" for i in range(len(addresses)))
    params = [a.strip().strip("<>").lower() for a in addresses] + [s.lower() for s in slugs]
    rows = await db.fetchall(f"SELECT s.slug, {checks} FROM spaces s WHERE s.slug IN ({marks})", tuple(params))
    return {row["slug"]: [bool(row[f"r{i}"]) for i in range(len(addresses))] for row in rows}
