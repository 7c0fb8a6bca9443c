"""/admin/orgs: organizations, for system admins — add, rename, mail domains; departments without
a representative for each.

    GET  /admin/orgs            POST /admin/orgs (add)          POST /admin/orgs/{slug} (change)
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from archive.admin import organizations, roles
from archive.admin.directory import departments_without_rep
from archive.errors import Conflict, Invalid
from web.auth import client_address
from web.templating import render
from web.views.administration.common import checked_form, require_admin, text
from web.views.common import services_of

ORGS_PATH = "/admin/orgs"


def require_system_admin(request: Request):
    admin = require_admin(request)
    roles.require(roles.can_manage_orgs(admin), "only a system admin may manage organizations")
    return admin


async def page(request: Request, error: str = "", status_code: int = 200):
    db = services_of(request).db
    missing: dict[int, list[str]] = {}
    for org_id, dept in await departments_without_rep(db):
        missing.setdefault(org_id, []).append(dept)
    return render(request, "admin_orgs.html", {"summaries": await organizations.summaries(db), "missing": missing,
                                               "error": error, "done": request.query_params.get("done", "")},
                  status_code=status_code)


async def orgs_page(request: Request):
    require_system_admin(request)
    return await page(request)


def domains_of(form) -> list[str]:
    return [d for d in text(form, "mail_domains", 2000).replace(",", " ").split() if d]


async def add_org(request: Request):
    admin = require_system_admin(request)
    form = await checked_form(request)
    try:
        await organizations.add(services_of(request).db, admin, text(form, "slug", 64), text(form, "name"),
                                domains_of(form), client=client_address(request))
    except (Invalid, Conflict) as problem:
        return await page(request, str(problem), 400)
    return RedirectResponse(f"{ORGS_PATH}?done=added", status_code=303)


async def change_org(request: Request):
    admin = require_system_admin(request)
    form = await checked_form(request)
    try:
        await organizations.change(services_of(request).db, admin, request.path_params["slug"], text(form, "name"),
                                   domains_of(form), client=client_address(request))
    except (Invalid, Conflict) as problem:
        return await page(request, str(problem), 400)
    return RedirectResponse(f"{ORGS_PATH}?done=saved", status_code=303)


routes = [
    Route(ORGS_PATH, orgs_page, methods=["GET"]),
    Route(ORGS_PATH, add_org, methods=["POST"]),
    Route(ORGS_PATH + "/{slug}", change_org, methods=["POST"]),
]
