"""The gateway reuses membership answers for a second, and no longer."""

from __future__ import annotations

from bridge.gateway.recipients import RecentAnswers


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_an_answer_is_reused_within_the_ttl_and_asked_again_after_it():
    clock, asked = Clock(), []

    async def query(value):
        asked.append(value)
        return value * 2
    recent = RecentAnswers(1.0, clock=clock)
    assert await recent.get(("k",), query, 21) == 42
    clock.now += 0.5
    assert await recent.get(("k",), query, 99) == 42          # reused: the query is not asked
    clock.now += 0.6
    assert await recent.get(("k",), query, 5) == 10           # expired: asked again
    assert asked == [21, 5]


async def test_a_zero_ttl_asks_every_time():
    asked = []

    async def query():
        asked.append(1)
        return True
    recent = RecentAnswers(0)
    for _ in range(3):
        assert await recent.get(("k",), query) is True
    assert len(asked) == 3


async def test_the_cache_forgets_expired_answers_when_full():
    clock = Clock()

    async def query(value):
        return value
    recent = RecentAnswers(1.0, clock=clock, limit=2)
    await recent.get(("a",), query, 1)
    await recent.get(("b",), query, 2)
    clock.now += 2
    assert len(recent) == 2
    await recent.get(("c",), query, 3)
    assert len(recent) == 1
