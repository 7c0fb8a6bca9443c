"""Erasing posts and whole threads inside a write transaction (deletion and disposal share it).

Rows go at once; the search index is told (an index-queue `remove`), unsent notifications
are dropped, and the blobs the rows named are queued for the garbage collector, which
erases them after the commit unless another row still uses them. Digests are built from
the posts that exist when they are sent, so an erased post is in no digest not yet sent.
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.db import Tx
from archive.ids import raise_floor
from archive.threads import recount_threads
from archive.removal.blobgc import queue_garbage


@dataclass(frozen=True)
class Erased:
    posts: int
    attachments: int


def _marks(items: list) -> str:
    return ",".join("?" * len(items))


async def erase_posts(tx: Tx, post_ids: list[int], now_iso: str) -> Erased:
    """Posts, their attachments and queue rows; their threads' counts follow."""
    if not post_ids:
        return Erased(0, 0)
    ids = tuple(post_ids)
    marks = _marks(post_ids)
    shas = [r[0] for r in await tx.fetchall(f"SELECT raw_sha256 FROM posts WHERE id IN ({marks})", ids)]
    att = [r[0] for r in await tx.fetchall(f"SELECT sha256 FROM attachments WHERE post_id IN ({marks})", ids)]
    threads = [r[0] for r in await tx.fetchall(f"SELECT DISTINCT thread_id FROM posts WHERE id IN ({marks})", ids)]
    await tx.execute(f"DELETE FROM attachments WHERE post_id IN ({marks})", ids)
    await tx.execute(f"DELETE FROM notify_queue WHERE post_id IN ({marks})", ids)
    await tx.execute(f"DELETE FROM index_queue WHERE post_id IN ({marks})", ids)
    await tx.execute(f"DELETE FROM deliveries WHERE status = 'due' AND kind = 'notify' AND post_id IN ({marks})", ids)
    await tx.execute(f"DELETE FROM posts WHERE id IN ({marks})", ids)
    await raise_floor(tx, "posts", list(post_ids))
    await tx.executemany("INSERT INTO index_queue (post_id, op, enqueued_at) VALUES (?, 'remove', ?)",
                         [(pid, now_iso) for pid in post_ids])
    await queue_garbage(tx, shas + att, now_iso)
    await recount_threads(tx, threads)
    return Erased(len(shas), len(att))


# What else names a thread; erased with it (awaited parents, tombstones, reads, an inquiry).
_THREAD_ROWS = (
    "DELETE FROM awaited_parents WHERE thread_id = ?",
    "DELETE FROM post_tombstones WHERE thread_id = ?",
    "DELETE FROM thread_reads WHERE thread_id = ?",
    "DELETE FROM inquiry_events WHERE thread_id = ?",
    "DELETE FROM inquiry_targets WHERE thread_id = ?",
    "DELETE FROM inquiries WHERE thread_id = ?",
    "DELETE FROM deliveries WHERE status = 'due' AND kind = 'reminder' AND key LIKE 'inquiry:' || ? || ':%'",
    "DELETE FROM threads WHERE id = ?",
)


async def erase_thread(tx: Tx, thread_id: int, now_iso: str) -> Erased:
    """A whole thread, for disposal: its posts as above, then every row that names it."""
    post_ids = [r[0] for r in await tx.fetchall("SELECT id FROM posts WHERE thread_id = ?", (thread_id,))]
    erased = await erase_posts(tx, post_ids, now_iso)
    for statement in _THREAD_ROWS:
        await tx.execute(statement, (thread_id,))
    await raise_floor(tx, "threads", [thread_id])
    return erased
