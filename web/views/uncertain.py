"""For system admins: recent posts whose quote stripping may have gone wrong, so the rules can be improved.

    GET /admin/extraction     newest low-confidence posts with their reasons (others: 404, as if it didn't exist)

A row shows the subject and a link only when the admin is a member of the space
(members only: administrators manage but do not read).
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Route

from archive.admin import roles
from archive.review import count_low_confidence, recent_low_confidence
from web.auth import require_member
from web.templating import render
from web.views.common import services_of

PATH = "/admin/extraction"


async def extraction_page(request: Request):
    member = require_member(request)
    if not roles.is_system_admin(member):
        raise HTTPException(404)
    db = services_of(request).db
    rows = await recent_low_confidence(db, member)
    return render(request, "admin_extraction.html", {"rows": rows, "total": await count_low_confidence(db)})


routes = [Route(PATH, extraction_page, methods=["GET"])]
