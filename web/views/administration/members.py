"""/admin/members: an organization's members for its admins (system admins: any organization).

    GET  /admin/members?org=SLUG&q=WORDS     the list, and departments without a representative
    GET  /admin/members/new?org=SLUG         POST /admin/members/new        add
    GET  /admin/members/{id}                 POST /admin/members/{id}       edit
    POST /admin/members/{id}/deactivate      POST /admin/members/{id}/reactivate

An org admin reaching for another organization's member — by URL, by form field — gets 403:
archive.admin.people checks every act, whichever page sent it.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from archive.admin import people, roles
from archive.admin.directory import departments_without_rep, search, sort_people
from archive.admin.directory import people as list_people
from archive.errors import Conflict, Invalid
from archive.members import get_member
from web.auth import client_address
from web.templating import render
from web.views.administration.common import checked_form, chosen_org, orgs_for, require_admin, text
from web.views.common import path_int, services_of

MEMBERS_PATH = "/admin/members"


def member_path(member_id: int) -> str:
    return f"{MEMBERS_PATH}/{member_id}"


async def members_page(request: Request):
    admin = require_admin(request)
    db = services_of(request).db
    org = await chosen_org(request, admin, request.query_params.get("org"))
    orgs = await orgs_for(request, admin)
    org = org or orgs[0] if orgs else None
    query = request.query_params.get("q", "").strip()[:100]
    found = search(sort_people(await list_people(db, org.id, active_only=False)), query) if org else []
    found.sort(key=lambda p: (p.dept == "", p.dept))
    missing = [dept for _, dept in await departments_without_rep(db, org.id)] if org else []
    return render(request, "admin_members.html", {"orgs": orgs, "org": org, "people": found, "query": query,
                                                  "missing": missing, "done": request.query_params.get("done", "")})


async def target_of(request: Request, admin):
    """The member in the URL, if this admin may manage them (403 otherwise, 404 if none)."""
    target = await get_member(services_of(request).db, path_int(request, "member_id"))
    roles.require(roles.can_manage_member(admin, target), "you may manage only your own organization's members")
    return target


async def edit_page(request: Request):
    admin = require_admin(request)
    target = await target_of(request, admin)
    facts = await people.facts_of(services_of(request).db, target)
    return render(request, "admin_member.html", form_context(admin, target, facts, ""))


def form_context(admin, target, facts, error: str, org=None) -> dict:
    return {"target": target, "facts": facts, "error": error, "org": org,
            "can_grant_admin": roles.can_grant_system_admin(admin)}


def change_from(form, admin) -> people.Change:
    """The edit form as a change: addresses one per line (the first is primary); flags are checkboxes.
    The system admin box counts only when the form says it carried one (system admins' forms do)."""
    addresses = [a.strip() for a in text(form, "addresses", 5000).splitlines() if a.strip()]
    return people.Change(name=text(form, "name"), reading=text(form, "reading"), dept=text(form, "dept"),
                         addresses=tuple(addresses) or None, rep=form.get("rep") == "on",
                         org_admin=form.get("org_admin") == "on",
                         admin=(form.get("admin") == "on") if form.get("has_admin") == "1" else None)


async def save_member(request: Request):
    admin = require_admin(request)
    target = await target_of(request, admin)
    form = await checked_form(request)
    db = services_of(request).db
    change = change_from(form, admin)
    try:
        await people.change(db, admin, target.email, change, client=client_address(request))
    except (Invalid, Conflict) as problem:
        facts = await people.facts_of(db, target)
        return render(request, "admin_member.html", form_context(admin, target, facts, str(problem)), status_code=400)
    return RedirectResponse(f"{MEMBERS_PATH}?org={target.org_slug}&done=saved", status_code=303)


async def new_page(request: Request):
    admin = require_admin(request)
    org = await chosen_org(request, admin, request.query_params.get("org")) or (await orgs_for(request, admin))[0]
    return render(request, "admin_member.html", form_context(admin, None, None, "", org))


async def add_member(request: Request):
    admin = require_admin(request)
    form = await checked_form(request)
    db = services_of(request).db
    new = people.NewMember(email=text(form, "email", 320), name=text(form, "name"), org=text(form, "org", 64),
                           dept=text(form, "dept"), reading=text(form, "reading"), rep=form.get("rep") == "on",
                           org_admin=form.get("org_admin") == "on", admin=form.get("admin") == "on")
    try:
        await people.add(db, admin, new, client=client_address(request))
    except (Invalid, Conflict) as problem:
        org = await chosen_org(request, admin, new.org)
        return render(request, "admin_member.html", form_context(admin, None, None, str(problem), org), status_code=400)
    return RedirectResponse(f"{MEMBERS_PATH}?org={new.org}&done=added", status_code=303)


async def set_active(request: Request):
    admin = require_admin(request)
    target = await target_of(request, admin)
    await checked_form(request)
    active = request.url.path.endswith("/reactivate")
    try:
        await people.set_active(services_of(request).db, admin, target.email, active, client=client_address(request))
    except Invalid as problem:
        facts = await people.facts_of(services_of(request).db, target)
        return render(request, "admin_member.html", form_context(admin, target, facts, str(problem)), status_code=400)
    done = "reactivated" if active else "deactivated"
    return RedirectResponse(f"{MEMBERS_PATH}?org={target.org_slug}&done={done}", status_code=303)


routes = [
    Route(MEMBERS_PATH, members_page, methods=["GET"]),
    Route(MEMBERS_PATH + "/new", new_page, methods=["GET"]),
    Route(MEMBERS_PATH + "/new", add_member, methods=["POST"]),
    Route(MEMBERS_PATH + "/{member_id:int}", edit_page, methods=["GET"]),
    Route(MEMBERS_PATH + "/{member_id:int}", save_member, methods=["POST"]),
    Route(MEMBERS_PATH + "/{member_id:int}/deactivate", set_active, methods=["POST"]),
    Route(MEMBERS_PATH + "/{member_id:int}/reactivate", set_active, methods=["POST"]),
]
