"""Applying the moves due at a moment: each exactly once, whatever crashes when.

A move is claimed (`scheduled` → `applied`) by the same transaction that makes its changes
and writes its audit entry, so a crash leaves it either wholly applied or untouched, and a
rerun (the next tick of `kairan serve`, or `kairan move apply` again) applies only the rest.
A move is due from 00:00 of its date in the deployment's time zone.

What a move does:
  - 後任: the successor takes over the spaces (archive.moves.succession)
  - 退職: the member is deactivated (their memberships stay on record; they read nothing)
  - 新団体 / 新所属: organization and department change; an org admin role stays behind.
    The person keeps their spaces; their posts keep the organization they had then.
  - 新アドレス: the new address becomes the primary one and the only one to sign in with;
    the old one keeps working for mail until `keep_days` have passed, then it is removed.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from archive.admin.audit import SYSTEM, Actor, record
from archive.clock import to_iso
from archive.db import Database, Tx
from archive.moves.report import plan_reports
from archive.moves.succession import hand_over

log = logging.getLogger(__name__)
CHUNK = 100


@dataclass(frozen=True)
class Applied:
    applied: int
    addresses_expired: int
    reports: int


async def _person(tx: Tx, member_id: int) -> dict:
    row = await tx.fetchone(
        """SELECT m.org_id, o.slug AS org, m.dept, m.active, (SELECT address FROM member_addresses a
               WHERE a.member_id = m.id ORDER BY a.is_primary DESC, a.address LIMIT 1) AS address
           FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.id = ?""", (member_id,))
    return dict(row)


async def switch_address(tx: Tx, member_id: int, new: str, mail_until: str) -> str:
    """The new address primary; the old primary kept for mail until `mail_until`. '' or what went wrong."""
    owner = await tx.fetchval("SELECT member_id FROM member_addresses WHERE address = ?", (new,))
    if owner is not None and owner != member_id:
        return f"新アドレス {new} belongs to another member now: the old address stays"
    old = [r["address"] for r in await tx.fetchall(
        "SELECT address FROM member_addresses WHERE member_id = ? AND is_primary = 1 AND address <> ?",
        (member_id, new))]
    await tx.execute("UPDATE member_addresses SET is_primary = 0 WHERE member_id = ?", (member_id,))
    if owner == member_id:
        await tx.execute("UPDATE member_addresses SET is_primary = 1, mail_until = NULL WHERE address = ?", (new,))
    else:
        await tx.execute("INSERT INTO member_addresses (address, member_id, is_primary) VALUES (?, ?, 1)",
                         (new, member_id))
    for address in old:
        await tx.execute("UPDATE member_addresses SET mail_until = ? WHERE address = ?", (mail_until, address))
    return ""


async def apply_move(tx: Tx, move_id: int, now: datetime, keep_days: int, actor: Actor = SYSTEM) -> bool:
    """Claim and apply one move inside the caller's transaction; False when it was not scheduled."""
    now_iso = to_iso(now)
    claimed = await tx.execute("UPDATE moves SET state = 'applied', applied_at = ? WHERE id = ? AND state = 'scheduled'",
                               (now_iso, move_id))
    if claimed.rowcount != 1:
        return False
    move = await tx.fetchone("SELECT * FROM moves WHERE id = ?", (move_id,))
    member_id = move["member_id"]
    before = await _person(tx, member_id)
    notes, inherited = [], []
    if move["successor_id"] is not None:
        if await tx.fetchval("SELECT active FROM members WHERE id = ?", (move["successor_id"],)):
            inherited = await hand_over(tx, actor, member_id, move["successor_id"], now_iso, f"move:{move_id}")
        else:
            notes.append("the successor is deactivated: nobody took over the spaces")
    if move["leave"]:
        await tx.execute("UPDATE members SET active = 0 WHERE id = ?", (member_id,))
    else:
        if move["new_org_id"] is not None and move["new_org_id"] != before["org_id"]:
            await tx.execute("UPDATE members SET org_id = ?, is_org_admin = 0 WHERE id = ?",
                             (move["new_org_id"], member_id))
        if move["new_dept"] is not None:
            await tx.execute("UPDATE members SET dept = ? WHERE id = ?", (move["new_dept"], member_id))
        if move["new_address"]:
            until = to_iso(now + timedelta(days=keep_days))
            notes.append(await switch_address(tx, member_id, move["new_address"], until))
    after = await _person(tx, member_id)
    note = "; ".join(n for n in notes if n)
    await tx.execute(
        """UPDATE moves SET from_org_id = ?, from_dept = ?, from_address = ?, inherited = ?, note = ? WHERE id = ?""",
        (before["org_id"], before["dept"], before["address"], json.dumps(inherited, ensure_ascii=False), note, move_id))
    successor = await tx.fetchval(
        "SELECT address FROM member_addresses WHERE member_id = ? ORDER BY is_primary DESC, address LIMIT 1",
        (move["successor_id"],)) if move["successor_id"] else None
    fields = ("org", "dept", "address", "active")
    await record(tx, actor, "move.apply", f"move:{move_id}", {
        "email": move["email"], "effective": move["effective"], "leave": bool(move["leave"]),
        "before": {k: before[k] for k in fields}, "after": {k: after[k] for k in fields},
        "successor": successor, "inherited": inherited, "note": note}, org_id=before["org_id"])
    return True


