"""Threads: one topic inside a space, found by token, by Message-ID or by subject."""

from __future__ import annotations

import base64
import secrets
import sqlite3

from archive.db import Database, Tx
from archive.errors import NotFound
from archive.models import Thread


def thread_from_row(row: sqlite3.Row) -> Thread:
    return Thread(row["id"], row["space_id"], row["subject"], row["norm_subject"], row["token"],
                  row["created_at"], row["last_post_at"], row["post_count"])


def new_token() -> str:
    """Twelve lowercase base32 characters: safe in a local part, case-insensitive."""
    return base64.b32encode(secrets.token_bytes(10)).decode("ascii").lower()[:12]


async def get_thread(db: Database, thread_id: int) -> Thread:
    row = await db.fetchone("SELECT * FROM threads WHERE id = ?", (thread_id,))
    if row is None:
        raise NotFound(f"no thread #{thread_id}")
    return thread_from_row(row)


async def find_by_token(db: Database, space_id: int, token: str) -> Thread | None:
    row = await db.fetchone("SELECT * FROM threads WHERE token = ? AND space_id = ?", (token.lower(), space_id))
    return None if row is None else thread_from_row(row)


async def find_by_message_ids(db: Database, space_id: int, message_ids: list[str]) -> Thread | None:
    """The thread of the newest post in this space whose Message-ID is among these."""
    if not message_ids:
        return None
    marks = ",".join("?" * len(message_ids))
    row = await db.fetchone(
        f"""SELECT t.* FROM posts p JOIN threads t ON t.id = p.thread_id
            WHERE p.space_id = ? AND p.message_id IN ({marks}) ORDER BY p.date_utc DESC LIMIT 1""",
        (space_id, *message_ids))
    return None if row is None else thread_from_row(row)


async def find_by_subject(db: Database, space_id: int, norm_subject: str, since_iso: str) -> Thread | None:
    """The most recently active thread with this normalized subject, active since `since_iso`."""
    if not norm_subject:
        return None
    row = await db.fetchone(
        """SELECT * FROM threads WHERE space_id = ? AND norm_subject = ? AND last_post_at >= ?
           ORDER BY last_post_at DESC LIMIT 1""", (space_id, norm_subject, since_iso))
    return None if row is None else thread_from_row(row)


async def list_threads(db: Database, space_id: int, limit: int = 50, offset: int = 0) -> list[Thread]:
    """Newest activity first."""
    rows = await db.fetchall(
        "SELECT * FROM threads WHERE space_id = ? ORDER BY last_post_at DESC, id DESC LIMIT ? OFFSET ?",
        (space_id, limit, offset))
    return [thread_from_row(r) for r in rows]


async def count_threads(db: Database, space_id: int) -> int:
    return await db.fetchval("SELECT COUNT(*) FROM threads WHERE space_id = ?", (space_id,))


async def recount_threads(tx: Tx, thread_ids: list[int]) -> None:
    """Post count and last activity from the posts a thread has now (kept when it has none)."""
    await tx.executemany(
        """UPDATE threads SET post_count = (SELECT COUNT(*) FROM posts WHERE thread_id = threads.id),
               last_post_at = COALESCE((SELECT MAX(date_utc) FROM posts WHERE thread_id = threads.id), last_post_at)
           WHERE id = ?""", [(t,) for t in thread_ids])
