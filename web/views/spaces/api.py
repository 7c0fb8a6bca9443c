"""The JSON API for the space operations, authenticated like the rest (Bearer token).

    POST   /api/spaces                        {slug, title, description?, members: [email…]}
                                              → 201 with the space as GET /api/spaces/SLUG shows it
    POST   /api/spaces/SLUG/members           {email}   (space admins) → 201 {slug, email, role, mode}
    DELETE /api/spaces/SLUG/members/EMAIL     (space admins; or the member themselves: leaving) → 200

A broken rule or field answers 422 {"error": "..."}; a space the caller can't read 404
(as one that doesn't exist); a member who isn't the space's admin 403.
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from archive.access import readable_space
from archive.admin.audit import actor_of
from archive.admin.roles import is_space_admin
from archive.admin.spaces import RuleBroken, add_members, create_space_by, remove_member
from archive.errors import NotFound
from archive.export import space_document
from archive.inquiries.status import inquiry_reader
from archive.members import find_member_by_address
from archive.models import Member
from archive.spaces import get_membership
from web.api import authenticated, error
from web.auth import client_address
from web.urls import WebLinks
from web.views.common import services_of

MAX_BODY = 1024 * 1024
FIELDS = {"slug", "title", "description", "members"}


class BadBody(Exception):
    pass


async def body_of(request: Request) -> dict:
    data = await request.body()
    if len(data) > MAX_BODY:
        raise BadBody("the request body is larger than 1 MB")
    try:
        doc = json.loads(data or b"null")
    except (ValueError, UnicodeDecodeError):
        raise BadBody("the request body is not JSON")
    if not isinstance(doc, dict):
        raise BadBody("the request body must be a JSON object")
    return doc


def field_problem(doc: dict) -> str:
    """The first field of POST /api/spaces that has the wrong shape, as a sentence; '' when none."""
    unknown = sorted(set(doc) - FIELDS)
    if unknown:
        return f"unknown field(s) {', '.join(unknown)}: the fields are slug, title, description, members"
    for name in ("slug", "title"):
        if not isinstance(doc.get(name), str):
            return f"'{name}' is required and must be a string"
    if not isinstance(doc.get("description", ""), str):
        return "'description' must be a string"
    members = doc.get("members")
    if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
        return "'members' is required and must be a list of e-mail addresses"
    return ""


async def document(request: Request, space) -> dict:
    svc = services_of(request)
    links = WebLinks(svc.base_url or str(request.base_url))
    return await space_document(svc.db, space, svc.domain,
                                attachment_url=lambda s, t, a: links.attachment(s.slug, a.id, a.filename),
                                inquiry_of=inquiry_reader(svc.db, svc.clock, svc.timezone))


def actor(request: Request, member: Member):
    return actor_of(member, client_address(request))


@authenticated
async def create_space(request: Request, member: Member) -> JSONResponse:
    svc = services_of(request)
    try:
        doc = await body_of(request)
    except BadBody as problem:
        return error(400, str(problem))
    if problem := field_problem(doc):
        return error(422, problem)
    try:
        space = await create_space_by(svc.db, actor(request, member), slug=doc["slug"], title=doc["title"],
                                      description=doc.get("description", ""), members=doc["members"],
                                      creator=member, min_orgs=svc.min_space_orgs)
    except RuleBroken as problem:
        return error(422, str(problem))
    return JSONResponse(await document(request, space), status_code=201)


async def managed_space(request: Request, member: Member):
    """(space, None) when the caller is its admin; else (None, the 404 or 403 answer)."""
    svc = services_of(request)
    slug = request.path_params["slug"]
    try:
        space = await readable_space(svc.db, member, slug)
    except NotFound:
        return None, error(404, f"no space {slug!r} that you can read")
    if not await is_space_admin(svc.db, member, space):
        return space, error(403, f"only an admin of space {space.slug} may change its members")
    return space, None


@authenticated
async def add_member(request: Request, member: Member) -> JSONResponse:
    svc = services_of(request)
    space, refusal = await managed_space(request, member)
    if refusal is not None:
        return refusal
    try:
        doc = await body_of(request)
    except BadBody as problem:
        return error(400, str(problem))
    if set(doc) - {"email", "mode"} or not isinstance(doc.get("email"), str):
        return error(422, "send {\"email\": \"name@example.lg.jp\"} (and optionally \"mode\")")
    try:
        await add_members(svc.db, actor(request, member), space, [doc["email"]], mode=doc.get("mode", "digest"))
    except RuleBroken as problem:
        return error(422, str(problem))
    added = await find_member_by_address(svc.db, doc["email"])
    membership = await get_membership(svc.db, space.id, added.id)
    return JSONResponse({"slug": space.slug, "email": added.email, "role": membership.role, "mode": membership.mode},
                        status_code=201)


@authenticated
async def delete_member(request: Request, member: Member) -> JSONResponse:
    svc = services_of(request)
    email = request.path_params["email"]
    target = await find_member_by_address(svc.db, email)
    leaving = target is not None and target.id == member.id
    space, refusal = await managed_space(request, member)
    if refusal is not None and not (leaving and space is not None):
        return refusal
    if target is None or await get_membership(svc.db, space.id, target.id) is None:
        return error(404, f"{email} is not a member of space {space.slug}")
    try:
        await remove_member(svc.db, actor(request, member), space, target, action="left" if leaving else "removed")
    except RuleBroken as problem:
        return error(422, str(problem))
    return JSONResponse({"slug": space.slug, "email": target.email, "removed": True})


routes = [
    Route("/api/spaces", create_space, methods=["POST"]),
    Route("/api/spaces/{slug}/members", add_member, methods=["POST"]),
    Route("/api/spaces/{slug}/members/{email}", delete_member, methods=["DELETE"]),
]
