"""Spaces: members-only places for one topic, and who belongs to them."""

from __future__ import annotations

import sqlite3

from archive.clock import to_iso
from archive.db import Database
from archive.errors import Conflict, Invalid, NotFound
from archive.members import get_member_by_address, member_from_row
from archive.models import DELIVERY_MODES, Member, Membership, Space
from archive.orgs import check_slug

RESERVED_SLUGS = frozenset({"postmaster", "abuse", "mailer-daemon", "noreply", "no-reply", "kairan", "root", "unsubscribe"})


def space_from_row(row: sqlite3.Row) -> Space:
    keys = row.keys()
    return Space(row["id"], row["slug"], row["title"], row["description"] if "description" in keys else "",
                 row["state"] if "state" in keys else "open")


async def create_space(db: Database, slug: str, title: str, members: list[str] = (),
                       admins: list[str] = (), min_orgs: int = 2) -> Space:
    """Members and admins are addresses; a space must span `min_orgs` organizations."""
    slug = check_slug(slug, "space")
    if "+" in slug or slug in RESERVED_SLUGS:
        raise Invalid(f"{slug!r} can't be a space: it is reserved for mail system use")
    if not title.strip():
        raise Invalid("a space needs a title: pass --title")
    people: dict[int, tuple[Member, str]] = {}
    for address in members:
        member = await get_member_by_address(db, address)
        people.setdefault(member.id, (member, "member"))
    for address in admins:
        member = await get_member_by_address(db, address)
        people[member.id] = (member, "admin")
    orgs = {member.org_id for member, _ in people.values()}
    if len(orgs) < min_orgs:
        raise Invalid(f"a space's members must come from at least {min_orgs} organizations "
                      f"(these come from {len(orgs)}): add members of other organizations with --member")
    now = to_iso(db.clock())
    async with db.write() as conn:
        if await conn.execute_fetchall("SELECT 1 FROM spaces WHERE slug = ?", (slug,)):
            raise Conflict(f"space {slug!r} exists already")
        cur = await conn.execute("INSERT INTO spaces (slug, title, created_at) VALUES (?, ?, ?)",
                                 (slug, title.strip(), now))
        for member, role in people.values():
            await conn.execute("INSERT INTO memberships (space_id, member_id, role, joined_at) VALUES (?,?,?,?)",
                               (cur.lastrowid, member.id, role, now))
    return await get_space(db, slug)


async def find_space(db: Database, slug: str) -> Space | None:
    row = await db.fetchone("SELECT * FROM spaces WHERE slug = ?", (slug.strip().lower(),))
    return None if row is None else space_from_row(row)


async def get_space(db: Database, slug: str) -> Space:
    space = await find_space(db, slug)
    if space is None:
        raise NotFound(f"no space {slug!r}: create it with 'kairan space create {slug} --title TITLE'")
    return space


async def get_space_by_id(db: Database, space_id: int) -> Space:
    row = await db.fetchone("SELECT * FROM spaces WHERE id = ?", (space_id,))
    if row is None:
        raise NotFound(f"no space #{space_id}")
    return space_from_row(row)


async def set_membership(db: Database, slug: str, address: str, mode: str | None = None,
                         role: str | None = None) -> Membership:
    """Add a member to a space, or change their mode/role when they belong already."""
    if mode is not None and mode not in DELIVERY_MODES:
        raise Invalid(f"delivery mode {mode!r} is not one of {', '.join(DELIVERY_MODES)}")
    space = await get_space(db, slug)
    member = await get_member_by_address(db, address)
    async with db.write() as conn:
        existing = await conn.execute_fetchall(
            "SELECT role, mode FROM memberships WHERE space_id = ? AND member_id = ?", (space.id, member.id))
        if existing:
            await conn.execute("UPDATE memberships SET mode = ?, role = ? WHERE space_id = ? AND member_id = ?",
                               (mode or existing[0]["mode"], role or existing[0]["role"], space.id, member.id))
        else:
            await conn.execute(
                "INSERT INTO memberships (space_id, member_id, role, mode, joined_at) VALUES (?,?,?,?,?)",
                (space.id, member.id, role or "member", mode or "digest", to_iso(db.clock())))
    return await get_membership(db, space.id, member.id)


async def get_membership(db: Database, space_id: int, member_id: int) -> Membership | None:
    row = await db.fetchone("SELECT * FROM memberships WHERE space_id = ? AND member_id = ?", (space_id, member_id))
    return None if row is None else Membership(row["space_id"], row["member_id"], row["role"], row["mode"])


async def list_spaces(db: Database) -> list[Space]:
    return [space_from_row(r) for r in await db.fetchall("SELECT * FROM spaces ORDER BY slug")]


async def list_space_members(db: Database, space_id: int) -> list[tuple[Member, Membership]]:
    """Members of a space with their membership, by organization then name (Japanese order)."""
    rows = await db.fetchall(
        """SELECT m.*, o.slug AS org_slug, o.name AS org_name, ms.role, ms.mode,
                  (SELECT address FROM member_addresses a WHERE a.member_id = m.id
                   ORDER BY a.is_primary DESC, a.address LIMIT 1) AS email
           FROM memberships ms JOIN members m ON m.id = ms.member_id JOIN orgs o ON o.id = m.org_id
           WHERE ms.space_id = ? ORDER BY o.slug, m.name""", (space_id,))
    return [(member_from_row(r), Membership(space_id, r["id"], r["role"], r["mode"])) for r in rows]
