"""Why kairan refused a mail, and what to do: `/help/refused/NAME`, linked from every SMTP refusal.

The reply of a refused mail is ASCII English (SMTP's rule) and reaches staff
inside the bounce their own mail server writes; the link in it leads here.
The pages are public: the person refused is often not a member, not signed in.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Route

from web.templating import render
from web.views.common import services_of

PAGES = ("not-member", "unknown-space", "unknown-thread", "closed", "too-big", "too-many-recipients",
         "auto-reply", "loop", "no-from")


async def refused_page(request: Request):
    name = request.path_params.get("name", "")
    if name and name not in PAGES:
        raise HTTPException(404)
    services = services_of(request)
    return render(request, "help_refused.html", {
        "page": name, "pages": PAGES, "domain": services.domain,
        "limit_mb": services.max_upload_bytes // (1024 * 1024)})


routes = [
    Route("/help/refused/", refused_page, methods=["GET"]),
    Route("/help/refused/{name}", refused_page, methods=["GET"]),
]
