"""The one audit log (監査ログ): append-only and hash-chained.

Every administrative act and security event is recorded by `record`, inside the same write
transaction as the change it records, so a failed audit write fails the action. Each entry
carries the SHA-256 of the previous entry's canonical form (`canonical`); `audit_head` keeps the
newest entry's own hash. `verify` recomputes the chain and names the first entry that doesn't fit:
an entry edited in place breaks the link of the entry after it; an edited or removed newest
entry breaks the head. Details never hold post content.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass

from archive.clock import to_iso
from archive.db import Database, Tx
from archive.errors import Invalid
from archive.models import Member

ACTIONS = (
    "member.add", "member.change", "member.deactivate", "member.reactivate", "member.import",
    "member.export", "org.add", "org.change",
    "token.create", "token.revoke", "signin.ok", "signin.fail", "signin.link",
    "space.create", "space.change", "space.close", "space.reopen",
    "space.member.add", "space.member.remove", "space.member.change",
    "post.delete", "retention.dispose", "move.schedule", "move.apply", "move.cancel",
    "org.policy",                                   # sender assurance (issue 18): relays, DKIM, level
)
GENESIS = "0" * 64
FIELDS = ("id", "at", "actor_id", "actor", "client", "action", "target", "org_id", "detail", "prev_sha256")


@dataclass(frozen=True)
class Actor:
    """Who did it: a member (by id and primary address) or the command line ('system')."""
    member_id: int | None
    label: str
    client: str = ""


SYSTEM = Actor(None, "system")


def actor_of(member: Member, client: str = "") -> Actor:
    return Actor(member.id, member.email, client)


def anonymous(client: str = "") -> Actor:
    """Somebody not signed in (a failed sign-in, say)."""
    return Actor(None, "anonymous", client)


@dataclass(frozen=True)
class Entry:
    id: int
    at: str
    actor_id: int | None
    actor: str
    client: str
    action: str
    target: str
    org_id: int | None
    detail: dict
    prev_sha256: str


def canonical(row: dict | sqlite3.Row) -> bytes:
    """The bytes an entry is hashed as: its stored fields as compact JSON with sorted keys."""
    values = {name: row[name] for name in FIELDS}
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def entry_hash(row: dict | sqlite3.Row) -> str:
    return hashlib.sha256(canonical(row)).hexdigest()


def detail_text(detail: dict | None) -> str:
    return json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


async def org_of_target(tx: Tx, target: str) -> int | None:
    """The organization an entry is about: a member's (target is an address) or 'org:SLUG'."""
    if target.startswith("org:"):
        return await tx.fetchval("SELECT id FROM orgs WHERE slug = ?", (target[4:],))
    if "@" in target:
        return await tx.fetchval("SELECT m.org_id FROM member_addresses a JOIN members m ON m.id = a.member_id "
                                 "WHERE a.address = ?", (target.strip().lower(),))
    return None


