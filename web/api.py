"""The JSON API: the caller's spaces, one space as a document, search. Bearer-token authenticated.

Shapes are those of the `kairan` command (`show --json`, `search --json`). A
space the caller may not read answers 404 exactly like one that does not
exist; a missing, unknown or revoked token (or an inactive member) answers 401.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from archive.access import readable_space, readable_spaces
from archive.errors import NotFound
from archive.export import space_document
from archive.inquiries.status import inquiry_reader
from archive.models import Attachment, Member, Space, Thread
from archive.tokens import member_for_token
from search.service import results_document
from web.urls import WebLinks
from web.viewer import bearer_token
from web.views.common import services_of

PER_PAGE = 20


class Unauthorized(Exception):
    pass


def error(status: int, message: str, **headers: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def _not_found(slug: str) -> JSONResponse:
    return error(404, f"no space {slug!r} that you can read")


async def caller(request: Request) -> Member:
    token = bearer_token(request)
    if token is None:
        raise Unauthorized("send an API token: 'Authorization: Bearer TOKEN' (create one with 'kairan token create')")
    member = await member_for_token(services_of(request).db, token)
    if member is None:
        raise Unauthorized("the API token is not valid: create a new one with 'kairan token create EMAIL'")
    return member


def authenticated(handler):
    """Runs the handler with the calling member, or answers 401."""
    async def endpoint(request: Request) -> JSONResponse:
        try:
            member = await caller(request)
        except Unauthorized as problem:
            return error(401, str(problem), **{"WWW-Authenticate": 'Bearer realm="kairan"'})
        return await handler(request, member)
    endpoint.__name__ = handler.__name__
    return endpoint


@authenticated
async def list_spaces(request: Request, member: Member) -> JSONResponse:
    domain = services_of(request).domain
    return JSONResponse({"spaces": [{"slug": s.slug, "title": s.title, "address": s.address(domain)}
                                    for s in await readable_spaces(services_of(request).db, member)]})


@authenticated
async def show_space(request: Request, member: Member) -> JSONResponse:
    slug = request.path_params["slug"]
    svc = services_of(request)
    try:
        space = await readable_space(svc.db, member, slug)
    except NotFound:
        return _not_found(slug)
    links = WebLinks(svc.base_url or str(request.base_url))

    def attachment_url(space: Space, thread: Thread, attachment: Attachment) -> str:
        return links.attachment(space.slug, attachment.id, attachment.filename)

    return JSONResponse(await space_document(svc.db, space, svc.domain, attachment_url=attachment_url,
                                             inquiry_of=inquiry_reader(svc.db, svc.clock, svc.timezone)))


@authenticated
async def search(request: Request, member: Member) -> JSONResponse:
    svc = services_of(request)
    params = request.query_params
    slug = params.get("space") or None
    if slug is not None:
        try:
            await readable_space(svc.db, member, slug)
        except NotFound:
            return _not_found(slug)
    if svc.search is None:
        return error(503, "search is not available on this server")
    page = params.get("page", "1")
    results = await svc.search.search(member, params.get("q", ""), space=slug,
                                      sort="date" if params.get("sort") == "date" else "relevance",
                                      page=int(page) if page.isdigit() else 1, per_page=PER_PAGE)
    return JSONResponse({**results_document(results), "page": results.page, "per_page": results.per_page})


ROUTES = [
    Route("/api/spaces", list_spaces),
    Route("/api/spaces/{slug}", show_space),
    Route("/api/search", search),
]
