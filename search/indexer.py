"""The indexer: the one task that writes the index, draining archive's index queue.

A batch of queue items is read, the posts are loaded, and then — in the
indexer's own thread, off the event loop — each post's old document is
deleted, the new one added, and the batch committed; only after the commit
are the queue items removed. A crash before that leaves the items queued, and
doing one twice is harmless (delete, then add), so restarts lose nothing.
All writer calls go through one single-thread executor: Tantivy's writer is
used by one thread at a time, and the index is held by one writer only.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import time
from typing import Callable

import tantivy

from archive import queues
from archive.blobs import BlobStore
from archive.db import Database
from archive.errors import OverBudget
from archive.indexing import IndexRecord, count_posts, index_records, post_ids_after, set_text_notes
from search.documents import AttachmentTexts, build_document
from search.extract import Extracted, Limits, extract_file, kind_of
from search.index import SearchIndex

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


class Indexer:
    """The index's one writer: `drain()` indexes what is queued (`kairan serve` runs it in a WorkerLoop)."""

    def __init__(self, db: Database, index: SearchIndex, blobs: BlobStore, *, batch_size: int = 500,
                 heap_bytes: int = 64_000_000, threads: int = 1,
                 limits: Limits = Limits(), runner=None, budget=None, commit_interval: float = 0.0,
                 on_indexed: Callable[[int], None] = lambda count: None):
        self._db = db
        self._index = index
        self._blobs = blobs
        self._limits = limits
        self._texts = AttachmentTexts(blobs, limits)
        self._runner = runner              # kairan.pool: attachment text read in worker processes
        self._budget = budget
        self._commit_interval = commit_interval
        self._on_indexed = on_indexed        # queue items now searchable (the gateway's back-pressure)
        self._last_commit = 0.0
        self._batch = batch_size
        self._heap = heap_bytes
        self._threads = threads
        self._executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="kairan-index")
        self._writer: tantivy.IndexWriter | None = None

    async def _call(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    async def open(self) -> None:
        """Takes the index writer (IndexBusy if another holds it); `drain` does this itself."""
        if self._writer is None:
            self._writer = await self._call(self._index.writer, self._heap, self._threads)

    async def close(self) -> None:
        """Lets the writer go (and its lock), so another process may write."""
        if self._writer is not None:
            await self._call(self._drop_writer)
        self._executor.shutdown(wait=False)

    def _drop_writer(self) -> None:
        writer, self._writer = self._writer, None
        writer.wait_merging_threads()

    async def drain(self) -> int:
        """Indexes everything queued now; returns how many queue items were handled."""
        await self.open()
        handled = 0
        while items := await queues.peek(self._db, "index_queue", self._batch):
            post_ids = sorted({item.post_id for item in items})
            records = await index_records(self._db, [i.post_id for i in items if i.op == "add"])
            await self._read_attachments(records)
            await self._pace()
            await self._call(self._apply, post_ids, records, True)
            self._last_commit = time.monotonic()
            self._index.reload()
            await queues.done(self._db, "index_queue", [item.id for item in items])
            handled += len(items)
            self._on_indexed(len(items))
        return handled

    async def _pace(self) -> None:
        """Under load, commit at most every `commit_interval` seconds: one commit carries more."""
        wait = self._last_commit + self._commit_interval - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)

    async def _read_attachments(self, records: list[IndexRecord]) -> None:
        """With a pool: each attachment's text read in a worker process under the attachment budget;
        one over it is skipped (that file only) and the reason kept on the attachment."""
        if self._runner is None:
            return                            # read in the indexer's thread by build_document
        wanted = {a.sha256: a for r in records for a in r.post.attachments
                  if not self._texts.known(a.sha256) and kind_of(a.filename, a.content_type)}
        notes = await asyncio.gather(*(self._read_one(a) for a in wanted.values()))
        await set_text_notes(self._db, [(note, sha) for sha, note in notes if note])

    async def _read_one(self, attachment) -> tuple[str, str]:
        try:
            result = await self._runner.run(extract_file, str(self._blobs.path(attachment.sha256)),
                                            attachment.filename, attachment.content_type, self._limits,
                                            budget=self._budget)
        except OverBudget as over:
            result = Extracted("", f"skipped: {over}")
        self._texts.remember(attachment.sha256, result.text)
        return attachment.sha256, result.note

    def _apply(self, delete_ids: list[int], records: list[IndexRecord], commit: bool) -> None:
        """Blocking, in the indexer's thread: replace these posts' documents (and commit)."""
        for post_id in delete_ids:
            self._writer.delete_documents_by_term("post_id", post_id)
        for record in records:
            try:
                document = build_document(record, self._texts)
            except Exception:                 # one bad post must not block the queue behind it
                log.exception("post #%s could not be indexed", record.post.id)
                continue
            self._writer.add_document(document)
        if commit:
            self._writer.commit()

    async def rebuild(self, progress: Progress | None = None) -> int:
        """Indexes every post in the archive afresh into this (empty) index, then drains the queue."""
        await self.open()
        total, done, last_id = await count_posts(self._db), 0, 0
        await self._call(self._writer.delete_all_documents)
        while post_ids := await post_ids_after(self._db, last_id, self._batch):
            records = await index_records(self._db, post_ids)
            await self._call(self._apply, [], records, False)
            done, last_id = done + len(post_ids), post_ids[-1]
            if progress is not None:
                progress(done, total)
        await self._call(self._writer.commit)
        self._index.reload()
        await self.drain()
        return done


def progress_line(stream, started: float | None = None) -> Progress:
    """A progress reporter printing one updating line (`\\r`) to `stream`."""
    started = time.monotonic() if started is None else started

    def report(done: int, total: int) -> None:
        rate = done / max(time.monotonic() - started, 1e-6)
        end = "\n" if done >= total else ""
        stream.write(f"\rreindex: {done}/{total} posts ({rate:,.0f}/s){end}")
        stream.flush()

    return report
