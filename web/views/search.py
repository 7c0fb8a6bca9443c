"""The search page: a box, hits grouped by thread (or one per post), facets, sorting, paging.

The search service (search.service, on `WebServices.search`) filters by what
the member may read; this page also refuses a space filter the member can't
read (404) and drops any hit outside their spaces, so a fault there cannot
leak a snippet. Facets (space, organization, period) narrow by links that
keep the other choices.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.routing import Route

from archive.access import readable_space, readable_spaces
from archive.errors import Invalid
from search.topics import PERIOD_KEYS
from web.auth import require_member
from web.templating import render, translate
from web.views.common import Paging, int_param, services_of

log = logging.getLogger(__name__)

PER_PAGE = 20
MAX_QUERY_CHARS = 200
VIEWS = ("threads", "posts")


def choices(request: Request) -> dict[str, str]:
    """The page's choices from the query string, each checked (anything unknown is dropped)."""
    params = request.query_params
    org = params.get("org", "").strip().lower()[:64]
    period = params.get("period", "")
    return {"q": " ".join(params.get("q", "").split())[:MAX_QUERY_CHARS],
            "space": params.get("space", "").strip()[:64],
            "org": org if org.replace("-", "").replace("_", "").isalnum() else "",
            "period": period if period in PERIOD_KEYS else "",
            "sort": "date" if params.get("sort") == "date" else "",
            "view": "posts" if params.get("view") == "posts" else ""}


def link(chosen: dict[str, str], **changes: str) -> str:
    """The search URL with these choices changed (an empty value drops it); back to page 1."""
    merged = {**chosen, **changes}
    return "/search?" + urlencode({k: v for k, v in merged.items() if v})


async def search_page(request: Request):
    member = require_member(request)
    services = services_of(request)
    chosen = choices(request)
    query, slug = chosen["q"], chosen["space"]
    sort = chosen["sort"] or "relevance"
    by_thread = chosen["view"] != "posts"
    page = int_param(request, "page", high=500)
    space = await readable_space(services.db, member, slug) if slug else None
    spaces = await readable_spaces(services.db, member)
    context = {"query": query, "space": space, "spaces": spaces, "sort": sort, "results": None, "hits": [],
               "threads": [], "paging": None, "unavailable": services.search is None, "error": "",
               "chosen": chosen, "link": lambda **c: link(chosen, **c), "by_thread": by_thread}
    if query and services.search is not None:
        try:
            results = await services.search.search(
                member, query, space=space.slug if space else None, sort=sort, page=page, per_page=PER_PAGE,
                org=chosen["org"] or None, period=chosen["period"] or None, by_thread=by_thread, facets=True)
        except Invalid as error:
            context["error"] = translate(request, "検索語を解釈できませんでした。言葉を変えてお試しください。")
            log.info("search refused %r: %s", query, error)
            return render(request, "search.html", context, status_code=400)
        allowed = {s.slug for s in spaces}
        shown = (page - 1) * PER_PAGE + len(results.hits)
        total = shown + (1 if results.more else 0) if by_thread else results.total      # threads: is there more?
        context.update(results=results, hits=[h for h in results.hits if h.space in allowed],
                       threads=[t for t in results.threads if t.best.space in allowed],
                       paging=Paging(page, PER_PAGE, total))
    return render(request, "search.html", context)


routes = [Route("/search", search_page, name="search")]
