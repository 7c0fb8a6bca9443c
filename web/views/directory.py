"""職員名簿 (the staff directory), for every signed-in member: organizations → departments → people.

    GET /directory?org=SLUG&q=WORDS

Without a query it shows one organization (the member's own unless another is chosen); a query
searches names, readings, departments and addresses across all (or the chosen) organization.
"""

from __future__ import annotations

from dataclasses import replace

from starlette.requests import Request
from starlette.routing import Route

from archive.admin.directory import OrgGroup, directory
from archive.admin.organizations import summaries
from web.auth import require_member
from web.templating import render
from web.views.common import services_of

MAX_SHOWN = 500
DIRECTORY_PATH = "/directory"


async def directory_page(request: Request):
    member = require_member(request)
    db = services_of(request).db
    found = await summaries(db)
    orgs = [s.org for s in found]
    query = request.query_params.get("q", "").strip()[:100]
    slug = request.query_params.get("org", "").strip().lower()
    chosen = next((o for o in orgs if o.slug == slug), None)
    if chosen is None and not query:
        chosen = next((o for o in orgs if o.id == member.org_id), orgs[0] if orgs else None)
    groups = await directory(db, orgs, query, chosen.id if chosen else None) if orgs else []
    total = sum(g.count for g in groups)
    return render(request, "directory.html", {
        "summaries": found, "groups": first_people([g for g in groups if g.count or not query], MAX_SHOWN),
        "chosen": chosen, "query": query, "total": total, "limit": MAX_SHOWN, "truncated": total > MAX_SHOWN})


def first_people(groups: list[OrgGroup], limit: int) -> list[OrgGroup]:
    """The groups cut after `limit` people (a broad query across 20,000 members stays one page)."""
    kept, left = [], limit
    for group in groups:
        departments = []
        for dept in group.departments:
            if left <= 0:
                break
            departments.append(replace(dept, people=dept.people[:left]))
            left -= len(departments[-1].people)
        kept.append(replace(group, departments=tuple(departments)))
    return kept


routes = [Route(DIRECTORY_PATH, directory_page, methods=["GET"], name="directory")]
