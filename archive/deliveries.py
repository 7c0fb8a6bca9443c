"""The delivery ledger: every mail kairan means to send, from `due` to `sent` or `failed`.

A row (with the mail's Message-ID) is written before the mail is sent, and the
row that makes it `due` is written in the same transaction as whatever decided
it (the notify queue item, the digest mark). So a crash or a rerun never skips
a mail, never plans one twice, and a retried mail keeps its Message-ID.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from archive.db import Database

KINDS = ("notify", "digest")


@dataclass(frozen=True)
class Delivery:
    id: int
    kind: str
    member_id: int
    key: str
    message_id: str
    post_id: int | None
    from_post_id: int | None
    to_post_id: int | None
    status: str
    attempts: int
    error: str
    created_at: str


@dataclass(frozen=True)
class NotifyPlan:
    """Notify the `each` members of this post's space (its author excepted), with this Message-ID."""
    post_id: int
    message_id: str


def delivery_from_row(row: sqlite3.Row) -> Delivery:
    return Delivery(row["id"], row["kind"], row["member_id"], row["key"], row["message_id"], row["post_id"],
                    row["from_post_id"], row["to_post_id"], row["status"], row["attempts"], row["error"],
                    row["created_at"])


_PLAN_NOTIFY = """
INSERT OR IGNORE INTO deliveries (kind, member_id, key, message_id, post_id, created_at, next_attempt_at)
SELECT 'notify', ms.member_id, CAST(p.id AS TEXT), ?, p.id, ?, ?
FROM posts p
JOIN memberships ms ON ms.space_id = p.space_id AND ms.mode = 'each'
JOIN members m ON m.id = ms.member_id AND m.active = 1
WHERE p.id = ?
  AND (p.author_id IS NULL OR p.author_id <> ms.member_id)
  AND NOT EXISTS (SELECT 1 FROM member_addresses a WHERE a.member_id = ms.member_id AND a.address = p.from_address)
"""


async def plan_notifications(db: Database, plans: list[NotifyPlan], queue_item_ids: list[int], now_iso: str) -> int:
    """Due rows for these posts and the notify queue items done, in one transaction; returns rows added."""
    added = 0
    async with db.write() as conn:
        for plan in plans:
            cur = await conn.execute(_PLAN_NOTIFY, (plan.message_id, now_iso, now_iso, plan.post_id))
            added += cur.rowcount
        await conn.executemany("DELETE FROM notify_queue WHERE id = ?", [(i,) for i in queue_item_ids])
    return added


async def due_deliveries(db: Database, now_iso: str, kinds: tuple[str, ...] = KINDS,
                         limit: int = 200, after_id: int = 0) -> list[Delivery]:
    """Rows due now (retries whose time has come included), oldest first."""
    marks = ",".join("?" * len(kinds))
    rows = await db.fetchall(
        f"""SELECT * FROM deliveries WHERE status = 'due' AND next_attempt_at <= ? AND kind IN ({marks})
            AND id > ? ORDER BY id LIMIT ?""", (now_iso, *kinds, after_id, limit))
    return [delivery_from_row(r) for r in rows]


async def mark_sent(db: Database, delivery_id: int, now_iso: str) -> None:
    async with db.write() as conn:
        await conn.execute("UPDATE deliveries SET status = 'sent', attempts = attempts + 1, error = '', sent_at = ? "
                           "WHERE id = ?", (now_iso, delivery_id))


async def mark_failed(db: Database, delivery_id: int, error: str) -> None:
    async with db.write() as conn:
        await conn.execute("UPDATE deliveries SET status = 'failed', attempts = attempts + 1, error = ? WHERE id = ?",
                           (error, delivery_id))


async def mark_retry(db: Database, delivery_id: int, error: str, next_attempt_iso: str) -> None:
    """A temporary failure: stays due, tried again from `next_attempt_iso`."""
    async with db.write() as conn:
        await conn.execute("UPDATE deliveries SET attempts = attempts + 1, error = ?, next_attempt_at = ? WHERE id = ?",
                           (error, next_attempt_iso, delivery_id))


async def list_deliveries(db: Database, kind: str | None = None, status: str | None = None) -> list[Delivery]:
    rows = await db.fetchall(
        "SELECT * FROM deliveries WHERE (? IS NULL OR kind = ?) AND (? IS NULL OR status = ?) ORDER BY id",
        (kind, kind, status, status))
    return [delivery_from_row(r) for r in rows]


async def thread_outline(db: Database, thread_id: int) -> list[tuple[int, str]]:
    """(post id, original Message-ID) of a thread's posts, oldest first: enough to chain References."""
    rows = await db.fetchall("SELECT id, message_id FROM posts WHERE thread_id = ? ORDER BY date_utc, id",
                             (thread_id,))
    return [(r[0], r[1]) for r in rows]


async def troubled_deliveries(db: Database, limit: int = 200) -> list[tuple[Delivery, str, str]]:
    """Mail that failed, or is waiting to be tried again, newest first, with the member's address:
    what a system admin looks at when the relay has trouble (its answer is in `error`).
    Each is (delivery, address, next attempt) — the next attempt matters only while it is due."""
    rows = await db.fetchall(
        """SELECT d.*, COALESCE(a.address, '') AS address, d.next_attempt_at FROM deliveries d
           LEFT JOIN member_addresses a ON a.member_id = d.member_id AND a.is_primary = 1
           WHERE d.status = 'failed' OR (d.status = 'due' AND d.attempts > 0)
           ORDER BY d.id DESC LIMIT ?""", (limit,))
    return [(delivery_from_row(r), r["address"], r["next_attempt_at"]) for r in rows]
