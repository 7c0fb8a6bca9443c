"""Worker processes for the heavy, hostile work: each task under a wall-time and a memory budget.

Parsing a message and reading an attachment's text run arbitrary-input code whose cost a
sender chooses. Here each task runs in a child process (started by a fork server, so it is
small); the child sets RLIMIT_AS to what it needed at start plus the task's memory budget,
and the parent kills it when the wall-time budget runs out. A child that dies, overruns or
runs out of memory is replaced by a fresh one; the task's caller gets `OverBudget` with the
reason and decides what is certain without it. Tasks are independent: a slow one occupies one
child while the others go on (no head-of-line blocking). The pool only runs functions that
also run in-process (`bridge.ingest.pipeline.InThread`), so both paths give the same result.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import resource
import signal
import traceback
from dataclasses import dataclass
from typing import Any, Callable

from archive.errors import OverBudget

log = logging.getLogger(__name__)

PRELOAD = ["bridge.ingest.understand", "search.extract"]


@dataclass(frozen=True)
class Budget:
    seconds: float
    memory_bytes: int


def _vm_size() -> int:
    """This process's virtual size now (bytes): the base the memory budget is added to."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(conn, max_memory: int) -> None:
    """The child's loop: (fn, args, memory) in, ("ok", value) or ("error"|"memory", text) out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # the parent stops us; Ctrl-C goes to it
    base = _vm_size()
    hard = base + max_memory
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    while True:
        try:
            fn, args, memory = conn.recv()
        except EOFError:
            return
        resource.setrlimit(resource.RLIMIT_AS, (min(hard, base + memory), hard))
        try:
            reply = ("ok", fn(*args))
        except MemoryError:
            reply = ("memory", "MemoryError")
        except Exception as error:                    # the caller decides; the child lives on
            reply = ("error", f"{type(error).__name__}: {error}"[:2000])
            log.debug("task failed in child: %s", traceback.format_exc())
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("memory", "MemoryError while returning the result"))
        if reply[0] == "memory":
            return                                    # a child that ran out is not trusted again


class _Child:
    def __init__(self, context, max_memory: int):
        self.conn, child_end = context.Pipe()
        self.process = context.Process(target=_child, args=(child_end, max_memory), daemon=True,
                                       name="kairan-pool")
        self.process.start()
        child_end.close()
        self.tasks = 0

    def call(self, fn: Callable, args: tuple, budget: Budget) -> Any:
        """Blocking (in a thread): send the task, wait at most its seconds, kill on expiry."""
        self.tasks += 1
        self.conn.send((fn, args, budget.memory_bytes))
        if not self.conn.poll(budget.seconds):
            self.kill()
            raise OverBudget("time", f"over the time budget of {budget.seconds:g} s")
        try:
            kind, value = self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            raise OverBudget("died", f"worker process died ({_exit_reason(self.process)})") from None
        if kind == "ok":
            return value
        if kind == "memory":
            self.kill()
            raise OverBudget("memory", f"over the memory budget of {budget.memory_bytes // 2**20} MiB")
        raise OverBudget("error", value)

    @property
    def alive(self) -> bool:
        return self.process.is_alive()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


def _exit_reason(process) -> str:
    process.join(1)
    code = process.exitcode
    if code is not None and code < 0:
        return f"signal {signal.Signals(-code).name}"
    return f"exit code {code}"


class ProcessPool:
    """`await pool.run(fn, *args, budget=…)`: fn runs in one of `size` children, or OverBudget."""

    def __init__(self, size: int, max_memory: int, max_tasks_per_child: int = 500):
        self.size = max(1, size)
        self._max_memory = max_memory
        self._max_tasks = max_tasks_per_child
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(PRELOAD)
        self._idle: asyncio.Queue[_Child] | None = None
        self._children: list[_Child] = []

    async def start(self) -> None:
        """Start the children now (else the first tasks do)."""
        if self._idle is None:
            self._idle = asyncio.Queue()
            for _ in range(self.size):
                self._idle.put_nowait(await asyncio.to_thread(self._spawn))

    def _spawn(self) -> _Child:
        child = _Child(self._context, self._max_memory)
        self._children.append(child)
        return child

    async def run(self, fn: Callable, *args, budget: Budget) -> Any:
        await self.start()
        child = await self._idle.get()
        if child is None:                             # a place left by a child that died
            child = await asyncio.to_thread(self._spawn)
        try:
            return await asyncio.to_thread(child.call, fn, args, budget)
        except asyncio.CancelledError:
            child.kill()                              # nobody waits for that task any more
            raise
        finally:
            self._give_back(child)

    def _give_back(self, child: _Child) -> None:
        if child.alive and child.tasks < self._max_tasks:
            self._idle.put_nowait(child)
            return
        child.kill()
        self._children.remove(child)
        self._idle.put_nowait(None)                   # the next task starts a fresh child

    async def close(self) -> None:
        for child in list(self._children):
            child.kill()
        self._children.clear()

    @property
    def pids(self) -> list[int]:
        return [c.process.pid for c in self._children if c.process.pid]


def default_size() -> int:
    return max(1, len(os.sched_getaffinity(0)))
