"""For system admins: each organization's sender-assurance policy, seen and changed.

    GET  /admin/assurance          every organization: trusted relays, DKIM, level (others: 404)
    POST /admin/assurance/{slug}   saves one organization's policy (audited as org.policy)
    GET  /help/sender              for anyone: why mail was refused as unverified, what to do

The same change as `kairan org set`; the gateway applies it within a second.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from archive.admin.roles import is_system_admin
from archive.assurance.policy import DKIM_MODES, HELP_PATH, LEVELS, list_policies, set_policy
from archive.errors import Invalid
from archive.models import Member
from web.auth import request_actor, require_member
from web.sessions import csrf_ok
from web.templating import render
from web.views.common import services_of

PATH = "/admin/assurance"
MAX_RELAYS = 200


def require_system_admin(request: Request) -> Member:
    member = require_member(request)
    if not is_system_admin(member):
        raise HTTPException(404)
    return member


async def policy_page(request: Request, error: str = "", failed: str = "", typed: dict | None = None,
                      status_code: int = 200):
    require_system_admin(request)
    orgs = await list_policies(services_of(request).db)
    saved = request.query_params.get("saved", "")
    return render(request, "admin_assurance.html",
                  {"orgs": orgs, "levels": LEVELS, "dkim_modes": DKIM_MODES, "error": error, "failed": failed,
                   "typed": typed or {}, "saved": saved if any(slug == saved for slug, _, _ in orgs) else ""},
                  status_code=status_code)


async def save_policy(request: Request):
    require_system_admin(request)
    services = services_of(request)
    form = await request.form(max_files=0, max_fields=10, max_part_size=64 * 1024)
    if not csrf_ok(request, form, services.secret_key):
        raise HTTPException(403)
    slug = request.path_params["slug"]
    relays = [line.strip() for line in str(form.get("relays") or "").replace(",", "\n").splitlines()
              if line.strip()][:MAX_RELAYS]
    try:
        await set_policy(services.db, slug, request_actor(request), relays=relays,
                         dkim=str(form.get("dkim") or ""), level=str(form.get("level") or ""))
    except Invalid as error:
        return await policy_page(request, str(error), slug, {"relays": "\n".join(relays)}, status_code=400)
    return RedirectResponse(f"{PATH}?saved={slug}#org-{slug}", status_code=303)


async def help_page(request: Request):
    """Linked from the gateway's refusal: needs no sign-in (the sender may not have an account here)."""
    return render(request, "help_sender.html", {})


routes = [
    Route(HELP_PATH, help_page, methods=["GET"]),
    Route(PATH, policy_page, methods=["GET"]),
    Route(PATH + "/{slug}", save_policy, methods=["POST"]),
]
