"""The inquiry pages: the matrix (sortable), its CSV/XLSX, 該当なし, and the asker's edits.

    GET  /s/{slug}/t/{id}/inquiry            the matrix (or, for a plain thread, a form to make it one)
    GET  /s/{slug}/t/{id}/inquiry.csv|.xlsx  the matrix for Excel, every answer in full
    POST /s/{slug}/t/{id}/inquiry/open       make the thread an inquiry of the member's organization
    POST /s/{slug}/t/{id}/inquiry/edit       the asking organization changes deadline and targets
    POST /s/{slug}/t/{id}/inquiry/mark       a target's org admin: 該当なし (na=1) or reopen (na=0)

Members only: everything goes through archive.access; a space or thread the member
can't read answers 404 like one that doesn't exist. Not allowed to change: 403.
"""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from archive.access import readable_space
from archive.clock import to_iso
from archive.errors import Conflict, Invalid, NotFound
from archive.inquiries import (can_edit, can_mark, find_inquiry, list_events, open_inquiry, set_deadline,
                               set_not_applicable, set_targets)
from archive.inquiry_status import SORT_KEYS, STATUS_LABELS, counts, inquiry_rows, sort_rows
from archive.threads import get_thread
from web.inquiry_export import MatrixExport, export_filename, format_day, format_moment, to_csv, to_xlsx
from web.urls import attachment_path, inquiry_path, post_path, thread_path
from web.viewer import bearer_member

TEMPLATES = Path(__file__).parent / "templates"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _context(request: Request):
    """(services, member, space, thread) or 404 alike for what is missing and what may not be seen."""
    services = request.app.state.services
    resolve = services.current_member or (lambda r: bearer_member(services.db, r))
    member = await resolve(request)
    try:
        space = await readable_space(services.db, member, request.path_params["slug"])
        thread = await get_thread(services.db, int(request.path_params["thread_id"]))
    except NotFound:
        raise HTTPException(404)
    if thread.space_id != space.id:
        raise HTTPException(404)
    return services, member, space, thread


async def _matrix(services, inquiry, thread, space, sort: str = "org", desc: bool = False) -> MatrixExport:
    rows = sort_rows(await inquiry_rows(services.db, inquiry, services.clock(), services.timezone), sort, desc)
    return MatrixExport(inquiry, thread, space, rows, services.timezone,
                        lambda a: services.base_url + attachment_path(space.slug, a.id, a.filename))


async def space_orgs(services, space_id: int) -> list[tuple[str, str]]:
    """(slug, name) of the organizations with members in the space: the choices for targets."""
    rows = await services.db.fetchall(
        """SELECT DISTINCT o.slug, o.name FROM memberships ms JOIN members m ON m.id = ms.member_id
           JOIN orgs o ON o.id = m.org_id WHERE ms.space_id = ? ORDER BY o.slug""", (space_id,))
    return [(r["slug"], r["name"]) for r in rows]


def matrix_page(templates: Jinja2Templates):
    async def page(request: Request) -> Response:
        services, member, space, thread = await _context(request)
        inquiry = await find_inquiry(services.db, thread.id)
        values = dict(space=space, thread=thread, member=member, inquiry=inquiry, labels=STATUS_LABELS,
                      thread_url=thread_path(space.slug, thread.id), format_day=format_day,
                      moment=lambda iso: format_moment(iso, services.timezone), error=request.query_params.get("e"))
        if inquiry is None:
            return templates.TemplateResponse(request, "inquiry.html", values)
        sort = request.query_params.get("sort", "org")
        sort = sort if sort in SORT_KEYS else "org"
        desc = request.query_params.get("desc") == "1"
        export = await _matrix(services, inquiry, thread, space, sort, desc)
        values.update(rows=export.rows, counts=counts(export.rows), sort=sort, desc=desc,
                      can_edit=can_edit(inquiry, member), can_mark=can_mark(inquiry, member),
                      orgs=await space_orgs(services, space.id), events=await list_events(services.db, thread.id),
                      targets={t.org.slug for t in inquiry.targets}, base=inquiry_path(space.slug, thread.id),
                      post_url=lambda post: post_path(space.slug, thread.id, post.id),
                      attachment_url=lambda a: attachment_path(space.slug, a.id, a.filename))
        return templates.TemplateResponse(request, "inquiry.html", values)
    return page


def export_file(kind: str):
    """The matrix as `kind` (csv or xlsx), for members of the space."""
    async def download(request: Request) -> Response:
        services, member, space, thread = await _context(request)
        inquiry = await find_inquiry(services.db, thread.id)
        if inquiry is None:
            raise HTTPException(404)
        export = await _matrix(services, inquiry, thread, space)
        if kind == "csv":
            body, media = to_csv(export), "text/csv; charset=utf-8"
        else:
            body, media = await asyncio.to_thread(to_xlsx, export, to_iso(services.clock())), XLSX_TYPE
        return Response(body, media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="{export_filename(thread, kind)}"'})
    return download


def _back(space, thread, error: str = "") -> RedirectResponse:
    return RedirectResponse(inquiry_path(space.slug, thread.id) + (f"?e={error}" if error else ""), status_code=303)


def _deadline(text: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Invalid("回答期限は 2026-12-05 の形で入力してください")


async def open_action(request: Request) -> Response:
    services, member, space, thread = await _context(request)
    form = await request.form()
    try:
        await open_inquiry(services.db, thread, member, _deadline(form.get("deadline", "")), None, "web")
    except (Invalid, Conflict):
        return _back(space, thread, "invalid")
    return _back(space, thread)


async def edit_action(request: Request) -> Response:
    services, member, space, thread = await _context(request)
    inquiry = await find_inquiry(services.db, thread.id)
    if inquiry is None:
        raise HTTPException(404)
    if not can_edit(inquiry, member):
        raise HTTPException(403, "照会元の団体のメンバーだけが変更できます")
    form = await request.form()
    try:
        deadline = _deadline(form.get("deadline", ""))
        if deadline != inquiry.deadline:
            inquiry = await set_deadline(services.db, inquiry, deadline, member)
        targets = form.getlist("target")
        if sorted(targets) != sorted(t.org.slug for t in inquiry.targets):
            await set_targets(services.db, inquiry, list(targets), member)
    except (Invalid, NotFound):
        return _back(space, thread, "invalid")
    return _back(space, thread)


async def mark_action(request: Request) -> Response:
    services, member, space, thread = await _context(request)
    inquiry = await find_inquiry(services.db, thread.id)
    if inquiry is None:
        raise HTTPException(404)
    if not can_mark(inquiry, member):
        raise HTTPException(403, "対象団体の団体管理者だけが「該当なし」にできます")
    form = await request.form()
    await set_not_applicable(services.db, inquiry, member.org_id, form.get("na") == "1", member)
    return _back(space, thread)


def inquiry_routes() -> list[Route]:
    templates = Jinja2Templates(directory=str(TEMPLATES))
    base = "/s/{slug}/t/{thread_id:int}/inquiry"
    return [Route(base, matrix_page(templates)),
            Route(base + ".csv", export_file("csv")),
            Route(base + ".xlsx", export_file("xlsx")),
            Route(base + "/open", open_action, methods=["POST"]),
            Route(base + "/edit", edit_action, methods=["POST"]),
            Route(base + "/mark", mark_action, methods=["POST"])]

