"""Moves from a CSV: a preview that names every bad row, then all of them scheduled or none.

The preview also flags each space that the moves would leave with members from fewer
organizations than a space needs (a warning: the moves may still be scheduled).
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from dataclasses import dataclass, field
from datetime import date

from archive.admin.audit import Actor, record
from archive.clock import to_iso
from archive.db import Database, Tx
from archive.errors import Conflict, Invalid, NotFound
from archive.members import find_member_by_address, normalize_address
from archive.models import Member, Org
from archive.moves.csvfile import MoveRow, read_rows

STATES = ("scheduled", "applied", "cancelled")


@dataclass(frozen=True)
class PlannedMove:
    row: MoveRow
    member: Member
    new_org: Org | None
    successor: Member | None


@dataclass
class Preview:
    moves: list[PlannedMove] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Move:
    id: int
    email: str
    effective: str
    new_org: str | None
    new_dept: str | None
    new_address: str | None
    successor: str | None
    leave: bool
    state: str
    member_id: int
    applied_at: str | None = None
    note: str = ""

    def document(self) -> dict:
        return {"id": self.id, "email": self.email, "effective": self.effective, "new_org": self.new_org,
                "new_dept": self.new_dept, "new_address": self.new_address, "successor": self.successor,
                "leave": self.leave, "state": self.state}


async def _org(db: Database, text: str) -> Org | None:
    row = await db.fetchone("SELECT * FROM orgs WHERE slug = ? OR name = ? ORDER BY slug = ? DESC LIMIT 1",
                            (text.lower(), text, text.lower()))
    return None if row is None else Org(row["id"], row["slug"], row["name"])


async def _check(db: Database, row: MoveRow, today: date, seen: dict) -> PlannedMove:
    """The row against the archive; ValueError with the reason when it can't be scheduled."""
    member = await find_member_by_address(db, row.email) if row.email else None
    if member is None:
        raise ValueError(f"no member with address {row.email!r} (メールアドレス)")
    if not member.active:
        raise ValueError(f"{row.email} is deactivated already")
    if row.effective < today:
        raise ValueError(f"発令日 {row.effective.isoformat()} is in the past: moves are scheduled for today or later")
    if row.leave and (row.new_org or row.new_dept or row.new_address):
        raise ValueError("a leaver (退職 = 1) has no new organization, department or address: leave those empty")
    if not (row.leave or row.new_org or row.new_dept is not None or row.new_address or row.successor):
        raise ValueError("nothing changes: give 新団体, 新所属, 新アドレス, 後任 or 退職")
    org = await _org(db, row.new_org) if row.new_org else None
    if row.new_org and org is None:
        raise ValueError(f"no organization {row.new_org!r} (新団体: its slug or name)")
    if row.new_address:
        try:
            address = normalize_address(row.new_address)
        except Invalid as error:
            raise ValueError(f"新アドレス: {error}")
        owner = await find_member_by_address(db, address)
        if owner is not None and owner.id != member.id:
            raise ValueError(f"新アドレス {address} belongs to another member ({owner.name})")
        if seen.setdefault(("address", address), row.line) != row.line:
            raise ValueError(f"新アドレス {address} is also on line {seen[('address', address)]}")
    successor = await find_member_by_address(db, row.successor) if row.successor else None
    if row.successor and (successor is None or not successor.active):
        raise ValueError(f"後任 {row.successor!r} is not an active member")
    if successor is not None and successor.id == member.id:
        raise ValueError("後任 is the person themselves")
    key = ("member", member.id, row.effective)
    if seen.setdefault(key, row.line) != row.line:
        raise ValueError(f"{row.email} has another move on {row.effective.isoformat()} (line {seen[key]})")
    taken = await db.fetchval("SELECT id FROM moves WHERE member_id = ? AND effective = ? AND state = 'scheduled'",
                              (member.id, row.effective.isoformat()))
    if taken is not None:
        raise ValueError(f"{row.email} has a move on {row.effective.isoformat()} scheduled already "
                         f"(#{taken}): cancel it first with 'kairan move cancel {taken}'")
    return PlannedMove(row, member, org, successor)


async def preview(db: Database, data: bytes, today: date, min_orgs: int = 2) -> Preview:
    """Every row checked; nothing written."""
    rows, errors = read_rows(data)
    result = Preview(errors=errors)
    seen: dict = {}
    for row in rows:
        try:
            result.moves.append(await _check(db, row, today, seen))
        except ValueError as error:
            result.errors.append(f"line {row.line}: {error}")
    result.errors.sort(key=lambda e: int(e.split(":", 1)[0].split()[1]))
    result.warnings = await narrow_spaces(db, result.moves, min_orgs)
    return result