async def record(tx: Tx, actor: Actor, action: str, target: str, detail: dict | None = None,
                 org_id: int | None = None) -> None:
    """Append one entry inside the caller's write transaction (an error here undoes the action)."""
    if action not in ACTIONS:
        raise Invalid(f"{action!r} is not an audit action: add it to archive.admin.audit.ACTIONS")
    head = await tx.fetchone("SELECT sha256 FROM audit_head WHERE id = 1")
    row = {"at": to_iso(tx.clock()), "actor_id": actor.member_id, "actor": actor.label,
           "client": actor.client[:200], "action": action, "target": target[:400],
           "org_id": org_id if org_id is not None else await org_of_target(tx, target),
           "detail": detail_text(detail), "prev_sha256": head["sha256"] if head else GENESIS}
    names = FIELDS[1:]
    cur = await tx.execute(f"INSERT INTO audit_log ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                           tuple(row[name] for name in names))
    row["id"] = cur.lastrowid
    await tx.execute("INSERT INTO audit_head (id, entry_id, sha256) VALUES (1, ?, ?) "
                     "ON CONFLICT (id) DO UPDATE SET entry_id = excluded.entry_id, sha256 = excluded.sha256",
                     (row["id"], entry_hash(row)))


async def record_event(db: Database, actor: Actor, action: str, target: str, detail: dict | None = None) -> None:
    """An event that changes nothing else (a sign-in, say): its entry in a transaction of its own."""
    async with db.write() as tx:
        await record(tx, actor, action, target, detail)


def entry_from_row(row: sqlite3.Row) -> Entry:
    try:
        detail = json.loads(row["detail"])
    except ValueError:
        detail = {"unreadable": row["detail"]}
    return Entry(row["id"], row["at"], row["actor_id"], row["actor"], row["client"], row["action"], row["target"],
                 row["org_id"], detail if isinstance(detail, dict) else {"value": detail}, row["prev_sha256"])


@dataclass(frozen=True)
class Filters:
    """What to list: a period (UTC ISO strings, `until` exclusive), an action, an organization, a person."""
    since: str | None = None
    until: str | None = None
    action: str | None = None
    org_id: int | None = None
    person_id: int | None = None


async def list_entries(db: Database, filters: Filters = Filters(), limit: int = 200, offset: int = 0,
                       newest_first: bool = True) -> list[Entry]:
    where, params = _where(filters)
    order = "DESC" if newest_first else "ASC"
    rows = await db.fetchall(f"SELECT * FROM audit_log {where} ORDER BY id {order} LIMIT ? OFFSET ?",
                             (*params, limit, offset))
    return [entry_from_row(r) for r in rows]


async def count_entries(db: Database, filters: Filters = Filters()) -> int:
    where, params = _where(filters)
    return await db.fetchval(f"SELECT COUNT(*) FROM audit_log {where}", tuple(params))


def _where(f: Filters) -> tuple[str, list]:
    clauses, params = [], []
    if f.since:
        clauses.append("at >= ?")
        params.append(f.since)
    if f.until:
        clauses.append("at < ?")
        params.append(f.until)
    if f.action:
        clauses.append("action = ?")
        params.append(f.action)
    if f.org_id is not None:
        clauses.append("org_id = ?")
        params.append(f.org_id)
    if f.person_id is not None:
        clauses.append("(actor_id = ? OR target IN (SELECT address FROM member_addresses WHERE member_id = ?))")
        params += [f.person_id, f.person_id]
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


@dataclass(frozen=True)
class Break:
    """The first entry that doesn't fit the chain, and why."""
    entry_id: int
    reason: str


async def verify(db: Database, batch: int = 5000) -> Break | None:
    """Recompute the chain from the first entry; None when every entry fits."""
    expected, last_id, previous = GENESIS, 0, None
    while rows := await db.fetchall("SELECT * FROM audit_log WHERE id > ? ORDER BY id LIMIT ?", (last_id, batch)):
        for row in rows:
            if row["id"] != last_id + 1:
                return Break(row["id"], f"entries #{last_id + 1}–#{row['id'] - 1} are missing")
            if row["prev_sha256"] != expected:
                return Break(row["id"], f"its previous-entry hash does not match entry #{last_id} as stored "
                                        f"(entry #{last_id} was changed)" if last_id else
                                        "the first entry does not start the chain")
            expected, last_id, previous = entry_hash(row), row["id"], row
    head = await db.fetchone("SELECT entry_id, sha256 FROM audit_head WHERE id = 1")
    if head is None:
        return None if previous is None else Break(last_id, "the log has entries but no head")
    if head["entry_id"] != last_id:
        return Break(last_id + 1, f"the log ends at entry #{last_id} but its head says #{head['entry_id']} "
                                  "(entries were removed)")
    if head["sha256"] != expected:
        return Break(last_id, "it does not match the hash recorded when it was written (it was changed)")
    return None
