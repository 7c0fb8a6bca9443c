"""The org admins' summary of applied moves: planned in the delivery ledger, read when it is sent.

Moves applied and not yet reported are given a report key in the same transaction that makes
one delivery due per active org admin of each organization they left or joined. The ledger's
kind is 'reminder' (its builder is chosen by the key's 'moves:' prefix), so the dispatcher's
retries and once-only sending serve these mails too. A crash between applying and planning
only delays the report to the next pass.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from archive.clock import to_iso
from archive.db import Database

KEY_PREFIX = "moves:"


@dataclass(frozen=True)
class ReportLine:
    name: str
    email: str
    effective: str
    from_org: str
    from_dept: str
    to_org: str
    to_dept: str
    new_address: str
    successor: str
    leave: bool
    note: str


def report_key(report: str, org_id: int) -> str:
    return f"{KEY_PREFIX}{report}:{org_id}"


def parse_report_key(key: str) -> tuple[str, int]:
    _, report, org_id = key.split(":")
    return report, int(org_id)


async def plan_reports(db: Database, now: datetime, domain: str) -> int:
    """One due summary per org admin of each organization the unreported moves touch."""
    rows = await db.fetchall("SELECT id, from_org_id, new_org_id FROM moves WHERE state = 'applied' AND report IS NULL")
    if not rows:
        return 0
    report = f"{now:%Y%m%dT%H%M%S}-{rows[0]['id']}"
    orgs = {r["from_org_id"] for r in rows if r["from_org_id"]} | {r["new_org_id"] for r in rows if r["new_org_id"]}
    marks = ",".join("?" * len(orgs))
    now_iso = to_iso(now)
    planned = 0
    async with db.write() as tx:
        ids = [r["id"] for r in rows]
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            await tx.execute(f"UPDATE moves SET report = ? WHERE report IS NULL AND id IN ({','.join('?' * len(part))})",
                             (report, *part))
        admins = await tx.fetchall(
            f"SELECT id, org_id FROM members WHERE is_org_admin = 1 AND active = 1 AND org_id IN ({marks})", tuple(orgs))
        for admin in admins:
            message_id = f"<kairan.moves.{report}.{admin['id']}.{secrets.token_hex(6)}@{domain or 'kairan.invalid'}>"
            cur = await tx.execute(
                """INSERT OR IGNORE INTO deliveries (kind, member_id, key, message_id, created_at, next_attempt_at)
                   VALUES ('reminder', ?, ?, ?, ?, ?)""",
                (admin["id"], report_key(report, admin["org_id"]), message_id, now_iso, now_iso))
            planned += cur.rowcount
    return planned


async def report_lines(db: Database, report: str, org_id: int) -> list[ReportLine]:
    """The moves of one report that left or joined this organization, by date and name."""
    rows = await db.fetchall(
        """SELECT mv.*, m.name, fo.name AS from_org, COALESCE(no.name, fo.name) AS to_org,
                  (SELECT address FROM member_addresses a WHERE a.member_id = mv.successor_id
                   ORDER BY a.is_primary DESC LIMIT 1) AS successor_email
           FROM moves mv JOIN members m ON m.id = mv.member_id
           LEFT JOIN orgs fo ON fo.id = mv.from_org_id LEFT JOIN orgs no ON no.id = mv.new_org_id
           WHERE mv.report = ? AND (mv.from_org_id = ? OR mv.new_org_id = ?)
           ORDER BY mv.effective, m.name, mv.id""", (report, org_id, org_id))
    return [ReportLine(r["name"], r["from_address"] or r["email"], r["effective"], r["from_org"] or "",
                       r["from_dept"] or "", r["to_org"] or "", r["new_dept"] if r["new_dept"] is not None
                       else (r["from_dept"] or ""), r["new_address"] or "", r["successor_email"] or "",
                       bool(r["leave"]), r["note"]) for r in rows]
