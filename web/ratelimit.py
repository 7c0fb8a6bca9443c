"""Sign-in attempts limited per address and client, in memory (one process serves the web).

A hard limit per address alone lets anyone lock a member out from everywhere by failing five
times. So failed passwords block only the pair (this address from this client) and a client
that tries many addresses; an address failing from many clients only makes each further
attempt wait longer (1 s, 2 s, 4 s … at most 30 s): the right password from a new client still
signs in.
"""

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

    def count(self, key: str) -> int:
        return len(self._recent(key))

    def record(self, key: str) -> None:
        self._recent(key).append(self.clock().timestamp())

    def reset(self, key: str) -> None:
        self._attempts.pop(key, None)


class PasswordLimits:
    """Failed passwords in 15 minutes: 5 per address from one client and 30 per client block;
    past 5 per address (from anywhere) each attempt for it waits `delay()` seconds first."""

    def __init__(self, clock: Clock, per_pair: int = 5, per_client: int = 30, free_per_address: int = 5,
                 delay_base: float = 1.0, delay_max: float = 30.0):
        self.by_pair = AttemptLimiter(per_pair, 900, clock)
        self.by_client = AttemptLimiter(per_client, 900, clock)
        self.by_address = AttemptLimiter(10**9, 900, clock)
        self.free = free_per_address
        self.delay_base = delay_base
        self.delay_max = delay_max

    def blocked(self, address: str, client: str) -> bool:
        return self.by_pair.blocked(_pair(address, client)) or self.by_client.blocked(client)

    def delay(self, address: str) -> float:
        """Seconds to wait before checking a password for `address`: grows with its recent failures."""
        over = self.by_address.count(address.lower()) - self.free
        return 0.0 if over < 0 else min(self.delay_max, self.delay_base * 2 ** over)

    def record(self, address: str, client: str) -> None:
        self.by_pair.record(_pair(address, client))
        self.by_client.record(client)
        self.by_address.record(address.lower())

    def succeeded(self, address: str, client: str = "") -> None:
        self.by_pair.reset(_pair(address, client))
        self.by_address.reset(address.lower())


def _pair(address: str, client: str) -> str:
    return f"{address.lower()}\n{client}"


class SignInLimits:
    """Per address and per client, both blocking: for sign-in links asked (a mailbox flooded with
    links is the harm), counted apart from passwords, so asking for links can't lock a member out."""

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
        self.signin = PasswordLimits(clock)
        self.links = SignInLimits(clock, per_address=3, per_client=20)
