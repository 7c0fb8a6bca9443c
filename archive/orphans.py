"""Threads found by Outlook's conversation id, and replies that arrived before their parent.

Mail overtakes mail: a reply can be stored before the message it answers, and
then starts a thread of its own.  When the parent comes, `adopt_replies` moves
the posts of every thread that a reply to it started into the parent's thread
and deletes the emptied thread (its read marks go with it; a thread that has
an inquiry is left alone, since the inquiry belongs to that thread).
"""

from __future__ import annotations

from archive.db import Database, Tx
from archive.models import Thread
from archive.threads import thread_from_row


async def find_by_thread_index(db: Database, space_id: int, root: str) -> Thread | None:
    """The thread of the newest post in this space from the same Outlook conversation."""
    if not root:
        return None
    row = await db.fetchone(
        """SELECT t.* FROM posts p JOIN threads t ON t.id = p.thread_id
           WHERE p.space_id = ? AND p.thread_index = ? ORDER BY p.date_utc DESC LIMIT 1""", (space_id, root))
    return None if row is None else thread_from_row(row)


async def adopt_replies(tx: Tx, space_id: int, message_id: str, thread_id: int) -> list[int]:
    """Move the threads started by replies to `message_id` into `thread_id`; returns the emptied threads."""
    if not message_id:
        return []
    rows = await tx.execute_fetchall(
        """SELECT DISTINCT p.thread_id FROM posts p
           WHERE p.space_id = ? AND p.thread_id != ? AND (p.in_reply_to = ? OR instr(p.refs, ?) > 0)
             AND p.id = (SELECT MIN(q.id) FROM posts q WHERE q.thread_id = p.thread_id)
             AND NOT EXISTS (SELECT 1 FROM inquiries i WHERE i.thread_id = p.thread_id)""",
        (space_id, thread_id, message_id, message_id))
    emptied = [row["thread_id"] for row in rows]
    for orphan in emptied:
        await tx.execute("UPDATE posts SET thread_id = ? WHERE thread_id = ?", (thread_id, orphan))
        await tx.execute("DELETE FROM thread_reads WHERE thread_id = ?", (orphan,))
        await tx.execute("DELETE FROM threads WHERE id = ?", (orphan,))
    if emptied:
        await tx.execute(
            """UPDATE threads SET post_count = (SELECT COUNT(*) FROM posts WHERE thread_id = ?),
                   last_post_at = (SELECT MAX(date_utc) FROM posts WHERE thread_id = ?) WHERE id = ?""",
            (thread_id, thread_id, thread_id))
    return emptied