async def due_ids(db: Database, today: str, limit: int, skip: set[int]) -> list[int]:
    """Scheduled moves dated `today` or earlier, oldest first, but not those that failed this pass."""
    extra = f" AND id NOT IN ({','.join('?' * len(skip))})" if skip else ""
    rows = await db.fetchall(f"SELECT id FROM moves WHERE state = 'scheduled' AND effective <= ?{extra} "
                             "ORDER BY effective, id LIMIT ?", (today, *sorted(skip), limit))
    return [r["id"] for r in rows]


async def apply_due(db: Database, now: datetime, timezone: str = "Asia/Tokyo", keep_days: int = 90,
                    chunk: int = CHUNK) -> int:
    """Every move due at `now`, `chunk` per transaction; returns how many this call applied.
    A move that fails is left scheduled (and logged); the others go on."""
    today = now.astimezone(ZoneInfo(timezone)).date().isoformat()
    applied, failed = 0, set()
    while ids := await due_ids(db, today, chunk, failed):
        async with db.write() as tx:
            for move_id in ids:
                try:
                    async with tx.savepoint("move"):
                        applied += await apply_move(tx, move_id, now, keep_days)
                except Exception:
                    log.exception("move #%s could not be applied; it stays scheduled", move_id)
                    failed.add(move_id)
    return applied


async def expire_addresses(db: Database, now: datetime) -> int:
    """Old addresses whose time for mail has passed are removed (audited)."""
    now_iso = to_iso(now)
    if await db.fetchval("SELECT 1 FROM member_addresses WHERE mail_until IS NOT NULL AND mail_until <= ? LIMIT 1",
                         (now_iso,)) is None:
        return 0
    async with db.write() as tx:
        rows = await tx.fetchall("SELECT address, member_id, mail_until FROM member_addresses "
                                 "WHERE mail_until IS NOT NULL AND mail_until <= ?", (now_iso,))
        for row in rows:
            await tx.execute("DELETE FROM member_addresses WHERE address = ?", (row["address"],))
            person = await _person(tx, row["member_id"])
            await record(tx, SYSTEM, "member.change", person["address"] or row["address"],
                         {"before": {"addresses": [row["address"]]}, "after": {"addresses": []},
                          "why": f"an old address kept for mail until {row['mail_until']}"}, org_id=person["org_id"])
    return len(rows)


async def run_moves(db: Database, now: datetime, *, timezone: str = "Asia/Tokyo", keep_days: int = 90,
                    domain: str = "", chunk: int = CHUNK) -> Applied:
    """One pass (a tick of `kairan serve`, or `kairan move apply`): apply, expire, plan the summaries."""
    applied = await apply_due(db, now, timezone, keep_days, chunk)
    expired = await expire_addresses(db, now)
    reports = await plan_reports(db, now, domain)
    return Applied(applied, expired, reports)
