"""Ids only grow: a new post or thread never takes the id of one that was erased.

SQLite gives a new row the largest id plus one, so erasing the newest post would hand
its id to the next one — and digest windows, the delivery ledger (keyed by post id) and
tombstones count on ids never coming back. Erasure raises a floor; inserts start above it.
"""

from __future__ import annotations

from archive.db import Tx

TABLES = ("posts", "threads")


async def next_id(tx: Tx, table: str) -> int:
    if table not in TABLES:
        raise ValueError(f"no id floor for {table!r}")
    value = await tx.fetchval(
        f"""SELECT MAX(COALESCE((SELECT MAX(id) FROM {table}), 0),
                       COALESCE((SELECT max_id FROM id_floors WHERE name = ?), 0)) + 1""", (table,))
    return int(value)


async def raise_floor(tx: Tx, table: str, ids: list[int]) -> None:
    """Inside the transaction that erases these rows."""
    if table not in TABLES:
        raise ValueError(f"no id floor for {table!r}")
    if ids:
        await tx.execute(
            """INSERT INTO id_floors (name, max_id) VALUES (?, ?)
               ON CONFLICT (name) DO UPDATE SET max_id = MAX(max_id, excluded.max_id)""", (table, max(ids)))
