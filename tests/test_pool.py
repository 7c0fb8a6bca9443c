"""The worker pool: tasks under a wall-time and a memory budget; a child that dies is replaced."""

from __future__ import annotations

import asyncio
import ctypes
import os
import time

import pytest

from archive.errors import OverBudget
from kairan.pool import Budget, ProcessPool

def _pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


SHORT = Budget(seconds=1.5, memory_bytes=64 * 2**20)


@pytest.fixture
async def pool():
    workers = ProcessPool(2, max_memory=128 * 2**20)
    await workers.start()
    yield workers
    await workers.close()


async def test_a_task_runs_in_a_child_process(pool):
    assert await pool.run(os.getpid, budget=SHORT) != os.getpid()


async def test_a_task_over_its_time_is_killed_and_the_next_one_runs(pool):
    with pytest.raises(OverBudget) as over:
        await pool.run(time.sleep, 30, budget=SHORT)
    assert over.value.reason == "time"
    assert await pool.run(sum, [1, 2, 3], budget=SHORT) == 6


async def test_a_task_over_its_memory_fails_alone(pool):
    with pytest.raises(OverBudget) as over:
        await pool.run(bytearray, 512 * 2**20, budget=SHORT)
    assert over.value.reason == "memory"
    assert await pool.run(len, b"abc", budget=SHORT) == 3


async def test_a_child_that_crashes_is_replaced(pool):
    before = set(pool.pids)
    with pytest.raises(OverBudget) as over:
        await pool.run(ctypes.string_at, 0, budget=SHORT)        # a segmentation fault
    assert over.value.reason == "died" and "SIGSEGV" in str(over.value)
    pids = await asyncio.gather(*(pool.run(_pid_after, 0.3, budget=SHORT) for _ in range(2)))
    assert len(set(pids)) == 2 and set(pids) != before


async def test_a_slow_task_does_not_hold_back_the_others(pool):
    slow = asyncio.create_task(pool.run(time.sleep, 30, budget=Budget(20, 64 * 2**20)))
    answers = [await pool.run(pow, 2, n, budget=SHORT) for n in range(5)]
    assert answers == [1, 2, 4, 8, 16] and not slow.done()
    slow.cancel()


async def test_an_error_in_the_task_is_reported_with_its_reason(pool):
    with pytest.raises(OverBudget) as over:
        await pool.run(int, "not a number", budget=SHORT)
    assert over.value.reason == "error" and "ValueError" in str(over.value)
