"""The one blob garbage collector: a blob no row references is erased.

Used by post deletion, retention disposal and `kairan check` — nothing else removes
blobs. Blobs are shared (content-addressed), so erasing one is only right when no
post, attachment or spooled message names it. A writer (the spooler, the ingest
worker, the import, a browser reply) writes or finds a blob *before* the row that
references it commits; it holds `BlobStore.writing()` across that window, and the
collector only works while it holds the same lock exclusively. So it never erases
a blob that is being written or has just been referenced: either the writer's rows
are committed (and seen here), or the writer hasn't started (and will write the
blob afresh). When a writer holds the lock, the candidates stay queued in
`blob_garbage` and the next run (or `kairan check`) erases them.
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import Iterable

from archive.blobs import BlobStore
from archive.db import Database, Tx

# Every column that names a blob. A new one must be added here, or the collector would erase its blobs.
REFERENCES = (("posts", "raw_sha256"), ("attachments", "sha256"), ("spool", "raw_sha256"))
CHUNK = 500


async def queue_garbage(tx: Tx, shas: Iterable[str], now_iso: str) -> None:
    """Inside the transaction that removed references: these blobs may have lost their last one."""
    await tx.executemany("INSERT OR IGNORE INTO blob_garbage (sha256, queued_at) VALUES (?, ?)",
                         [(sha, now_iso) for sha in set(shas) if sha])


async def _referenced(db: Database, names: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(names), CHUNK):
        chunk = names[start:start + CHUNK]
        marks = ",".join("?" * len(chunk))
        for table, column in REFERENCES:
            rows = await db.fetchall(f"SELECT DISTINCT {column} FROM {table} WHERE {column} IN ({marks})",
                                     tuple(chunk))
            found.update(r[0] for r in rows)
    return found


async def _exclusive(blobs: BlobStore, wait_seconds: float) -> int | None:
    deadline = time.monotonic() + wait_seconds
    while True:
        fd = await asyncio.to_thread(blobs.try_exclusive)
        if fd is not None or time.monotonic() >= deadline:
            return fd
        await asyncio.sleep(0.05)


async def collect_garbage(db: Database, blobs: BlobStore, *, sweep: bool = False,
                          wait_seconds: float = 5.0) -> int:
    """Erase the queued blobs no row references (`sweep`: every unreferenced blob in the store).

    Returns how many blobs were erased. Safe to run at any time, in any process, again after
    a crash: a queued blob that is referenced again is simply dequeued.
    """
    fd = await _exclusive(blobs, wait_seconds)
    if fd is None:
        return 0
    try:
        queued = [r[0] for r in await db.fetchall("SELECT sha256 FROM blob_garbage")]
        names = sorted(set(queued) | (set(await asyncio.to_thread(lambda: list(blobs.names()))) if sweep else set()))
        keep = await _referenced(db, names)
        erased = 0
        for sha in names:
            if sha not in keep and await asyncio.to_thread(blobs.remove, sha):
                erased += 1
        async with db.write() as tx:
            await tx.executemany("DELETE FROM blob_garbage WHERE sha256 = ?", [(sha,) for sha in queued])
        return erased
    finally:
        os.close(fd)
