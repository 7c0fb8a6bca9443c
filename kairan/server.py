"""`kairan serve`: the SMTP gateway, the web app and the workers on one event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading
from dataclasses import dataclass
from typing import Callable

import uvicorn

from archive.moves.apply import run_moves
from archive.queues import depth
from archive.spool import settle_all
from bridge.gateway.limits import Backlog
from bridge.ingest.worker import IngestWorker
from bridge.outbound.digest_run import DigestWorker
from bridge.outbound.notify import NotifyWorker
from kairan.context import Context
from kairan.indexing import open_search
from kairan.listeners import Listeners, bind_http, bound, hold_serve_lock, start_gateway, start_policy
from kairan.pool import Budget, ProcessPool, default_size
from kairan.workers import TickLoop, WorkerLoop
from kairan.uploads import upload_importer
from kairan.mail import mail_settings, make_dispatcher, make_reminder_worker, make_sender
from kairan.web_mail import submitter
from search.indexer import Indexer
from web.app import create_app
from web.services import WebServices

log = logging.getLogger(__name__)


def web_services(ctx: Context) -> WebServices:
    s = ctx.settings
    return WebServices(db=ctx.db, blobs=ctx.blobs, domain=s.domain, base_url=s.base_url, secret_key=s.secret_key,
                       timezone=s.timezone, language=s.language, clock=ctx.clock, digest_hour=s.digest_hour,
                       max_upload_bytes=s.max_message_mb * 1024 * 1024,
                       send_mail=make_sender(s).send, search=open_search(ctx), metrics_from=s.ops.metrics_from,
                       retention_default=s.retention_default, retention_count_from=s.retention_count_from,
                       start_import=upload_importer(ctx), import_dir=s.data_dir / "imports",
                       min_space_orgs=s.min_space_orgs, members_edit_profile=s.members_edit_profile,
                       max_import_upload_bytes=s.max_import_upload_mb * 1024 * 1024)


@dataclass
class Workers:
    """The background work of `kairan serve`: queue workers woken when posts are stored, and
    scheduled ones (digests, reminders) with their own `run()`."""
    indexer: Indexer
    woken: list[WorkerLoop]
    scheduled: list[TickLoop]
    pool: ProcessPool | None = None

    def wake(self, post_ids: list[int] = ()) -> None:
        for worker in self.woken:
            worker.wake()

    async def close(self) -> None:
        await self.indexer.close()
        if self.pool is not None:
            await self.pool.close()


def worker_pool(ctx: Context) -> ProcessPool:
    """The processes that parse mail and read attachments (`[workers]`), shared by ingest and index."""
    w = ctx.settings.workers
    return ProcessPool(w.processes or default_size(),
                       max_memory=max(w.message_memory_mb, w.attachment_memory_mb) * 2**20)


def message_budget(ctx: Context) -> Budget:
    w = ctx.settings.workers
    return Budget(w.message_seconds, w.message_memory_mb * 2**20)


def build_workers(ctx: Context, services: WebServices, pool: ProcessPool | None = None,
                  on_indexed: Callable[[int], None] = lambda count: None) -> Workers:
    """The indexer is the index's one writer; the search service reads the same index object.
    With a pool, attachment text is read in its processes under the attachment budget, and index
    commits are at most every 0.3 s (under load one commit carries many posts)."""
    dispatcher = make_dispatcher(ctx)
    mail = mail_settings(ctx.settings)
    notify = NotifyWorker(ctx.db, mail, dispatcher, ctx.clock)
    w = ctx.settings.workers
    indexer = Indexer(ctx.db, services.search.index, ctx.blobs, runner=pool, commit_interval=0.3 if pool else 0.0,
                      budget=Budget(w.attachment_seconds, w.attachment_memory_mb * 2**20), on_indexed=on_indexed)
    return Workers(indexer, [WorkerLoop("index", indexer.drain), WorkerLoop("notify", notify.drain)],
                   [TickLoop("digests", DigestWorker(ctx.db, mail, ctx.settings.digest_hour, dispatcher,
                                                     ctx.clock).once),
                    TickLoop("reminders", make_reminder_worker(ctx, dispatcher).once),
                    TickLoop("moves", moves_pass(ctx))], pool)


def moves_pass(ctx: Context):
    """Each tick applies the moves (人事異動) due by now: at 00:00 of their date, at most a tick late."""
    s = ctx.settings

    async def once():
        return await run_moves(ctx.db, ctx.clock(), timezone=s.timezone, keep_days=s.old_address_days,
                               domain=s.domain)
    return once


@contextlib.contextmanager
def stop_signals_end_serve():
    """uvicorn stops gracefully on SIGINT/SIGTERM, then raises the signal again for the handler it
    found; with a quiet handler here, that second signal lets `serve` close every part and exit 0."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


