"""/admin/audit: the audit log — system admins all of it, org admins their organization's members'.

    GET /admin/audit?since=YYYY-MM-DD&until=YYYY-MM-DD&action=A&org=SLUG&person=EMAIL&page=N
    GET /admin/audit.csv?…      the same filters, every matching entry, UTF-8 with BOM for Excel

Dates are days in Asia/Tokyo (until: that whole day); entries are stored in UTC and shown in Tokyo time.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from archive.admin import roles
from archive.admin.audit import ACTIONS, Filters, count_entries, list_entries
from archive.admin.csvfile import excel_safe
from archive.admin.organizations import orgs_in_order
from archive.clock import to_iso
from archive.members import find_member_by_address
from web.templating import render
from web.views.administration.common import require_admin
from web.views.common import Paging, int_param, services_of

AUDIT_PATH = "/admin/audit"
PER_PAGE = 100


def day(text: str, zone: ZoneInfo, end: bool = False) -> str | None:
    try:
        chosen = date.fromisoformat(text.strip())
    except ValueError:
        return None
    moment = datetime.combine(chosen + timedelta(days=1 if end else 0), time(0), zone)
    return to_iso(moment)


async def filters_of(request: Request, admin) -> tuple[Filters, dict]:
    """The query's filters, narrowed to what this admin may read (an org admin: their organization)."""
    services = services_of(request)
    params, zone = request.query_params, ZoneInfo(services.timezone)
    may, own_org = roles.audit_scope(admin)
    roles.require(may, "only system admins and org admins may read the audit log")
    orgs = await orgs_in_order(services.db)
    org = next((o for o in orgs if o.slug == params.get("org", "").strip().lower()), None)
    if own_org is not None:
        roles.require(org is None or org.id == own_org, "you may read only your own organization's entries")
        org = next(o for o in orgs if o.id == own_org)
    person = await find_member_by_address(services.db, params["person"]) if "@" in params.get("person", "") else None
    action = params.get("action", "")
    shown = {"since": params.get("since", "")[:10], "until": params.get("until", "")[:10],
             "action": action if action in ACTIONS else "", "org": org.slug if org else "",
             "person": params.get("person", "")[:320]}
    filters = Filters(since=day(shown["since"], zone), until=day(shown["until"], zone, end=True),
                      action=shown["action"] or None, org_id=org.id if org else None,
                      person_id=person.id if person else (-1 if shown["person"] else None))
    return filters, {"orgs": orgs if own_org is None else [org], **shown}


async def audit_page(request: Request):
    admin = require_admin(request)
    filters, shown = await filters_of(request, admin)
    db = services_of(request).db
    paging = Paging(int_param(request, "page"), PER_PAGE, await count_entries(db, filters))
    entries = await list_entries(db, filters, limit=PER_PAGE, offset=paging.offset)
    query = urlencode({k: v for k, v in shown.items() if k != "orgs" and v})
    return render(request, "admin_audit.html", {"entries": entries, "paging": paging, "actions": ACTIONS,
                                                "shown": shown, "query": query,
                                                "details": {e.id: json.dumps(e.detail, ensure_ascii=False)
                                                            for e in entries}})


async def audit_csv(request: Request):
    admin = require_admin(request)
    filters, _ = await filters_of(request, admin)
    services = services_of(request)
    zone = ZoneInfo(services.timezone)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["番号", "日時", "実行者", "接続元", "操作", "対象", "内容"])
    offset = 0
    while entries := await list_entries(services.db, filters, limit=5000, offset=offset, newest_first=False):
        for e in entries:
            local = datetime.fromisoformat(e.at.replace("Z", "+00:00")).astimezone(zone)
            writer.writerow([e.id, f"{local:%Y-%m-%d %H:%M:%S}", *(excel_safe(v) for v in (
                e.actor, e.client, e.action, e.target, json.dumps(e.detail, ensure_ascii=False)))])
        offset += len(entries)
    return Response(codecs.BOM_UTF8 + out.getvalue().encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="audit.csv"'})


routes = [
    Route(AUDIT_PATH, audit_page, methods=["GET"]),
    Route(AUDIT_PATH + ".csv", audit_csv, methods=["GET"]),
]
