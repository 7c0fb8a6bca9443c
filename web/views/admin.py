"""For system admins: mail that could not be processed, and trying it again.

    GET  /admin/spool          failed messages with their reasons (others: 404, as if it didn't exist)
    POST /admin/spool/retry    puts one failed message (or all) back in the ingest queue

Nothing acknowledged over SMTP is ever dropped (docs/design.md): a message whose parsing
fails stays in the spool as `failed`; this is where an admin sees it and retries it.
The ingest worker picks retried messages up within its poll interval.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from archive.models import Member
from archive.spool import list_entries, retry
from web.auth import require_member
from web.sessions import csrf_ok
from web.templating import render
from web.views.common import services_of

SPOOL_PATH = "/admin/spool"


def require_admin(request: Request) -> Member:
    member = require_member(request)
    if not member.is_admin:
        raise HTTPException(404)
    return member


async def spool_page(request: Request):
    require_admin(request)
    entries = await list_entries(services_of(request).db, "failed")
    retried = request.query_params.get("retried", "")
    return render(request, "admin_spool.html", {"entries": entries, "retried": retried if retried.isdigit() else ""})


async def retry_failed(request: Request):
    require_admin(request)
    services = services_of(request)
    form = await request.form(max_files=0, max_fields=10)
    if not csrf_ok(request, form, services.secret_key):
        raise HTTPException(403)
    which = str(form.get("id") or "")
    count = await retry(services.db, int(which) if which.isdigit() and len(which) < 18 else None)
    return RedirectResponse(f"{SPOOL_PATH}?retried={count}", status_code=303)


routes = [
    Route(SPOOL_PATH, spool_page, methods=["GET"]),
    Route(SPOOL_PATH + "/retry", retry_failed, methods=["POST"]),
]
