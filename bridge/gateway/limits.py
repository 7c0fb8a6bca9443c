"""What the gateway lets in at once: sessions, DATA bytes in memory, and unprocessed work.

Acceptance must never starve storage, and no client should be able to take the memory or the
sessions away from the others. Three small counters, shared by every session of one gateway:

- `SessionGate`: sessions in total and per client address (past either: `421 4.7.0`);
- `DataMemory`: DATA bytes held in memory across sessions (past it a message streams to a
  spool file on disk instead, see `bridge.gateway.data`);
- `Backlog`: spooled messages not yet stored, against the rate the ingest worker stores them;
  past `backlog_seconds` of work new mail is deferred with `451 4.3.2` until it drains. The 451
  comes after `backlog_delay_seconds`: a sender's many connections can't turn deferrals into
  load that takes the CPU from storing (each waits, as a slow server makes any MTA send less).
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class SessionLimits:
    """`[smtp]` in kairan.toml; the defaults hold on a 2-core, 24 GB machine."""
    max_sessions: int = 200
    max_sessions_per_client: int = 20
    memory_mb: int = 256                     # DATA held in memory across all sessions
    spill_kb: int = 1024                     # a message larger than this streams to disk
    min_rate_bytes: int = 10_000             # DATA slower than this (after the grace) gets 421
    rate_grace_seconds: float = 30.0
    session_seconds: float = 900.0           # a whole session, however busy, ends with 421
    backlog_seconds: float = 10.0            # unprocessed work past this many seconds: 451 4.3.2
    backlog_min_messages: int = 500          # … but never below this many messages
    backlog_delay_seconds: float = 1.0       # a deferred sender waits this long for its 451


class SessionGate:
    def __init__(self, limits: SessionLimits):
        self._limits = limits
        self._total = 0
        self._by_client: dict[str, int] = {}

    def enter(self, client: str) -> bool:
        """Count a new session in; False (and nothing counted) when a limit is reached."""
        if self._total >= self._limits.max_sessions:
            return False
        if self._by_client.get(client, 0) >= self._limits.max_sessions_per_client:
            return False
        self._total += 1
        self._by_client[client] = self._by_client.get(client, 0) + 1
        return True

    def leave(self, client: str) -> None:
        self._total -= 1
        left = self._by_client.get(client, 1) - 1
        if left > 0:
            self._by_client[client] = left
        else:
            self._by_client.pop(client, None)

    @property
    def sessions(self) -> int:
        return self._total


class DataMemory:
    """Bytes of DATA in memory across sessions; a session that can't take more spills to disk."""

    def __init__(self, limit_bytes: int):
        self.limit = limit_bytes
        self.used = 0
        self.peak = 0

    def take(self, size: int) -> bool:
        if self.used + size > self.limit:
            return False
        self.used += size
        self.peak = max(self.peak, self.used)
        return True

    def give(self, size: int) -> None:
        self.used = max(0, self.used - size)


class Backlog:
    """Work accepted and not done yet at one stage, and the rate that stage does it (last `window` s).

    The gateway's backlog is the spool (messages accepted, not stored yet); its `then` stage the
    index queue (posts stored, not searchable yet): mail counts as handled when it can be found,
    so a slow indexer defers new mail as surely as a slow ingest does.
    """

    def __init__(self, limits: SessionLimits, waiting: int = 0, clock: Callable[[], float] = time.monotonic,
                 window: float = 30.0, then: "Backlog | None" = None):
        self._limits = limits
        self._clock = clock
        self._window = window
        self.waiting = waiting
        self.then = then
        self._stored: deque[tuple[float, int]] = deque()

    def added(self, count: int = 1) -> None:
        self.waiting += count

    def handled(self, count: int) -> None:
        self.waiting = max(0, self.waiting - count)
        self._stored.append((self._clock(), count))

    def rate(self) -> float:
        """Items handled per second over the window (0 before any were)."""
        now = self._clock()
        while self._stored and self._stored[0][0] < now - self._window:
            self._stored.popleft()
        if not self._stored:
            return 0.0
        span = max(now - self._stored[0][0], 1.0)
        return sum(count for _, count in self._stored) / span

    @property
    def delay(self) -> float:
        return self._limits.backlog_delay_seconds

    def full(self) -> bool:
        """More waiting, at this stage or a later one, than `backlog_seconds` of its work."""
        allowed = max(self._limits.backlog_min_messages, self.rate() * self._limits.backlog_seconds)
        return self.waiting > allowed or (self.then is not None and self.then.full())
