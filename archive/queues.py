"""Durable work queues (index, notify): rows are work; consumers delete what they finished."""

from __future__ import annotations

from dataclasses import dataclass

from archive.db import Database

QUEUES = ("index_queue", "notify_queue")


@dataclass(frozen=True)
class QueueItem:
    id: int
    post_id: int
    op: str


def _table(queue: str) -> str:
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}")
    return queue


async def peek(db: Database, queue: str, limit: int = 500) -> list[QueueItem]:
    """The oldest items; they stay until `done` removes them (at-least-once)."""
    table = _table(queue)
    op = "op" if table == "index_queue" else "'add' AS op"
    rows = await db.fetchall(f"SELECT id, post_id, {op} FROM {table} ORDER BY id LIMIT ?", (limit,))
    return [QueueItem(r["id"], r["post_id"], r["op"]) for r in rows]


async def done(db: Database, queue: str, item_ids: list[int]) -> None:
    if not item_ids:
        return
    table = _table(queue)
    async with db.write() as conn:
        await conn.executemany(f"DELETE FROM {table} WHERE id = ?", [(i,) for i in item_ids])


async def depth(db: Database, queue: str) -> int:
    return await db.fetchval(f"SELECT COUNT(*) FROM {_table(queue)}")
