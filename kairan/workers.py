"""Running the queue workers: woken when there is work, lingering briefly so one pass carries a burst.

Each pass of a worker (ingest, index, notify) ends in a commit, and a commit is
an fsync. Waking on every message would spend the disk on fsyncs under load;
lingering a moment lets one pass carry everything that arrived meanwhile, while
a lone message still goes through within the linger (well inside the 2 s in
which mail must become searchable).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable

log = logging.getLogger(__name__)


class WorkerLoop:
    def __init__(self, name: str, drain: Callable[[], Awaitable[object]], *, linger: float = 0.1,
                 max_linger: float = 1.0, poll: float = 5.0):
        self.name = name
        self._drain = drain
        self._linger = linger
        self._max_linger = max_linger
        self._poll = poll
        self._event = asyncio.Event()

    def wake(self) -> None:
        self._event.set()

    async def run(self) -> None:
        """Drain at once (work left from before a restart), then whenever woken or every `poll` seconds."""
        while True:
            self._event.clear()
            try:
                await self._drain()
            except Exception:                 # keep the worker alive; its queue keeps the work
                log.exception("%s pass failed; trying again", self.name)
            try:
                await asyncio.wait_for(self._event.wait(), self._poll)
            except asyncio.TimeoutError:
                continue
            await self._settle()

    async def _settle(self) -> None:
        """Wait until wakes stop for `linger` seconds (a burst is over), but at most `max_linger`."""
        waited = 0.0
        while waited < self._max_linger:
            self._event.clear()
            await asyncio.sleep(self._linger)
            waited += self._linger
            if not self._event.is_set():
                return
