"""A space's settings, for its admins; leaving a space, for any member.

    GET  /s/SLUG/settings              members (by organization), admins, title, close/reopen
    POST /s/SLUG/settings/ACTION       edit | add | remove | admin | unadmin | close | reopen
    POST /s/SLUG/leave                 the member leaves (not the last admin)

A space you can't read is 404 as everywhere; a member who is not its admin gets 403.
A removal that would leave members from fewer organizations than a space needs asks
for confirmation first; the rule that a space keeps an admin is the archive's.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from archive.admin.roles import is_space_admin, require
from archive.admin.spaces import (RuleBroken, add_members, edit_space, narrowing, remove_member, set_admin,
                                  set_closed)
from archive.errors import NotFound
from archive.members import find_member_by_address
from archive.models import Member, Space
from archive.spaces import list_space_members
from web import urls
from web.auth import request_actor, require_member
from web.errors import N_
from web.sessions import csrf_ok
from web.templating import render, translate
from web.views.common import services_of, space_for
from web.views.spaces.messages import rule_message
from web.views.spaces.picker import chosen_addresses, directory_groups

ACTIONS = ("edit", "add", "remove", "admin", "unadmin", "close", "reopen")
DONE = {"edit": N_("スペースの情報を保存しました。"), "add": N_("メンバーを追加しました。"),
        "remove": N_("メンバーを外しました。"), "admin": N_("管理者にしました。"), "unadmin": N_("管理者から外しました。"),
        "close": N_("スペースを閉鎖しました。"), "reopen": N_("スペースを再開しました。")}


def settings_path(slug: str) -> str:
    return urls.space_path(slug) + "settings"


async def admin_space(request: Request, member: Member) -> Space:
    space = await space_for(request, member)
    require(await is_space_admin(services_of(request).db, member, space), "space settings")
    return space


async def settings_page(request: Request, error: str = "", confirm: dict | None = None, status_code: int = 200):
    member = require_member(request)
    services = services_of(request)
    space = await admin_space(request, member)
    people = [(m, ms) for m, ms in await list_space_members(services.db, space.id) if m.active]
    done = request.query_params.get("done", "")
    return render(request, "space_settings.html", {
        "space": space, "people": people, "error": error, "confirm": confirm,
        "done": translate(request, DONE[done]) if done in DONE and not error else "",
        "groups": await directory_groups(services.db, exclude={m.id for m, _ in people}),
        "min_orgs": services.min_space_orgs, "address": space.address(services.domain)}, status_code=status_code)


async def target_member(request: Request, form, space: Space) -> Member:
    found = await find_member_by_address(services_of(request).db, str(form.get("email") or ""))
    if found is None:
        raise NotFound("no such member")
    return found


async def act(request: Request):
    member = require_member(request)
    services = services_of(request)
    space = await admin_space(request, member)
    action = request.path_params["action"]
    if action not in ACTIONS:
        raise NotFound("no such action")
    form = await request.form(max_files=0, max_fields=2000)
    if not csrf_ok(request, form, services.secret_key):
        raise HTTPException(403)
    actor = request_actor(request)
    try:
        if action == "edit":
            await edit_space(services.db, actor, space, str(form.get("title") or ""), str(form.get("description") or ""))
        elif action == "add":
            added = chosen_addresses(form)
            if not added:
                return await settings_page(request, translate(request, "追加するメンバーを選ぶか、アドレスを貼り付けてください。"),
                                           status_code=400)
            await add_members(services.db, actor, space, added, mode=str(form.get("mode") or "digest"))
        elif action == "remove":
            target = await target_member(request, form, space)
            if form.get("confirmed") != "1" and await narrowing(services.db, space, {target.id}, services.min_space_orgs):
                return await settings_page(request, confirm={"email": target.email, "name": target.name},
                                           status_code=409)
            await remove_member(services.db, actor, space, target)
        elif action in ("admin", "unadmin"):
            await set_admin(services.db, actor, space, await target_member(request, form, space), on=action == "admin")
        else:
            await set_closed(services.db, actor, space, closed=action == "close")
    except RuleBroken as problem:
        return await settings_page(request, rule_message(request, problem), status_code=422)
    return RedirectResponse(settings_path(space.slug) + f"?done={action}", status_code=303)


async def leave(request: Request):
    member = require_member(request)
    services = services_of(request)
    space = await space_for(request, member)
    form = await request.form(max_files=0, max_fields=5)
    if not csrf_ok(request, form, services.secret_key):
        raise HTTPException(403)
    try:
        await remove_member(services.db, request_actor(request), space, member, action="left")
    except RuleBroken as problem:
        return render(request, "error.html", {"status": 422, "title": translate(request, "スペースを退出できません"),
                                              "explanation": rule_message(request, problem)}, status_code=422)
    return RedirectResponse("/", status_code=303)


routes = [
    Route("/s/{slug}/settings", settings_page, methods=["GET"], name="space_settings"),
    Route("/s/{slug}/settings/{action}", act, methods=["POST"]),
    Route("/s/{slug}/leave", leave, methods=["POST"]),
]
