"""For system admins: outgoing mail that failed or waits to be tried again, with the relay's answer.

    GET /admin/deliveries      (others: 404, as if it didn't exist)

When the relay refuses or is unreachable, notifications and digests wait in
the delivery ledger (bridge.outbound.dispatch retries them with backoff); this
page is where that shows, beside one log line per failure.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from archive.deliveries import troubled_deliveries
from web.templating import render
from web.views.admin import require_admin
from web.views.common import services_of

DELIVERIES_PATH = "/admin/deliveries"


async def deliveries_page(request: Request):
    require_admin(request)
    rows = await troubled_deliveries(services_of(request).db)
    return render(request, "admin_deliveries.html", {"rows": rows})


routes = [Route(DELIVERIES_PATH, deliveries_page, methods=["GET"])]
