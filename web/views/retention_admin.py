"""For system admins: the threads past their retention period, approving their disposal, the register.

    GET  /admin/retention               廃棄予定 (every space) and the disposal register
    POST /admin/retention/approve       approve the list shown (as of the moment it was shown) and dispose
    GET  /admin/retention/register.csv  the disposal register (廃棄簿), UTF-8 with BOM
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from archive.admin.roles import is_system_admin
from archive.clock import from_iso, to_iso
from archive.retention.disposal import dispose, register_entries
from archive.retention.due import due_threads
from archive.retention.register_csv import register_csv
from web import urls
from web.auth import request_actor, require_member
from web.sessions import csrf_ok
from web.templating import render
from web.views.common import services_of
from web.views.records import policy


def require_system_admin(request: Request):
    member = require_member(request)
    if not is_system_admin(member):
        raise HTTPException(404)
    return member


async def retention_page(request: Request):
    require_system_admin(request)
    services = services_of(request)
    now = services.clock()
    disposed = request.query_params.get("disposed", "")
    return render(request, "admin_retention.html", {
        "due": await due_threads(services.db, now, policy(services)), "as_of": to_iso(now),
        "register": await register_entries(services.db), "disposed": disposed if disposed.isdigit() else ""})


async def approve(request: Request):
    require_system_admin(request)
    services = services_of(request)
    form = await request.form(max_files=0, max_fields=5)
    if not csrf_ok(request, form, services.secret_key):
        raise HTTPException(403)
    try:
        as_of = from_iso(str(form.get("as_of") or ""))
    except ValueError:
        raise HTTPException(400, "the list to approve is missing its date: reload the page")
    count = await dispose(services.db, services.blobs, policy(services), as_of, request_actor(request))
    services.on_stored([])
    return RedirectResponse(urls.retention_admin_path() + f"?disposed={count}", status_code=303)


async def register_download(request: Request):
    require_system_admin(request)
    services = services_of(request)
    text = register_csv(await register_entries(services.db), services.timezone)
    return Response(text.encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="disposal-register.csv"'})


routes = [
    Route("/admin/retention", retention_page, methods=["GET"]),
    Route("/admin/retention/approve", approve, methods=["POST"]),
    Route("/admin/retention/register.csv", register_download, methods=["GET"]),
]
