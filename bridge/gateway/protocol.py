"""aiosmtpd's SMTP and LMTP with the gateway's bounds: sessions counted, a deadline, DATA in chunks.

The command dialogue is aiosmtpd's unchanged. Added around it: a session over the total or
per-client limit is answered `421 4.7.0` and closed before the greeting; every session ends
with `421 4.4.2` at its deadline, however busy; DATA is read by `bridge.gateway.data` (chunks,
spill to disk, minimum rate) and handed to the handler as `envelope.received`.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from pathlib import Path

from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import MISSING, SMTP

from bridge.gateway.data import Sink, SlowClient, read_data
from bridge.gateway.forwarding import ForwardingCommands
from bridge.gateway.limits import Backlog, DataMemory, SessionGate, SessionLimits

log = logging.getLogger(__name__)

REPLY_BUSY = "421 4.7.0 Too many connections: try again later"
REPLY_DEADLINE = "421 4.4.2 Session time is over: closing, try again later"
REPLY_SLOW = "421 4.4.2 Data arrives too slowly: closing, try again later"
REPLY_TOO_BIG = "552 5.3.4 Message too big for this system"


@dataclass
class Bounds:
    """What every session of one gateway shares."""
    limits: SessionLimits
    spill_dir: Path
    max_message_bytes: int
    gate: SessionGate = None
    memory: DataMemory = None
    backlog: Backlog = field(default=None)

    def __post_init__(self):
        self.gate = self.gate or SessionGate(self.limits)
        self.memory = self.memory or DataMemory(self.limits.memory_mb * 1024 * 1024)
        self.backlog = self.backlog or Backlog(self.limits)


class _Bounded:
    """Mixed into aiosmtpd's SMTP/LMTP (before them in the MRO)."""

    def __init__(self, *args, bounds: Bounds, **kwargs):
        super().__init__(*args, **kwargs)
        self._bounds = bounds
        self._client: str | None = None
        self._admitted = False
        self._deadline_at = 0.0
        self._deadline_handle: asyncio.TimerHandle | None = None

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        if self._client is not None:
            return                                   # STARTTLS calls this again: same session
        peer = transport.get_extra_info("peername")
        self._client = str(peer[0]) if isinstance(peer, tuple) else str(peer)
        self._admitted = self._bounds.gate.enter(self._client)
        seconds = self._bounds.limits.session_seconds
        self._deadline_at = self.loop.time() + seconds
        self._deadline_handle = self.loop.call_later(seconds, self._out_of_time)

    def connection_lost(self, error) -> None:
        if self._admitted:
            self._bounds.gate.leave(self._client)
            self._admitted = False
        if self._deadline_handle is not None:
            self._deadline_handle.cancel()
        super().connection_lost(error)

    def _out_of_time(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            log.info("%r session deadline", self._client)
            self.transport.write(REPLY_DEADLINE.encode() + b"\r\n")
            self.transport.close()

    async def _handle_client(self) -> None:
        if not self._admitted:
            await self.push(REPLY_BUSY)
            self.transport.close()
            return
        await super()._handle_client()

    async def smtp_DATA(self, arg: str) -> None:
        if await self.check_helo_needed() or await self.check_auth_needed("DATA"):
            return
        if not self.envelope.rcpt_tos:
            await self.push("503 Error: need RCPT command")
            return
        if arg:
            await self.push("501 Syntax: DATA")
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        bounds = self._bounds
        sink = Sink(bounds.memory, bounds.limits.spill_kb * 1024, bounds.spill_dir, bounds.max_message_bytes)
        try:
            await read_data(self._reader, sink, min_rate=bounds.limits.min_rate_bytes,
                            grace=bounds.limits.rate_grace_seconds, deadline=self._deadline_at,
                            clock=self.loop.time)
        except SlowClient as slow:
            sink.finish().discard()
            sink.release()
            await self.push(REPLY_DEADLINE if "deadline" in str(slow) else REPLY_SLOW)
            self.transport.close()
            return
        except BaseException:
            sink.finish().discard()
            sink.release()
            raise
        await self._deliver(sink)

    async def _deliver(self, sink: Sink) -> None:
        received = sink.finish()
        if received.too_big:
            sink.release()
            self._set_post_data_state()
            await self.push(REPLY_TOO_BIG)
            return
        self.envelope.original_content = self.envelope.content = received.raw
        self.envelope.received = received
        try:
            status = await self._call_handler_hook("DATA")
        finally:
            received.discard()                       # the spooler took the file, or nobody will
            sink.release()
        self._set_post_data_state()
        await self.push("250 OK" if status is MISSING else status)


class KairanSMTP(_Bounded, ForwardingCommands, SMTP):
    line_length_limit = 1024 * 1024          # liberal: real mail breaks the 998-byte rule


class KairanLMTP(_Bounded, ForwardingCommands, LMTP):
    line_length_limit = 1024 * 1024