async def serve(ctx: Context, listeners: Listeners, on_ready=None) -> None:
    """Runs until interrupted (SIGINT/SIGTERM via uvicorn), then stops every part."""
    with hold_serve_lock(ctx.settings.data_dir):
        await _serve(ctx, listeners, on_ready)


async def _serve(ctx: Context, listeners: Listeners, on_ready) -> None:
    services = web_services(ctx)
    pool = worker_pool(ctx)
    indexing = Backlog(ctx.settings.smtp_limits, waiting=await depth(ctx.db, "index_queue"))
    backlog = Backlog(ctx.settings.smtp_limits, then=indexing)          # the spool's count: start_gateway
    background = build_workers(ctx, services, pool, on_indexed=indexing.handled)

    def stored(post_ids: list[int]) -> None:
        indexing.added(len(post_ids))
        background.wake(post_ids)

    services.on_stored = stored
    ingest_worker = IngestWorker(ctx.db, ctx.blobs, ctx.settings.domain, on_stored=stored,
                                 zone=ctx.settings.timezone, runner=pool, budget=message_budget(ctx),
                                 on_handled=backlog.handled, settle_later=True)
    ingest = WorkerLoop("ingest", ingest_worker.drain)
    services.submit_mail = submitter(ctx, ingest.wake)
    await settle_all(ctx.db, ctx.blobs, verify=True)          # after a crash: no blob left torn
    http = bind_http(listeners.http)
    try:
        gateways = await start_gateway(ctx, listeners, ingest.wake, backlog)
        await pool.start()
    except BaseException:
        http.close()
        await pool.close()
        raise
    try:
        policy = await start_policy(ctx, listeners)
    except BaseException:
        http.close()
        for gateway in gateways:
            gateway.close()
        await pool.close()
        raise
    settle = TickLoop("spool-settle", lambda: settle_all(ctx.db, ctx.blobs), tick=20.0)
    workers = [asyncio.create_task(w.run(), name=getattr(w, "name", type(w).__name__))
               for w in (ingest, settle, *background.woken, *background.scheduled)]
    services.workers_alive = lambda: {task.get_name(): not task.done() for task in workers}
    web = uvicorn.Server(uvicorn.Config(create_app(services), log_level="warning", lifespan="off", log_config=None,
                                        access_log=False, proxy_headers=bool(ctx.settings.trusted_proxies),
                                        forwarded_allow_ips=list(ctx.settings.trusted_proxies)))
    print(f"kairan: SMTP on {bound(gateways[0])}" + (f", LMTP on {bound(gateways[1])}" if len(gateways) > 1 else "")
          + (f", policy service on {bound(policy)}" if policy else "") + f"; web on http://{bound(http)}/", flush=True)
    if on_ready is not None:
        on_ready(bound(gateways[0]))
    try:
        with stop_signals_end_serve():
            await web.serve(sockets=[http])
    finally:
        for gateway in (*gateways, *([policy] if policy else [])):
            gateway.close()
        for task in workers:
            task.cancel()
        for task in workers:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await background.close()
