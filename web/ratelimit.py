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
    """Failed passwords: 5 per address and 30 per client in 15 minutes. Link requests are counted
    apart (`SignInLimits.for_links`), so asking for links can't lock a member out of their password."""

    def __init__(self, clock: Clock, per_address: int = 5, per_client: int = 30):
        self.by_address = AttemptLimiter(per_address, 900, clock)
        self.by_client = AttemptLimiter(per_client, 900, clock)

    def blocked(self, address: str, client: str) -> bool:
        return self.by_address.blocked(address.lower()) or self.by_client.blocked(client)

    def record(self, address: str, client: str) -> None:
        self.by_address.record(address.lower())
        self.by_client.record(client)

    def succeeded(self, address: str) -> None:
        self.by_address.reset(address.lower())


class Limits:
    """The app's limiters: failed sign-ins, and sign-in links asked for (3 per address, 20 per client)."""

    def __init__(self, clock: Clock):
        self.signin = SignInLimits(clock)
        self.links = SignInLimits(clock, per_address=3, per_client=20)
