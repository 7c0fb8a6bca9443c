"""Creating a space in the web: any active member may; the creator becomes its admin.

    GET  /spaces/new      the form: title, address (suggested from the title), description,
                          members from the directory (or pasted addresses), initial delivery mode
    POST /spaces/new      the space, or the form again with the sentence of the rule that failed
    GET  /spaces/check    JSON for the form's live check: ?title= → a free suggestion, ?slug= → ok or why not
"""

from __future__ import annotations

import asyncio

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route

from archive.admin.spaces import RuleBroken, check_slug, create_space_by
from archive.models import DELIVERY_MODES
from web import urls
from web.auth import request_actor, require_member
from web.sessions import csrf_ok
from web.templating import render
from web.views.common import services_of
from web.views.spaces.messages import rule_message
from web.views.spaces.picker import chosen_addresses, directory_groups
from web.views.spaces.slugs import suggest_slug, warm_up

MAX_MEMBERS = 2000


async def new_space_page(request: Request, values: dict | None = None, error: str = "", field: str = "",
                         status_code: int = 200):
    member = require_member(request)
    services = services_of(request)
    asyncio.get_running_loop().run_in_executor(None, warm_up)      # the suggestion is quick when asked
    values = values or {"title": "", "slug": "", "description": "", "mode": "digest", "chosen": []}
    return render(request, "space_new.html", {
        "values": values, "error": error, "field": field, "modes": DELIVERY_MODES,
        "groups": await directory_groups(services.db, exclude={member.id}),
        "min_orgs": services.min_space_orgs, "domain": services.domain}, status_code=status_code)


async def create(request: Request):
    member = require_member(request)
    services = services_of(request)
    form = await request.form(max_files=0, max_fields=MAX_MEMBERS + 20)
    if not csrf_ok(request, form, services.secret_key):
        raise HTTPException(403)
    chosen = chosen_addresses(form)
    values = {"title": str(form.get("title") or ""), "slug": str(form.get("slug") or "").strip().lower(),
              "description": str(form.get("description") or ""), "mode": str(form.get("mode") or "digest"),
              "chosen": chosen}
    try:
        space = await create_space_by(services.db, request_actor(request), slug=values["slug"],
                                      title=values["title"], description=values["description"],
                                      members=chosen, creator=member, mode=values["mode"],
                                      min_orgs=services.min_space_orgs)
    except RuleBroken as problem:
        return await new_space_page(request, values, rule_message(request, problem), problem.field, 422)
    return RedirectResponse(urls.space_path(space.slug), status_code=303)


async def free_suggestion(services, title: str) -> str:
    base = (await asyncio.to_thread(suggest_slug, title))[:40] or "space"
    for n in range(1, 100):
        candidate = base if n == 1 else f"{base}-{n}"
        try:
            return await check_slug(services.db, candidate)
        except RuleBroken:
            continue
    return ""


async def check(request: Request):
    require_member(request)
    services = services_of(request)
    params = request.query_params
    if "title" in params and "slug" not in params:
        return JSONResponse({"suggestion": await free_suggestion(services, params["title"][:200])})
    try:
        slug = await check_slug(services.db, params.get("slug", "")[:100])
    except RuleBroken as problem:
        return JSONResponse({"ok": False, "message": rule_message(request, problem)})
    return JSONResponse({"ok": True, "slug": slug, "address": f"{slug}@{services.domain}"})


routes = [
    Route("/spaces/new", new_space_page, methods=["GET"], name="space_new"),
    Route("/spaces/new", create, methods=["POST"]),
    Route("/spaces/check", check, methods=["GET"]),
]