async def narrow_spaces(db: Database, moves: list[PlannedMove], min_orgs: int) -> list[str]:
    """Spaces these moves would leave with members from fewer than `min_orgs` organizations."""
    changing = {m.member.id: m for m in moves if m.row.leave or m.new_org is not None}
    if not changing:
        return []
    marks = ",".join("?" * len(changing))
    spaces = [r["space_id"] for r in await db.fetchall(
        f"SELECT DISTINCT space_id FROM memberships WHERE member_id IN ({marks})", tuple(changing))]
    new_org = {m.member.id: m.new_org.id for m in moves if m.new_org is not None}
    warnings = []
    for space_id in spaces:
        rows = await db.fetchall(
            """SELECT s.slug, m.id, m.org_id FROM memberships ms JOIN members m ON m.id = ms.member_id
               JOIN spaces s ON s.id = ms.space_id WHERE ms.space_id = ? AND m.active = 1""", (space_id,))
        before = {r["org_id"] for r in rows}
        after_people = {r["id"]: new_org.get(r["id"], r["org_id"]) for r in rows}
        for member_id, move in changing.items():
            if member_id in after_people and move.successor is not None:
                after_people.setdefault(move.successor.id, new_org.get(move.successor.id, move.successor.org_id))
            if member_id in after_people and move.row.leave:
                del after_people[member_id]
        after = set(after_people.values())
        if len(before) >= min_orgs > len(after):
            warnings.append(f"space {rows[0]['slug']} would have members from {len(after)} organization(s) only")
    return warnings


async def schedule(db: Database, actor: Actor, planned: Preview) -> int:
    """All the preview's moves, or none when it has errors. Each one audited (move.schedule)."""
    if planned.errors:
        raise Invalid(f"{len(planned.errors)} line(s) can't be scheduled; nothing was: fix them and import again")
    batch = f"{to_iso(db.clock())}-{secrets.token_hex(3)}"
    now = to_iso(db.clock())
    async with db.write() as tx:
        for move in planned.moves:
            row = move.row
            cur = await tx.execute(
                """INSERT INTO moves (batch, line, member_id, email, effective, new_org_id, new_dept, new_address,
                       successor_id, leave, created_at, created_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""",
                (batch, row.line, move.member.id, move.member.email, row.effective.isoformat(),
                 move.new_org.id if move.new_org else None, row.new_dept, row.new_address or None,
                 move.successor.id if move.successor else None, int(row.leave), now, actor.label))
            await record(tx, actor, "move.schedule", f"move:{cur.lastrowid}", {
                "email": move.member.email, "effective": row.effective.isoformat(),
                "new_org": move.new_org.slug if move.new_org else None, "new_dept": row.new_dept,
                "new_address": row.new_address or None,
                "successor": move.successor.email if move.successor else None, "leave": row.leave},
                org_id=move.member.org_id)
    return len(planned.moves)


_SELECT = """
SELECT mv.*, o.slug AS new_org_slug, (SELECT address FROM member_addresses a WHERE a.member_id = mv.successor_id
       ORDER BY a.is_primary DESC, a.address LIMIT 1) AS successor_email
FROM moves mv LEFT JOIN orgs o ON o.id = mv.new_org_id
"""


def move_from_row(row: sqlite3.Row) -> Move:
    return Move(row["id"], row["email"], row["effective"], row["new_org_slug"], row["new_dept"], row["new_address"],
                row["successor_email"], bool(row["leave"]), row["state"], row["member_id"], row["applied_at"],
                row["note"])


async def list_moves(db: Database, state: str | None = None) -> list[Move]:
    """By date, then in the order they were scheduled."""
    if state is not None and state not in STATES:
        raise Invalid(f"state {state!r} is not one of {', '.join(STATES)}")
    where, params = ("WHERE mv.state = ?", (state,)) if state else ("", ())
    return [move_from_row(r) for r in await db.fetchall(_SELECT + where + " ORDER BY mv.effective, mv.id", params)]


async def get_move(db: Database | Tx, move_id: int) -> Move:
    row = await db.fetchone(_SELECT + " WHERE mv.id = ?", (move_id,))
    if row is None:
        raise NotFound(f"no move #{move_id}: see 'kairan move list'")
    return move_from_row(row)


async def cancel_move(db: Database, actor: Actor, move_id: int) -> Move:
    async with db.write() as tx:
        move = await get_move(tx, move_id)
        if move.state != "scheduled":
            raise Conflict(f"move #{move_id} is {move.state} already: only a scheduled move can be cancelled")
        await tx.execute("UPDATE moves SET state = 'cancelled', cancelled_at = ? WHERE id = ? AND state = 'scheduled'",
                         (to_iso(db.clock()), move_id))
        await record(tx, actor, "move.cancel", f"move:{move_id}", {"email": move.email, "effective": move.effective})
    return await get_move(db, move_id)


def detail_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
