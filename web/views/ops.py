"""For monitoring: `GET /healthz` and `GET /metrics` (Prometheus text format).

    /healthz   200 {"ok": true, ...} only when the database answers and every worker is alive,
               503 otherwise (with what is wrong), so a load balancer or systemd watchdog can act.
    /metrics   the figures of archive.ops.figures; answered only to the addresses (or networks)
               of `[http] metrics_from` — 403 to everyone else, as figures tell about the traffic.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from archive.ops.figures import Figures, gather
from web.views.common import services_of

log = logging.getLogger(__name__)
DB_TIMEOUT = 5.0


async def database_answers(services) -> bool:
    try:
        return await asyncio.wait_for(services.db.fetchval("SELECT 1"), DB_TIMEOUT) == 1
    except Exception:                         # a locked, closed or broken database: not healthy
        log.warning("healthz: the database does not answer", exc_info=True)
        return False


async def healthz(request: Request) -> JSONResponse:
    services = services_of(request)
    workers = services.workers_alive()
    database = await database_answers(services)
    ok = database and all(workers.values())
    return JSONResponse({"ok": ok, "database": database, "workers": workers}, status_code=200 if ok else 503)


def client_allowed(host: str | None, allowed: tuple[str, ...]) -> bool:
    try:
        address = ipaddress.ip_address(host or "")
    except ValueError:
        return False
    for entry in allowed:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


class _Snapshot:
    """A collector that hands out families built beforehand (the figures were read asynchronously)."""

    def __init__(self, families: list):
        self._families = families

    def collect(self):
        return self._families


def families(f: Figures) -> list:
    accepted = CounterMetricFamily("kairan_messages_accepted", "Messages acknowledged (250) by the gateway")
    accepted.add_metric([], f.accepted)
    refused = CounterMetricFamily("kairan_messages_refused", "Messages refused during the SMTP session, by rule",
                                  labels=["rule"])
    for rule, count in sorted(f.refused.items()):
        refused.add_metric([rule], count)
    spool = GaugeMetricFamily("kairan_spool_depth", "Acknowledged messages not processed yet")
    spool.add_metric([], f.spool_depth)
    oldest = GaugeMetricFamily("kairan_spool_oldest_age_seconds", "Age of the oldest unprocessed message")
    oldest.add_metric([], f.spool_oldest_seconds)
    failed = GaugeMetricFamily("kairan_spool_failed", "Messages that could not be processed (kairan spool list)")
    failed.add_metric([], f.spool_failed)
    queues = GaugeMetricFamily("kairan_queue_depth", "Items waiting in a work queue", labels=["queue"])
    for name, depth in sorted(f.queues.items()):
        queues.add_metric([name], depth)
    deliveries = GaugeMetricFamily("kairan_deliveries", "Outgoing mail by state (sent, failed, retrying, due)",
                                   labels=["state"])
    for state, count in sorted(f.deliveries.items()):
        deliveries.add_metric([state], count)
    lag = GaugeMetricFamily("kairan_index_lag_posts", "Posts stored but not searchable yet")
    lag.add_metric([], f.index_lag_posts)
    lag_age = GaugeMetricFamily("kairan_index_lag_seconds", "How long the oldest of those has waited")
    lag_age.add_metric([], f.index_lag_seconds)
    signin = CounterMetricFamily("kairan_signin_failures", "Failed sign-ins")
    signin.add_metric([], f.signin_failures)
    return [accepted, refused, spool, oldest, failed, queues, deliveries, lag, lag_age, signin]


def exposition(f: Figures) -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Snapshot(families(f)))
    return generate_latest(registry)


async def metrics(request: Request) -> Response:
    services = services_of(request)
    if not client_allowed(request.client.host if request.client else None, services.metrics_from):
        return PlainTextResponse("metrics are answered only to the addresses in [http] metrics_from\n",
                                 status_code=403)
    figures = await gather(services.db, services.clock())
    return Response(exposition(figures), media_type=CONTENT_TYPE_LATEST)


routes = [Route("/healthz", healthz, methods=["GET"]), Route("/metrics", metrics, methods=["GET"])]
