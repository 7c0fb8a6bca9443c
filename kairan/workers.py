"""Running the queue workers: woken when there is work, and patient while a burst lasts.

Each pass of a worker (ingest, index, notify) ends in a commit, and a commit is
an fsync; its parsing competes with the SMTP sessions for the one interpreter.
So a woken worker waits a moment: at an ordinary rate it then runs (mail stays
searchable within well under a second), but while wakes keep pouring in — a
burst — it waits on, up to `max_linger`, and one pass then carries the whole
burst. The spool keeps everything durable meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable

log = logging.getLogger(__name__)


class WorkerLoop:
    def __init__(self, name: str, drain: Callable[[], Awaitable[object]], *, linger: float = 0.05,
                 busy_wakes: int = 3, max_linger: float = 1.0, poll: float = 5.0):
        self.name = name
        self._drain = drain
        self._linger = linger
        self._busy_wakes = busy_wakes
        self._max_linger = max_linger
        self._poll = poll
        self._event = asyncio.Event()
        self._wakes = 0

    def wake(self) -> None:
        self._wakes += 1
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
        """Linger once; go on lingering while `busy_wakes` or more wakes arrive per linger."""
        waited = 0.0
        while waited < self._max_linger:
            before = self._wakes
            await asyncio.sleep(self._linger)
            waited += self._linger
            if self._wakes - before < self._busy_wakes:
                return


class TickLoop:
    """Runs `once()` every `tick` seconds (digests, reminders: due by the clock, not by new posts)."""

    def __init__(self, name: str, once: Callable[[], Awaitable[object]], tick: float = 60.0):
        self.name = name
        self._once = once
        self._tick = tick

    async def run(self) -> None:
        while True:
            try:
                await self._once()
            except Exception:                 # the ledger keeps what is due; the next tick tries again
                log.exception("%s failed; trying again at the next tick", self.name)
            await asyncio.sleep(self._tick)
