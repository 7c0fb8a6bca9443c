"""`kairan serve`: the SMTP gateway, the web app and the workers on one event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Callable

import uvicorn

from bridge.ingest import IngestWorker
from bridge.digest_run import DigestWorker
from bridge.notify import NotifyWorker
from bridge.smtp_handler import SpaceMailHandler, smtp_factory
from bridge.spooler import Spooler
from kairan.config import HostPort
from kairan.context import Context
from kairan.indexing import open_search
from kairan.workers import TickLoop, WorkerLoop
from kairan.mail import mail_settings, make_dispatcher, make_reminder_worker, make_sender
from search.indexer import Indexer
from web.app import create_app
from web.services import WebServices

log = logging.getLogger(__name__)


@dataclass
class Listeners:
    smtp: HostPort
    http: HostPort
    lmtp: HostPort | None = None


def web_services(ctx: Context) -> WebServices:
    s = ctx.settings
    return WebServices(db=ctx.db, blobs=ctx.blobs, domain=s.domain, base_url=s.base_url, secret_key=s.secret_key,
                       timezone=s.timezone, language=s.language, clock=ctx.clock, digest_hour=s.digest_hour,
                       send_mail=make_sender(s).send, search=open_search(ctx))


async def start_gateway(ctx: Context, listeners: Listeners,
                        on_spooled: Callable[[], None]) -> list[asyncio.AbstractServer]:
    """The SMTP (and LMTP) listeners; `on_spooled()` is called when messages are durable."""
    settings = ctx.gateway_settings()
    handler = SpaceMailHandler(ctx.db, Spooler(ctx.db, ctx.blobs, on_spooled=on_spooled), settings)
    loop = asyncio.get_running_loop()
    servers = [await loop.create_server(smtp_factory(handler, settings), listeners.smtp.host, listeners.smtp.port)]
    if listeners.lmtp is not None:
        servers.append(await loop.create_server(smtp_factory(handler, settings, lmtp=True),
                                                listeners.lmtp.host, listeners.lmtp.port))
    return servers


def bound(server: asyncio.AbstractServer) -> str:
    host, port = server.sockets[0].getsockname()[:2]
    return f"{host}:{port}"


@dataclass
class Workers:
    """The background work of `kairan serve`: queue workers woken when posts are stored, and
    scheduled ones (digests, reminders) with their own `run()`."""
    indexer: Indexer
    woken: list[WorkerLoop]
    scheduled: list[TickLoop]

    def wake(self, post_ids: list[int] = ()) -> None:
        for worker in self.woken:
            worker.wake()

    async def close(self) -> None:
        await self.indexer.close()


def build_workers(ctx: Context, services: WebServices) -> Workers:
    """The indexer is the index's one writer; the search service reads the same index object."""
    dispatcher = make_dispatcher(ctx)
    mail = mail_settings(ctx.settings)
    notify = NotifyWorker(ctx.db, mail, dispatcher, ctx.clock)
    indexer = Indexer(ctx.db, services.search.index, ctx.blobs)
    return Workers(indexer, [WorkerLoop("index", indexer.drain), WorkerLoop("notify", notify.drain)],
                   [TickLoop("digests", DigestWorker(ctx.db, mail, ctx.settings.digest_hour, dispatcher,
                                                     ctx.clock).once),
                    TickLoop("reminders", make_reminder_worker(ctx).once)])


async def serve(ctx: Context, listeners: Listeners, on_ready=None) -> None:
    """Runs until interrupted (SIGINT/SIGTERM via uvicorn), then stops every part."""
    services = web_services(ctx)
    background = build_workers(ctx, services)
    stored = background.wake
    services.on_stored = stored
    ingest_worker = IngestWorker(ctx.db, ctx.blobs, ctx.settings.domain, on_stored=stored,
                                 zone=ctx.settings.timezone)
    ingest = WorkerLoop("ingest", ingest_worker.drain)
    workers = [asyncio.create_task(w.run(), name=getattr(w, "name", type(w).__name__))
               for w in (ingest, *background.woken, *background.scheduled)]
    gateways = await start_gateway(ctx, listeners, ingest.wake)
    app = create_app(services)
    config = uvicorn.Config(app, host=listeners.http.host, port=listeners.http.port, log_level="warning",
                            lifespan="off", access_log=False)
    web = uvicorn.Server(config)
    print(f"kairan: SMTP on {bound(gateways[0])}" + (f", LMTP on {bound(gateways[1])}" if len(gateways) > 1 else "")
          + f"; web on http://{listeners.http.host}:{listeners.http.port}/", flush=True)
    if on_ready is not None:
        on_ready(bound(gateways[0]))
    try:
        await web.serve()
    finally:
        for gateway in gateways:
            gateway.close()
        for task in workers:
            task.cancel()
        for task in workers:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await background.close()
