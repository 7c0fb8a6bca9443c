"""Inquiries (照会): who asks which organizations, by when; 該当なし marks; their history.

Answers are posts (see archive.inquiries.status): nothing here is written when one arrives.
Targets are fixed when the inquiry opens (by default every organization with members
in the space, except the asker's) and change only when the asker edits them.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from archive.clock import to_iso
from archive.db import Database, Tx
from archive.errors import Conflict, Invalid, NotFound
from archive.models import Member, Org, Thread

SOURCES = ("mail", "web", "cli")


@dataclass(frozen=True)
class Target:
    org: Org
    na_at: str | None = None            # 該当なし marked at (UTC ISO), or None
    na_by: str | None = None            # the name of who marked it


@dataclass(frozen=True)
class Inquiry:
    thread_id: int
    space_id: int
    asker: Org
    deadline: date | None
    opened_at: str
    opened_by: int | None
    targets: tuple[Target, ...]

    def target(self, org_id: int) -> Target | None:
        return next((t for t in self.targets if t.org.id == org_id), None)


@dataclass(frozen=True)
class InquiryEvent:
    at: str
    member_name: str
    action: str
    detail: str


async def _log(conn: Tx, thread_id: int, now: str, member_id: int | None, action: str,
               detail: str = "") -> None:
    await conn.execute("INSERT INTO inquiry_events (thread_id, at, member_id, action, detail) VALUES (?,?,?,?,?)",
                       (thread_id, now, member_id, action, detail))


async def insert_inquiry(conn: Tx, thread_id: int, space_id: int, asker_org_id: int,
                         deadline: date | None, now: str, *, opened_by: int | None = None, source: str = "mail",
                         target_org_ids: list[int] | None = None) -> bool:
    """Inside a write transaction (the ingest's, for mail). False when the thread is one already."""
    if await conn.execute_fetchall("SELECT 1 FROM inquiries WHERE thread_id = ?", (thread_id,)):
        return False
    if target_org_ids is None:
        rows = await conn.execute_fetchall(
            """SELECT DISTINCT m.org_id FROM memberships ms JOIN members m ON m.id = ms.member_id
               WHERE ms.space_id = ? AND m.active = 1 AND m.org_id != ?""", (space_id, asker_org_id))
        target_org_ids = [r[0] for r in rows]
    await conn.execute(
        """INSERT INTO inquiries (thread_id, space_id, asker_org_id, deadline, opened_by, opened_at, source)
           VALUES (?,?,?,?,?,?,?)""",
        (thread_id, space_id, asker_org_id, deadline.isoformat() if deadline else None, opened_by, now, source))
    for org_id in dict.fromkeys(target_org_ids):
        await conn.execute("INSERT INTO inquiry_targets (thread_id, org_id) VALUES (?, ?)", (thread_id, org_id))
    await _log(conn, thread_id, now, opened_by, "opened", deadline.isoformat() if deadline else "")
    return True


async def open_inquiry(db: Database, thread: Thread, opener: Member, deadline: date | None,
                       target_slugs: list[str] | None = None, source: str = "web") -> Inquiry:
    """Make an existing thread an inquiry, asked by the opener's organization."""
    targets = None if target_slugs is None else [o.id for o in await orgs_by_slugs(db, target_slugs)]
    async with db.write() as conn:
        if not await insert_inquiry(conn, thread.id, thread.space_id, opener.org_id, deadline, to_iso(db.clock()),
                                    opened_by=opener.id, source=source, target_org_ids=targets):
            raise Conflict(f"thread #{thread.id} is an inquiry already")
    return await get_inquiry(db, thread.id)


async def orgs_by_slugs(db: Database, slugs: list[str]) -> list[Org]:
    orgs = []
    for slug in dict.fromkeys(s.strip().lower() for s in slugs if s.strip()):
        row = await db.fetchone("SELECT * FROM orgs WHERE slug = ?", (slug,))
        if row is None:
            raise NotFound(f"no organization {slug!r}: see the organizations with 'kairan org list' or the web")
        orgs.append(Org(row["id"], row["slug"], row["name"]))
    return orgs


async def find_inquiry(db: Database, thread_id: int) -> Inquiry | None:
    row = await db.fetchone(
        """SELECT i.*, o.slug, o.name FROM inquiries i JOIN orgs o ON o.id = i.asker_org_id
           WHERE i.thread_id = ?""", (thread_id,))
    if row is None:
        return None
    targets = await db.fetchall(
        """SELECT t.na_at, o.id, o.slug, o.name, m.name AS na_name FROM inquiry_targets t
           JOIN orgs o ON o.id = t.org_id LEFT JOIN members m ON m.id = t.na_by
           WHERE t.thread_id = ? ORDER BY o.slug""", (thread_id,))
    return _inquiry_from_rows(row, targets)


def _inquiry_from_rows(row: sqlite3.Row, targets: list[sqlite3.Row]) -> Inquiry:
    return Inquiry(
        thread_id=row["thread_id"], space_id=row["space_id"], asker=Org(row["asker_org_id"], row["slug"], row["name"]),
        deadline=date.fromisoformat(row["deadline"]) if row["deadline"] else None, opened_at=row["opened_at"],
        opened_by=row["opened_by"],
        targets=tuple(Target(Org(t["id"], t["slug"], t["name"]), t["na_at"], t["na_name"]) for t in targets))


async def get_inquiry(db: Database, thread_id: int) -> Inquiry:
    inquiry = await find_inquiry(db, thread_id)
    if inquiry is None:
        raise NotFound(f"thread #{thread_id} is not an inquiry")
    return inquiry


async def list_inquiries(db: Database, space_id: int) -> list[Inquiry]:
    rows = await db.fetchall("SELECT thread_id FROM inquiries WHERE space_id = ? ORDER BY thread_id", (space_id,))
    return [await get_inquiry(db, r["thread_id"]) for r in rows]


def can_edit(inquiry: Inquiry, member: Member | None) -> bool:
    """The asking organization's members may change deadline and targets."""
    return member is not None and member.active and member.org_id == inquiry.asker.id


def can_mark(inquiry: Inquiry, member: Member | None) -> bool:
    """An org admin of a target organization may mark it 該当なし, or reopen it."""
    return (member is not None and member.active and member.is_org_admin
            and inquiry.target(member.org_id) is not None)


async def set_deadline(db: Database, inquiry: Inquiry, deadline: date | None, by: Member | None) -> Inquiry:
    async with db.write() as conn:
        await conn.execute("UPDATE inquiries SET deadline = ? WHERE thread_id = ?",
                           (deadline.isoformat() if deadline else None, inquiry.thread_id))
        await _log(conn, inquiry.thread_id, to_iso(db.clock()), by.id if by else None, "deadline",
                   deadline.isoformat() if deadline else "")
    return await get_inquiry(db, inquiry.thread_id)


async def set_targets(db: Database, inquiry: Inquiry, target_slugs: list[str], by: Member | None) -> Inquiry:
    """Replace the targets; organizations kept keep their 該当なし mark."""
    orgs = await orgs_by_slugs(db, target_slugs)
    if not orgs:
        raise Invalid("an inquiry needs at least one target organization")
    keep = {o.id for o in orgs}
    async with db.write() as conn:
        marks = ",".join("?" * len(keep))
        await conn.execute(f"DELETE FROM inquiry_targets WHERE thread_id = ? AND org_id NOT IN ({marks})",
                           (inquiry.thread_id, *keep))
        for org in orgs:
            await conn.execute("INSERT OR IGNORE INTO inquiry_targets (thread_id, org_id) VALUES (?, ?)",
                               (inquiry.thread_id, org.id))
        await _log(conn, inquiry.thread_id, to_iso(db.clock()), by.id if by else None, "targets",
                   ",".join(o.slug for o in orgs))
    return await get_inquiry(db, inquiry.thread_id)


async def set_not_applicable(db: Database, inquiry: Inquiry, org_id: int, on: bool, by: Member | None) -> Inquiry:
    """Mark the organization 該当なし (on) or reopen it (off)."""
    if inquiry.target(org_id) is None:
        raise Invalid("that organization is not asked by this inquiry")
    now = to_iso(db.clock())
    async with db.write() as conn:
        await conn.execute("UPDATE inquiry_targets SET na_at = ?, na_by = ? WHERE thread_id = ? AND org_id = ?",
                           (now if on else None, (by.id if by else None) if on else None, inquiry.thread_id, org_id))
        org = inquiry.target(org_id).org
        await _log(conn, inquiry.thread_id, now, by.id if by else None, "not_applicable" if on else "reopened",
                   org.slug)
    return await get_inquiry(db, inquiry.thread_id)


async def list_events(db: Database, thread_id: int) -> list[InquiryEvent]:
    rows = await db.fetchall(
        """SELECT e.at, e.action, e.detail, COALESCE(m.name, '') AS name FROM inquiry_events e
           LEFT JOIN members m ON m.id = e.member_id WHERE e.thread_id = ? ORDER BY e.id""", (thread_id,))
    return [InquiryEvent(r["at"], r["name"], r["action"], r["detail"]) for r in rows]
