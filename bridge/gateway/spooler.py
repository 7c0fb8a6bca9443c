"""Group commit of accepted messages: one transaction (and fsync) for all waiting.

Each SMTP session awaits `accept()`. Arrivals while a batch is being committed
wait for the next batch, so under load many sessions share one fsync, and a
lone message is committed at once. Large messages go to the blob store first
(their own fsync) so the spool row stays small.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Callable

from archive.blobs import BlobStore
from archive.db import Database
from archive.spool import Incoming, insert_incoming
from bridge.gateway.data import Received

INLINE_LIMIT = 512 * 1024


class Spooler:
    def __init__(self, db: Database, blobs: BlobStore, on_spooled: Callable[[], None] = lambda: None):
        self._db = db
        self._blobs = blobs
        self._on_spooled = on_spooled
        self._waiting: list[tuple[Incoming, asyncio.Future]] = []
        self._flusher: asyncio.Task | None = None

    async def accept(self, message: bytes | Received, *, received_at: str, mail_from: str,
                     rcpts: tuple[str, ...], peer: str, assurance: tuple[str, str] = ("none", "")) -> int:
        """Returns the spool id once the message is durable (`assurance`: the sender's method, evidence).
        A message the gateway streamed to a file is renamed into the blob store (made durable once,
        never read back into memory)."""
        raw, sha = (message, "") if isinstance(message, bytes) else (message.raw, "")
        size = len(raw) if raw is not None else message.size
        # A blob is written before its spool row: the garbage collector must wait for the row.
        async with self._blobs.writing() if raw is None or len(raw) > INLINE_LIMIT else contextlib.nullcontext():
            if raw is None:
                sha = await asyncio.to_thread(self._blobs.adopt, message.path, message.sha256)
                message.path = None
            elif len(raw) > INLINE_LIMIT:
                sha = await asyncio.to_thread(self._blobs.put, raw)
            incoming = Incoming(received_at, mail_from, rcpts, peer, size, None if sha else raw, sha, *assurance)
            future = asyncio.get_running_loop().create_future()
            self._waiting.append((incoming, future))
            if self._flusher is None or self._flusher.done():
                self._flusher = asyncio.create_task(self._flush())
            return await future

    async def _flush(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                async with self._db.write() as conn:
                    ids = [await insert_incoming(conn, incoming) for incoming, _ in batch]
            except Exception as error:       # every waiting session answers 451
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            for (_, future), spool_id in zip(batch, ids):
                if not future.done():
                    future.set_result(spool_id)
            self._on_spooled()
