"""The search page: a box, a space filter, sorting, highlighted snippets and paging.

The search service (search.service, on `WebServices.search`) filters by what
the member may read; this page also refuses a space filter the member can't
read (404) and drops any hit outside their spaces, so a fault there cannot
leak a snippet.
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.routing import Route

from archive.access import readable_space, readable_spaces
from archive.errors import Invalid
from web.auth import require_member
from web.templating import render, translate
from web.views.common import Paging, int_param, services_of

log = logging.getLogger(__name__)

PER_PAGE = 20
MAX_QUERY_CHARS = 200


async def search_page(request: Request):
    member = require_member(request)
    services = services_of(request)
    query = " ".join(request.query_params.get("q", "").split())[:MAX_QUERY_CHARS]
    slug = request.query_params.get("space", "").strip()
    sort = "date" if request.query_params.get("sort") == "date" else "relevance"
    page = int_param(request, "page", high=500)
    space = await readable_space(services.db, member, slug) if slug else None
    spaces = await readable_spaces(services.db, member)
    context = {"query": query, "space": space, "spaces": spaces, "sort": sort, "results": None, "hits": [],
               "paging": None, "unavailable": services.search is None, "error": ""}
    if query and services.search is not None:
        try:
            results = await services.search.search(member, query, space=space.slug if space else None, sort=sort,
                                                   page=page, per_page=PER_PAGE)
        except Invalid as error:
            context["error"] = translate(request, "検索語を解釈できませんでした。言葉を変えてお試しください。")
            log.info("search refused %r: %s", query, error)
            return render(request, "search.html", context, status_code=400)
        allowed = {s.slug for s in spaces}
        context.update(results=results, hits=[h for h in results.hits if h.space in allowed],
                       paging=Paging(page, PER_PAGE, results.total))
    return render(request, "search.html", context)


routes = [Route("/search", search_page, name="search")]
