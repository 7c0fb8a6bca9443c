"""Spool to posts, pipelined: messages are understood in worker processes while stored ones commit.

Each spooled message is understood (parsed, reply extracted) by `understand_source` — in a
worker process of `kairan serve`'s pool, under a wall-time and memory budget, or in a thread
when no pool is given (commands, tests: the same function, so the same result). Up to
`window` messages are in flight; whichever are done are made durable and stored together while
the rest go on, so a slow message never holds back the others (no head-of-line blocking) and
the next messages are parsed while the previous ones commit.

Over budget, what is certain is stored: the parse without reply extraction, or else the
headers alone, with the defect 「本文の解析が制限時間を超えました」 (or the memory/crash
variant); the raw message is stored either way. Only if even that fails is the message kept
`failed` with the reason (visible on /admin/spool) — never dropped, never retried forever.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from dataclasses import dataclass
from typing import Any, Callable

from archive.blobs import BlobStore
from archive.errors import OverBudget
from archive.models import SpoolEntry
from bridge.ingest.understand import parse_headers, parse_stored, understand_stored
from bridge.parsing.mime import ParsedMail
from bridge.replies.extract import Reply

log = logging.getLogger(__name__)

DEFECTS = {"time": "本文の解析が制限時間を超えました", "memory": "本文の解析がメモリの上限を超えました",
           "died": "本文の解析中に処理が異常終了しました", "error": "本文の解析に失敗しました"}
HEAD_BYTES = 256 * 1024


class InThread:
    """The runner without processes or budgets: the task in a thread (commands, tests)."""

    size = 1

    async def run(self, fn: Callable, *args, budget: Any = None) -> Any:
        try:
            return await asyncio.to_thread(fn, *args)
        except Exception as error:
            raise OverBudget("error", f"{type(error).__name__}: {error}"[:2000]) from None


@dataclass(frozen=True)
class Source:
    """A spooled message as the worker hands it on: its bytes (small ones) or its blob's path."""
    entry: SpoolEntry
    raw: bytes | None
    path: str | None

    def head(self) -> bytes:
        if self.raw is not None:
            return self.raw[:HEAD_BYTES]
        with open(self.path, "rb") as file:
            return file.read(HEAD_BYTES)


async def understand(runner, budget, source: Source, blob_root: str) -> tuple[ParsedMail, Reply]:
    """The message understood whole, or what is certain of it with the defect that says why.
    Attachments come back already durable in the blob store at `blob_root`."""
    argument = source.path if source.raw is None else source.raw
    try:
        return await runner.run(understand_stored, argument, blob_root, budget=budget)
    except OverBudget as over:
        first = over
    log.warning("spooled message #%s: %s", source.entry.id, first)
    defect = f"{DEFECTS.get(first.reason, DEFECTS['error'])} ({first})"
    try:
        parsed = await runner.run(parse_stored, argument, blob_root, budget=budget)
        return _with_defect(parsed, defect), Reply(parsed.body_text, "", "")
    except OverBudget:
        pass
    parsed = await asyncio.to_thread(parse_headers, await asyncio.to_thread(source.head))
    return _with_defect(parsed, defect + "; 見出しのみ保存"), Reply("", "", "")


def _with_defect(parsed: ParsedMail, defect: str) -> ParsedMail:
    return dataclasses.replace(parsed, defects=(*parsed.defects, defect))


class Pipeline:
    """Keeps up to `window` messages in flight; hands each group that is done to `store`."""

    def __init__(self, runner, budget, window: int, load, store, blob_root: str):
        self._runner = runner
        self._blob_root = blob_root
        self._budget = budget
        self._window = max(1, window)
        self._load = load              # async (entries) -> list[Source]
        self._store = store            # async (list[(Source, result | Exception)]) -> None

    async def drain(self, pending) -> int:
        """`pending(limit)` gives the oldest unprocessed entries; returns how many were handled."""
        inflight: dict[asyncio.Task, Source] = {}
        seen: set[int] = set()
        handled = 0
        try:
            while True:
                if len(inflight) < self._window:
                    fresh = [e for e in await pending(self._window * 2) if e.id not in seen]
                    fresh = fresh[:self._window - len(inflight)]
                    seen.update(e.id for e in fresh)
                    for source in await self._load(fresh):
                        inflight[asyncio.create_task(understand(self._runner, self._budget, source, self._blob_root))] = source
                if not inflight:
                    return handled
                done, _ = await asyncio.wait(inflight, return_when=asyncio.FIRST_COMPLETED)
                ready = sorted(((inflight.pop(task), _outcome(task)) for task in done), key=lambda p: p[0].entry.id)
                await self._store(ready)
                handled += len(ready)
        finally:
            for task in inflight:
                task.cancel()


def _outcome(task: asyncio.Task):
    error = task.exception()
    return task.result() if error is None else error
