"""Threads resolved across a whole import: a reply stored before its parent still joins it.

A message whose parents (In-Reply-To, References) aren't in the space yet leaves their
Message-IDs in `import_orphans` with the thread it went to. When a message with one of
those Message-IDs is stored — later in the same file, after a resumed run, or in a later
import — the orphans' threads are joined into its thread. The rows are in the database,
so an interrupted import resumes with nothing lost.
"""

from __future__ import annotations

from archive.db import Tx
from archive.ids import raise_floor
from archive.removal.erase import recount_threads

NEAREST_PARENTS = 5          # the In-Reply-To and the last references are enough to find a thread


async def remember_parents(tx: Tx, space_id: int, thread_id: int, parents: list[str]) -> None:
    """This thread holds replies to these Message-IDs, not in the space yet."""
    await tx.executemany("INSERT OR IGNORE INTO import_orphans (space_id, message_id, thread_id) VALUES (?, ?, ?)",
                         [(space_id, mid, thread_id) for mid in parents[:NEAREST_PARENTS] if mid])


async def adopt_orphans(tx: Tx, space_id: int, message_id: str, thread_id: int, subject: str) -> int:
    """The message `message_id` has just been stored in `thread_id`: join the threads waiting for it.

    Returns how many threads were joined. Threads that became inquiries are left alone.
    """
    rows = await tx.fetchall("SELECT thread_id FROM import_orphans WHERE space_id = ? AND message_id = ?",
                             (space_id, message_id))
    await tx.execute("DELETE FROM import_orphans WHERE space_id = ? AND message_id = ?", (space_id, message_id))
    joined = 0
    for other in {r[0] for r in rows} - {thread_id}:
        if await tx.fetchval("SELECT 1 FROM inquiries WHERE thread_id = ?", (other,)):
            continue
        if await tx.fetchval("SELECT 1 FROM threads WHERE id = ?", (other,)) is None:
            continue
        await _join(tx, other, thread_id)
        joined += 1
    if joined:
        await recount_threads(tx, [thread_id])
        first = await tx.fetchval("SELECT message_id FROM posts WHERE thread_id = ? ORDER BY date_utc, id LIMIT 1",
                                  (thread_id,))
        if first == message_id and subject:
            await tx.execute("UPDATE threads SET subject = ? WHERE id = ?", (subject, thread_id))
    return joined


async def _join(tx: Tx, source: int, target: int) -> None:
    await tx.execute("UPDATE posts SET thread_id = ? WHERE thread_id = ?", (target, source))
    await tx.execute("UPDATE post_tombstones SET thread_id = ? WHERE thread_id = ?", (target, source))
    await tx.execute("UPDATE OR IGNORE import_orphans SET thread_id = ? WHERE thread_id = ?", (target, source))
    await tx.execute("DELETE FROM import_orphans WHERE thread_id = ?", (source,))
    await tx.execute("DELETE FROM thread_reads WHERE thread_id = ?", (source,))
    await tx.execute("DELETE FROM threads WHERE id = ?", (source,))
    await raise_floor(tx, "threads", [source])
