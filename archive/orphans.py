"""Threads found by Outlook's conversation id, and replies stored before their parent.

Mail overtakes mail, and an import reads a mailbox in file order: a reply can be stored
before the message it answers, and then starts a thread of its own (or joins one by its
subject). Such a reply leaves its parents' Message-IDs in `awaited_parents` with the thread
it went to (`remember_parents`). When a message with one of those Message-IDs is stored —
by live ingest, later in the same file, after a resumed run, or in a later import —
`adopt_replies` joins the waiting threads into its thread and removes the emptied ones
(their read marks go with them; a thread that has an inquiry is left alone, since the
inquiry belongs to that thread). Both look rows up by key: storing a message costs the
same in a space of ten posts or of a million. One mechanism for live mail and imports.
"""

from __future__ import annotations

from archive.db import Database, Tx
from archive.ids import raise_floor
from archive.models import Thread
from archive.threads import recount_threads, thread_from_row

NEAREST_PARENTS = 5          # the In-Reply-To and the last references are enough to find a thread


async def find_by_thread_index(db: Database, space_id: int, root: str) -> Thread | None:
    """The thread of the newest post in this space from the same Outlook conversation."""
    if not root:
        return None
    row = await db.fetchone(
        """SELECT t.* FROM posts p JOIN threads t ON t.id = p.thread_id
           WHERE p.space_id = ? AND p.thread_index = ? ORDER BY p.date_utc DESC LIMIT 1""", (space_id, root))
    return None if row is None else thread_from_row(row)


async def remember_parents(tx: Tx, space_id: int, thread_id: int, parents: list[str]) -> None:
    """This thread holds a reply to these Message-IDs (nearest first), not in the space yet."""
    await tx.executemany("INSERT OR IGNORE INTO awaited_parents (space_id, message_id, thread_id) VALUES (?, ?, ?)",
                         [(space_id, mid, thread_id) for mid in parents[:NEAREST_PARENTS] if mid])


async def adopt_replies(tx: Tx, space_id: int, message_id: str, thread_id: int, subject: str = "") -> list[int]:
    """The message `message_id` has just been stored in `thread_id`: join the threads waiting for it.

    Returns the threads joined (and removed). When the message is now the thread's first post,
    the thread takes its `subject` (the thread was named after a reply until its parent came).
    """
    if not message_id:
        return []
    rows = await tx.fetchall("SELECT thread_id FROM awaited_parents WHERE space_id = ? AND message_id = ?",
                             (space_id, message_id))
    await tx.execute("DELETE FROM awaited_parents WHERE space_id = ? AND message_id = ?", (space_id, message_id))
    joined = []
    for other in sorted({r[0] for r in rows} - {thread_id}):
        if await tx.fetchval("SELECT 1 FROM inquiries WHERE thread_id = ?", (other,)):
            continue
        if await tx.fetchval("SELECT 1 FROM threads WHERE id = ? AND space_id = ?", (other, space_id)) is None:
            continue
        await _join(tx, other, thread_id)
        joined.append(other)
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
    await tx.execute("UPDATE OR IGNORE awaited_parents SET thread_id = ? WHERE thread_id = ?", (target, source))
    await tx.execute("DELETE FROM awaited_parents WHERE thread_id = ?", (source,))
    await tx.execute("DELETE FROM thread_reads WHERE thread_id = ?", (source,))
    await tx.execute("DELETE FROM threads WHERE id = ?", (source,))
    await raise_floor(tx, "threads", [source])
