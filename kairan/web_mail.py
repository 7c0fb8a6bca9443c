"""Messages written in the browser, taken in the way mail is: the spool, then the ingest worker.

`kairan serve` gives the web app `submitter(...)` as `WebServices.submit_mail`: the message is
made durable in the spool (as an SMTP session would), the ingest worker is woken, and the
page waits a little for the post so it can show its thread. If the worker is slow, the
message is still safe in the spool and appears when it is stored.
"""

from __future__ import annotations

import asyncio
import time
from typing import Awaitable, Callable

from archive.clock import to_iso
from archive.spool import outcome
from bridge.gateway.spooler import Spooler
from kairan.context import Context

WAIT_SECONDS = 10.0
POLL_SECONDS = 0.05


def submitter(ctx: Context, wake: Callable[[], None],
              wait_seconds: float = WAIT_SECONDS) -> Callable[[bytes, str, str], Awaitable[int | None]]:
    spooler = Spooler(ctx.db, ctx.blobs, on_spooled=wake)

    async def submit(raw: bytes, sender: str, rcpt: str) -> int | None:
        spool_id = await spooler.accept(raw, received_at=to_iso(ctx.clock()), mail_from=sender, rcpts=(rcpt,),
                                        peer="web")
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            status, post_id = await outcome(ctx.db, spool_id)
            if status != "received":
                return post_id
            await asyncio.sleep(POLL_SECONDS)
        return None
    return submit
