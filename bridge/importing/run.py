"""An import run: mailboxes in, posts out, in batches — resumable and idempotent.

Messages are read in file order, in batches. A message whose bytes are in the space
already is counted "already there" without being parsed. The rest are parsed and their
replies extracted by bridge.ingest.understand in worker processes, while the previous
batch is being stored; the raw messages and attachments are written to the blob store and
made durable with one file-system sync, then one transaction stores the batch (each message
in a savepoint) with the run's progress. Posts go to the search index's queue, never to the
notify queue. Interrupted (Ctrl+C, kill -9), a batch is either stored whole or not at all;
running again skips what is there and goes on. A message that can't be stored is listed
with its reason and kept in the spool as failed.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import json
import multiprocessing
import signal
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Callable, Iterator

from archive.blobs import BlobStore
from archive.clock import to_iso
from archive.db import Database, Tx
from archive.models import Space
from archive.spool import import_peer
from bridge.importing.sources import SourceMessage
from bridge.importing.store import Authors, Understood, store_imported
from bridge.ingest.understand import parse_and_extract

BATCH = 200
POOL_FROM = 500          # fewer messages than this are parsed in a thread: starting processes costs more


@dataclass
class Report:
    total: int = 0
    imported: int = 0
    existing: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)     # (location, reason)

    @property
    def done(self) -> int:
        return self.imported + self.existing + len(self.failures)

    def summary(self) -> str:
        return f"imported {self.imported}, already there {self.existing}, failed {len(self.failures)}"


Progress = Callable[[Report], None]


@dataclass(frozen=True)
class ImportSettings:
    domain: str
    max_message_bytes: int = 50 * 1024 * 1024
    thread_window: timedelta = timedelta(days=30)
    workers: int = 2
    batch: int = BATCH


def _ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def understand_many(raws: list[bytes]) -> list[tuple | str]:
    """In a worker process: parse and extract each message, or the reason it failed."""
    results: list[tuple | str] = []
    for raw in raws:
        try:
            results.append(parse_and_extract(raw))
        except Exception as error:                # listed as failed, never stops the import
            results.append(f"{type(error).__name__}: {error}")
    return results


def _take(messages: Iterator[SourceMessage], count: int) -> list[tuple[SourceMessage, str]]:
    """Blocking: the next messages with the SHA-256 of their bytes."""
    batch = []
    for message in messages:
        batch.append((message, hashlib.sha256(message.raw).hexdigest()))
        if len(batch) >= count:
            break
    return batch


@dataclass
class Prepared:
    """A batch read, set apart (there already, unreadable) and understood, its blobs written."""
    items: list            # Understood, or (SourceMessage, sha256, reason) for a failure


class Importer:
    def __init__(self, db: Database, blobs: BlobStore, space: Space, settings: ImportSettings,
                 progress: Progress | None = None):
        self._db = db
        self._blobs = blobs
        self._space = space
        self._settings = settings
        self._progress = progress or (lambda report: None)
        self._authors = Authors()
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None

    async def run(self, messages: Iterator[SourceMessage], total: int, run_id: int | None = None) -> Report:
        """Batch k+1 is read, parsed and its blobs written while batch k is being stored.

        The blob store's writers' lock is held for the whole run: the garbage collector never
        erases a blob this import has written or found and not yet referenced.
        """
        report = Report(total=total)
        if total >= POOL_FROM and self._settings.workers > 0:
            self._pool = concurrent.futures.ProcessPoolExecutor(
                self._settings.workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=_ignore_interrupts)
        try:
            async with self._blobs.writing():
                following = asyncio.ensure_future(self._prepare(messages, report))
                while (batch := await following) is not None:
                    following = asyncio.ensure_future(self._prepare(messages, report))
                    await self._store(batch, report, run_id)
                    self._progress(report)
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
        return report

    async def _prepare(self, messages, report: Report) -> Prepared | None:
        batch = await asyncio.to_thread(_take, messages, self._settings.batch)
        if not batch:
            return None
        known = await self._known([sha for _, sha in batch])
        fresh = []
        for message, sha in batch:
            if sha in known:
                report.existing += 1
            elif message.error or len(message.raw) > self._settings.max_message_bytes:
                fresh.append((message, sha, message.error or "larger than the message size limit (max_message_mb)"))
            else:
                fresh.append((message, sha, ""))
        raws = [m.raw for m, _, error in fresh if not error]
        understood, _ = await asyncio.gather(self._understand(raws),
                                             asyncio.to_thread(self._blobs.put_batch, raws))
        results = iter(understood)
        items = []
        for message, sha, error in fresh:
            outcome = error or next(results)
            if isinstance(outcome, str):
                items.append((message, sha, outcome))
            else:
                items.append(Understood(message.location, message.kind, sha, len(message.raw), *outcome))
        attachments = [a.data for i in items if isinstance(i, Understood) for a in i.parsed.attachments]
        await asyncio.to_thread(self._blobs.put_batch, attachments)
        return Prepared(items)

    async def _understand(self, raws: list[bytes]) -> list[tuple | str]:
        if not raws:
            return []
        if self._pool is None:
            return await asyncio.to_thread(understand_many, raws)
        loop = asyncio.get_running_loop()
        parts = max(1, self._settings.workers)
        size = -(-len(raws) // parts)
        chunks = [raws[i:i + size] for i in range(0, len(raws), size)]
        done = await asyncio.gather(*(loop.run_in_executor(self._pool, understand_many, c) for c in chunks))
        return [result for chunk in done for result in chunk]

    async def _known(self, shas: list[str]) -> set[str]:
        marks = ",".join("?" * len(shas))
        rows = await self._db.fetchall(
            f"SELECT raw_sha256 FROM posts WHERE space_id = ? AND raw_sha256 IN ({marks})", (self._space.id, *shas))
        return {r[0] for r in rows}

    async def _store(self, batch: Prepared, report: Report, run_id: int | None) -> None:
        """The batch's blobs made durable, then one transaction."""
        await asyncio.to_thread(self._blobs.sync)
        async with self._db.write() as tx:
            now = self._db.clock()
            for item in batch.items:
                if isinstance(item, Understood):
                    await self._store_one(tx, item, now, report)
                else:
                    await self._fail(tx, *item, report)
            if run_id is not None:
                await update_run(tx, run_id, report)

    async def _store_one(self, tx: Tx, item: Understood, now, report: Report) -> None:
        try:
            async with tx.savepoint():
                stored = await store_imported(tx, self._space.id, item, self._authors, now,
                                              self._settings.thread_window)
        except Exception as error:
            report.failures.append((item.location, f"{type(error).__name__}: {error}"))
            return
        if stored:
            report.imported += 1
        else:
            report.existing += 1

    async def _fail(self, tx: Tx, message: SourceMessage, sha: str, reason: str, report: Report) -> None:
        """Listed at the end and kept in the spool as failed (once, however often the import runs)."""
        report.failures.append((message.location, reason))
        peer = import_peer(message.kind, message.location)
        if await tx.fetchval("SELECT 1 FROM spool WHERE raw_sha256 = ? AND peer = ? AND status = 'failed'",
                             (sha, peer)):
            return
        too_big = len(message.raw) > self._settings.max_message_bytes
        await tx.execute(
            """INSERT INTO spool (received_at, mail_from, rcpts, peer, size, raw, raw_sha256, status, error, attempts)
               VALUES (?, '', ?, ?, ?, ?, ?, 'failed', ?, 1)""",
            (to_iso(self._db.clock()), json.dumps([self._space.address(self._settings.domain)]), peer,
             len(message.raw), b"" if too_big else message.raw, sha, f"import: {reason}"[:2000]))


async def start_run(db: Database, space: Space, source: str, started_by: str, total: int) -> int:
    async with db.write() as tx:
        cur = await tx.execute(
            "INSERT INTO import_runs (space_id, source, started_at, started_by, total) VALUES (?,?,?,?,?)",
            (space.id, source[:500], to_iso(db.clock()), started_by, total))
        return cur.lastrowid


async def update_run(tx: Tx, run_id: int, report: Report) -> None:
    await tx.execute("UPDATE import_runs SET imported = ?, existing = ?, failed = ? WHERE id = ?",
                     (report.imported, report.existing, len(report.failures), run_id))


async def finish_run(db: Database, run_id: int, report: Report | None, error: str = "") -> None:
    async with db.write() as tx:
        if report is not None:
            await update_run(tx, run_id, report)
        await tx.execute("UPDATE import_runs SET finished_at = ?, status = ?, error = ? WHERE id = ?",
                         (to_iso(db.clock()), "failed" if error else "done", error[:2000], run_id))
