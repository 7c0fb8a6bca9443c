"""Members: staff users, their addresses, organization and roles."""

from __future__ import annotations

import re
import sqlite3

from archive.clock import to_iso
from archive.db import Database
from archive.errors import Conflict, Invalid, NotFound
from archive.models import Member
from archive.orgs import get_org
from archive.sessions import end_member_sessions

ADDRESS = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")

_SELECT = """
SELECT m.*, o.slug AS org_slug, o.name AS org_name,
       (SELECT address FROM member_addresses a WHERE a.member_id = m.id
        ORDER BY a.is_primary DESC, a.address LIMIT 1) AS email
FROM members m JOIN orgs o ON o.id = m.org_id
"""


def normalize_address(address: str) -> str:
    address = address.strip().strip("<>").strip().lower()
    if not ADDRESS.match(address):
        raise Invalid(f"{address!r} is not an e-mail address (expected name@example.lg.jp)")
    return address


def member_from_row(row: sqlite3.Row) -> Member:
    return Member(id=row["id"], name=row["name"], org_id=row["org_id"], org_slug=row["org_slug"],
                  org_name=row["org_name"], dept=row["dept"], is_org_admin=bool(row["is_org_admin"]),
                  is_admin=bool(row["is_admin"]), active=bool(row["active"]), email=row["email"] or "",
                  lang=row["lang"], reading=row["reading"], is_rep=bool(row["is_rep"]))


async def add_member(db: Database, email: str, name: str, org_slug: str, dept: str = "",
                     org_admin: bool = False, admin: bool = False) -> Member:
    email = normalize_address(email)
    if not name.strip():
        raise Invalid("a member needs a name: pass --name")
    org = await get_org(db, org_slug)
    async with db.write() as conn:
        if await conn.execute_fetchall("SELECT 1 FROM member_addresses WHERE address = ?", (email,)):
            raise Conflict(f"{email} is a member already")
        cur = await conn.execute(
            "INSERT INTO members (name, org_id, dept, is_org_admin, is_admin, created_at) VALUES (?,?,?,?,?,?)",
            (name.strip(), org.id, dept.strip(), int(org_admin), int(admin), to_iso(db.clock())))
        await conn.execute("INSERT INTO member_addresses (address, member_id, is_primary) VALUES (?, ?, 1)",
                           (email, cur.lastrowid))
    return await get_member_by_address(db, email)


async def add_address(db: Database, member_id: int, address: str) -> None:
    address = normalize_address(address)
    async with db.write() as conn:
        if await conn.execute_fetchall("SELECT 1 FROM member_addresses WHERE address = ?", (address,)):
            raise Conflict(f"{address} belongs to a member already")
        await conn.execute("INSERT INTO member_addresses (address, member_id) VALUES (?, ?)", (address, member_id))


def address_key(address: str) -> str:
    """The form an address is looked up by: what tells two writings of one address apart is gone
    (sign-in limits count by it, so `<addr>` or `ADDR` is not a fresh allowance)."""
    return address.strip().strip("<>").lower()


async def find_member_by_address(db: Database, address: str) -> Member | None:
    row = await db.fetchone(_SELECT + " WHERE m.id = (SELECT member_id FROM member_addresses WHERE address = ?)",
                            (address_key(address),))
    return None if row is None else member_from_row(row)


async def get_member_by_address(db: Database, address: str) -> Member:
    member = await find_member_by_address(db, address)
    if member is None:
        raise NotFound(f"no member with address {address}: add one with 'kairan user add {address} "
                       "--name NAME --org SLUG'")
    return member


async def get_member(db: Database, member_id: int) -> Member:
    row = await db.fetchone(_SELECT + " WHERE m.id = ?", (member_id,))
    if row is None:
        raise NotFound(f"no member #{member_id}")
    return member_from_row(row)


async def list_members(db: Database) -> list[Member]:
    return [member_from_row(r) for r in await db.fetchall(_SELECT + " ORDER BY o.slug, m.name")]


async def set_active(db: Database, member_id: int, active: bool) -> None:
    """Deactivation also ends the member's web sessions (archive.sessions)."""
    async with db.write() as conn:
        await conn.execute("UPDATE members SET active = ? WHERE id = ?", (int(active), member_id))
        if not active:
            await end_member_sessions(conn, member_id)


async def set_password_hash(db: Database, member_id: int, password_hash: str, keep_sid: str = "") -> None:
    """A new password signs out every other session (all of them, unless `keep_sid` is the caller's)."""
    async with db.write() as conn:
        await conn.execute("UPDATE members SET password_hash = ? WHERE id = ?", (password_hash, member_id))
        await end_member_sessions(conn, member_id, keep_sid)


async def get_password_hash(db: Database, member_id: int) -> str | None:
    return await db.fetchval("SELECT password_hash FROM members WHERE id = ?", (member_id,))


async def set_lang(db: Database, member_id: int, lang: str) -> None:
    """The member's language for pages and mail ('ja' or 'en')."""
    if lang not in ("ja", "en"):
        raise Invalid(f"language {lang!r} is not one of ja, en")
    async with db.write() as conn:
        await conn.execute("UPDATE members SET lang = ? WHERE id = ?", (lang, member_id))
