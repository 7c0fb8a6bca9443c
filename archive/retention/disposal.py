"""Disposal (廃棄): only what a system admin approved, never a space under legal hold.

Approving writes the list into the disposal register (廃棄簿) as `approved`, with the
audit entry, in one transaction. Then each thread is erased in its own transaction that
also marks its register row `disposed`; blobs go through the garbage collector after
each commit. A crash (kill -9) anywhere leaves every thread either whole or gone with its
register row saying so; running the disposal again finishes the approved rows first.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from archive.admin.audit import Actor, record
from archive.blobs import BlobStore
from archive.clock import to_iso
from archive.db import Database
from archive.removal.blobgc import collect_garbage
from archive.removal.erase import erase_thread
from archive.retention.classes import RetentionPolicy
from archive.retention.due import DueThread, due_threads

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RegisterEntry:
    id: int
    disposal_id: int
    space_slug: str
    space_title: str
    thread_id: int
    subject: str
    retention: str
    first_post: str
    last_post: str
    expires: str
    posts: int
    attachments: int
    status: str
    disposed_at: str | None
    approved_at: str
    approved_by: str


def entry_from_row(row: sqlite3.Row) -> RegisterEntry:
    return RegisterEntry(row["id"], row["disposal_id"], row["space_slug"], row["space_title"], row["thread_id"],
                         row["subject"], row["retention"], row["first_post"], row["last_post"], row["expires"],
                         row["posts"], row["attachments"], row["status"], row["disposed_at"], row["approved_at"],
                         row["approved_by_label"])


async def approve(db: Database, due: list[DueThread], as_of: datetime, actor: Actor) -> int:
    """Record the approval of this due list; returns the disposal's id (0 when the list is empty)."""
    if not due:
        return 0
    now = to_iso(db.clock())
    async with db.write() as tx:
        cur = await tx.execute(
            "INSERT INTO disposals (as_of, approved_at, approved_by, approved_by_label) VALUES (?,?,?,?)",
            (to_iso(as_of), now, actor.member_id, actor.label))
        disposal_id = cur.lastrowid
        for item in due:
            counts = await tx.fetchone(
                """SELECT COUNT(*) AS posts, COALESCE(MIN(date_utc), '') AS first_post,
                          (SELECT COUNT(*) FROM attachments a JOIN posts q ON q.id = a.post_id
                           WHERE q.thread_id = ?) AS attachments
                   FROM posts WHERE thread_id = ?""", (item.thread_id, item.thread_id))
            await tx.execute(
                """INSERT INTO disposal_register (disposal_id, space_id, space_slug, space_title, thread_id, subject,
                       retention, first_post, last_post, expires, posts, attachments)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""",
                (disposal_id, item.space_id, item.space_slug, item.space_title, item.thread_id, item.subject,
                 item.retention, counts["first_post"] or item.last_post, item.last_post, item.expires.isoformat(),
                 counts["posts"], counts["attachments"]))
        await record(tx, actor, "retention.dispose", f"disposal:{disposal_id}",
                     {"as_of": to_iso(as_of), "threads": len(due)})
    return disposal_id


async def _dispose_one(db: Database, row: sqlite3.Row) -> bool:
    """Erase one approved thread (or mark it held); True when it was disposed."""
    now = to_iso(db.clock())
    async with db.write() as tx:
        held = await tx.fetchval("SELECT legal_hold FROM spaces WHERE id = ?", (row["space_id"],))
        if held:
            await tx.execute("UPDATE disposal_register SET status = 'held' WHERE id = ?", (row["id"],))
            return False
        await erase_thread(tx, row["thread_id"], now)
        await tx.execute("UPDATE disposal_register SET status = 'disposed', disposed_at = ? WHERE id = ?",
                         (now, row["id"]))
    return True


async def finish_approved(db: Database, blobs: BlobStore, progress: Progress | None = None) -> int:
    """Dispose every approved thread not disposed yet; returns how many were."""
    rows = await db.fetchall("SELECT id, space_id, thread_id FROM disposal_register WHERE status = 'approved' ORDER BY id")
    disposed = 0
    for done, row in enumerate(rows, 1):
        if await _dispose_one(db, row):
            disposed += 1
        await collect_garbage(db, blobs)
        if progress is not None:
            progress(done, len(rows))
    await collect_garbage(db, blobs)
    return disposed


async def dispose(db: Database, blobs: BlobStore, policy: RetentionPolicy, as_of: datetime, actor: Actor,
                  progress: Progress | None = None) -> int:
    """Approve what is due on `as_of` (with whatever an interrupted run left) and dispose of it."""
    await approve(db, await due_threads(db, as_of, policy), as_of, actor)
    return await finish_approved(db, blobs, progress)


async def register_entries(db: Database, space_ids: list[int] | None = None) -> list[RegisterEntry]:
    """The disposal register, newest first."""
    where = f"WHERE r.space_id IN ({','.join('?' * len(space_ids))})" if space_ids else ""
    rows = await db.fetchall(
        f"""SELECT r.*, d.approved_at, d.approved_by_label FROM disposal_register r
            JOIN disposals d ON d.id = r.disposal_id {where} ORDER BY r.id DESC""", tuple(space_ids or ()))
    return [entry_from_row(r) for r in rows]
