"""Sign-in attempts limited per address and per client, in memory (one process serves the web)."""

from __future__ import annotations

from collections import deque
from typing import Callable

from archive.clock import Clock


class AttemptLimiter:
    """At most `limit` attempts per key within `window_seconds`; older attempts are forgotten."""

    def __init__(self, limit: int, window_seconds: float, clock: Clock, max_keys: int = 100_000):
        self.limit = limit
        self.window = window_seconds
        self.clock: Callable = clock
        self.max_keys = max_keys
        self._attempts: dict[str, deque[float]] = {}

    def _recent(self, key: str) -> deque[float]:
        now = self.clock().timestamp()
        attempts = self._attempts.get(key)
        if attempts is None:
            if len(self._attempts) >= self.max_keys:
                self._attempts.clear()
            attempts = self._attempts[key] = deque()
        while attempts and attempts[0] <= now - self.window:
            attempts.popleft()
        return attempts

    def blocked(self, key: str) -> bool:
        return len(self._recent(key)) >= self.limit

    def record(self, key: str) -> None:
        self._recent(key).append(self.clock().timestamp())

    def reset(self, key: str) -> None:
        self._attempts.pop(key, None)


class SignInLimits:
    """Failed passwords and link requests: 5 per address and 30 per client in 15 minutes."""

    def __init__(self, clock: Clock):
        self.by_address = AttemptLimiter(5, 900, clock)
        self.by_client = AttemptLimiter(30, 900, clock)

    def blocked(self, address: str, client: str) -> bool:
        return self.by_address.blocked(address.lower()) or self.by_client.blocked(client)

    def record(self, address: str, client: str) -> None:
        self.by_address.record(address.lower())
        self.by_client.record(client)

    def succeeded(self, address: str) -> None:
        self.by_address.reset(address.lower())
