"""What each member has read: per thread, how many of its posts they had seen."""

from __future__ import annotations

from archive.clock import to_iso
from archive.db import Database


async def read_counts(db: Database, member_id: int, thread_ids: list[int]) -> dict[int, int]:
    """thread id -> posts seen; threads never opened are absent (nothing seen)."""
    if not thread_ids:
        return {}
    marks = ",".join("?" * len(thread_ids))
    rows = await db.fetchall(
        f"SELECT thread_id, read_count FROM thread_reads WHERE member_id = ? AND thread_id IN ({marks})",
        (member_id, *thread_ids))
    return {r["thread_id"]: r["read_count"] for r in rows}


async def mark_read(db: Database, member_id: int, thread_id: int, post_count: int) -> None:
    """Remember that the member has seen the first `post_count` posts; never goes backwards."""
    async with db.write() as conn:
        await conn.execute(
            """INSERT INTO thread_reads (member_id, thread_id, read_count, read_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (member_id, thread_id) DO UPDATE
               SET read_count = MAX(read_count, excluded.read_count), read_at = excluded.read_at""",
            (member_id, thread_id, post_count, to_iso(db.clock())))
