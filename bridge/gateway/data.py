"""The DATA phase read in chunks, into memory or — past a threshold — into a spool file.

aiosmtpd reads DATA line by line (one `readuntil` and several list operations per line), a
quarter of the interpreter at saturation, and keeps every message whole in memory. Here the
bytes are read in large chunks, the end mark (CRLF . CRLF) is found and dot-stuffing undone
with bytes methods (C speed), and the message goes to a `Sink`: memory while it is small and
the gateway's shared `DataMemory` allows, else a file under the blob store, hashed on the way,
which the spooler then renames into the blob store (the raw message made durable once).
The command dialogue stays aiosmtpd's; only the DATA body is read here.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bridge.gateway.limits import DataMemory

CHUNK = 256 * 1024
HEAD_BYTES = 256 * 1024            # the header section the policy reads, kept in memory
_END = b"\r\n.\r\n"


class SlowClient(Exception):
    """The client sent DATA slower than the minimum rate, or the session ran out of time."""


@dataclass
class Received:
    """One message's bytes: in memory (`raw`), or in a file not yet durable (`path`, `sha256`)."""
    size: int
    head: bytes
    raw: bytes | None = None
    path: Path | None = None
    sha256: str = ""
    too_big: bool = False

    def discard(self) -> None:
        if self.path is not None:
            self.path.unlink(missing_ok=True)
            self.path = None


class Sink:
    """Where a message's bytes go while they arrive."""

    def __init__(self, memory: DataMemory, spill_bytes: int, spill_dir: Path, max_bytes: int):
        self._memory = memory
        self._spill_bytes = spill_bytes
        self._spill_dir = spill_dir
        self._max = max_bytes
        self._held = 0                              # bytes taken from `memory`
        self._buffer = bytearray()
        self._file = None
        self._path: Path | None = None
        self._hash = None
        self.size = 0
        self.too_big = False

    def write(self, data: bytes) -> None:
        if self.too_big or not data:
            return
        self.size += len(data)
        if self.size > self._max:
            self.too_big = True
            self._drop()
            return
        if self._file is None and (self.size > self._spill_bytes or not self._memory.take(len(data))):
            self._spill()
        if self._file is not None:
            self._file.write(data)
            self._hash.update(data)
            if len(self._buffer) < HEAD_BYTES:
                self._buffer += data[:HEAD_BYTES - len(self._buffer)]
            return
        self._held += len(data)
        self._buffer += data

    def _spill(self) -> None:
        """Move what is in memory to a file; from now on bytes go there."""
        self._spill_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=self._spill_dir, prefix="smtp-")
        self._file, self._path = os.fdopen(fd, "wb", buffering=CHUNK), Path(name)
        self._hash = hashlib.sha256(self._buffer)
        self._file.write(self._buffer)
        del self._buffer[HEAD_BYTES:]
        self._memory.give(self._held)
        self._held = 0

    def _drop(self) -> None:
        if self._file is not None:
            self._file.close()
            self._path.unlink(missing_ok=True)
            self._file = self._path = None
        self._buffer = bytearray()
        self._memory.give(self._held)
        self._held = 0

    def finish(self) -> Received:
        """The message as received (the memory it holds is given back by `release`)."""
        if self.too_big:
            return Received(self.size, b"", too_big=True)
        if self._file is not None:
            self._file.close()
            return Received(self.size, bytes(self._buffer), path=self._path, sha256=self._hash.hexdigest())
        raw = bytes(self._buffer)
        self._buffer = bytearray()
        return Received(self.size, raw[:HEAD_BYTES], raw=raw)

    def release(self) -> None:
        """After the reply: the in-memory bytes no longer count; an unspooled file is removed."""
        self._memory.give(self._held)
        self._held = 0
        if self._file is not None and not self._file.closed:
            self._file.close()


def _emit(sink: Sink, block: bytes | bytearray, first: bool) -> None:
    """Undo dot-stuffing (a line's leading '.' was doubled) and write; `block` starts at a CRLF."""
    data = bytes(block).replace(b"\r\n.", b"\r\n")
    sink.write(data[2:] if first else data)


async def read_data(reader: asyncio.StreamReader, sink: Sink, *, min_rate: float, grace: float,
                    deadline: float, clock=time.monotonic) -> None:
    """Read DATA up to the end mark into `sink`; whatever follows it stays in `reader`.

    Raises SlowClient when the average rate since the start falls below `min_rate` bytes/s
    after `grace` seconds, or when the clock passes `deadline` (monotonic).
    """
    started, received = clock(), 0
    pending = bytearray(b"\r\n")                  # a virtual line end before the first line
    first = True
    while True:
        now = clock()
        if now >= deadline:
            raise SlowClient("session deadline")
        wait = deadline - now
        if now - started >= grace:
            if received < min_rate * (now - started):
                raise SlowClient("DATA below the minimum rate")
            wait = min(wait, 1.0)
        else:
            wait = min(wait, started + grace - now + 0.01)
        try:
            chunk = await asyncio.wait_for(reader.read(CHUNK), wait)
        except asyncio.TimeoutError:
            continue
        if not chunk:
            raise ConnectionResetError("connection closed during DATA")
        received += len(chunk)
        search_from = max(0, len(pending) - 4)
        pending += chunk
        end = pending.find(_END, search_from)
        if end >= 0:
            _unread(reader, pending[end + 5:])
            _emit(sink, pending[:end + 2], first)
            return
        cut = pending.rfind(b"\r\n")
        if cut <= 0:
            cut = len(pending) - 4
        if cut > (0 if not first else 2):
            _emit(sink, pending[:cut], first)
            first = False
            del pending[:cut]


def _unread(reader: asyncio.StreamReader, data: bytes | bytearray) -> None:
    """Give back what a pipelining client sent after the end mark (QUIT, the next MAIL)."""
    if data:
        reader._buffer[0:0] = data               # noqa: SLF001 (aiosmtpd reaches in here too)
