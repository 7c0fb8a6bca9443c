"""The inquiry pages: the matrix (sortable), its CSV/XLSX, 該当なし, and the asker's edits.

    GET  /s/{slug}/t/{id}/inquiry            the matrix (or, for a plain thread, a form to make it one)
    GET  /s/{slug}/t/{id}/inquiry.csv|.xlsx  the matrix for Excel, every answer in full
    POST /s/{slug}/t/{id}/inquiry/open       make the thread an inquiry of the member's organization
    POST /s/{slug}/t/{id}/inquiry/edit       the asking organization changes deadline and targets
    POST /s/{slug}/t/{id}/inquiry/mark       a target's org admin: 該当なし (na=1) or reopen (na=0)

Members only, like every page: no session sends the browser to sign in; a space or
thread the member can't read answers 404 like one that doesn't exist; not allowed to
change: 403. A signed-in member's forms carry the CSRF token; scripts may use an API
token instead (a header no other site can make a browser send).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from archive.access import readable_space
from archive.clock import to_iso
from archive.errors import Conflict, Invalid, NotFound
from archive.inquiries.records import (Inquiry, can_edit, can_mark, find_inquiry, list_events, open_inquiry, set_deadline,
                               set_not_applicable, set_targets)
from archive.inquiries.status import SORT_KEYS, counts, inquiry_rows, sort_rows
from archive.models import Member, Space, Thread
from archive.threads import get_thread
from web.auth import SignInRequired, current_member
from web.views.inquiries.export import MatrixExport, export_filename, to_csv, to_xlsx
from web.services import WebServices
from web.sessions import csrf_ok
from web.templating import render
from web.urls import attachment_path, inquiry_path, post_path, thread_path
from web.viewer import bearer_member
from web.views.common import path_int

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Asked:
    """Who asks about which thread, and whether they came with a session (then forms need the CSRF token)."""
    services: WebServices
    member: Member
    space: Space
    thread: Thread
    by_session: bool


async def _context(request: Request) -> Asked:
    services = request.app.state.services
    member = current_member(request)
    by_session = member is not None
    if member is None:
        member = await bearer_member(services.db, request)
    if member is None:
        if request.headers.get("authorization"):
            raise HTTPException(401)
        raise SignInRequired()
    space = await readable_space(services.db, member, request.path_params["slug"])
    thread = await get_thread(services.db, path_int(request, "thread_id"))
    if thread.space_id != space.id:
        raise NotFound("no such thread in this space")
    return Asked(services, member, space, thread, by_session)


async def _form(request: Request, asked: Asked):
    form = await request.form(max_files=0, max_fields=200)
    if asked.by_session and not csrf_ok(request, form, asked.services.secret_key):
        raise HTTPException(403)
    return form


async def _matrix(services, inquiry, thread, space, sort: str = "org", desc: bool = False) -> MatrixExport:
    rows = sort_rows(await inquiry_rows(services.db, inquiry, services.clock(), services.timezone), sort, desc)
    return MatrixExport(inquiry, thread, space, rows, services.timezone,
                        lambda a: services.base_url + attachment_path(space.slug, a.id, a.filename))


async def matrix_values(services: WebServices, member: Member, space: Space, thread: Thread, inquiry: Inquiry,
                        sort: str = "org", desc: bool = False, back_to_thread: bool = False) -> dict:
    """What `inquiry_matrix.html` needs; the thread page and the inquiry page both show it."""
    sort = sort if sort in SORT_KEYS else "org"
    export = await _matrix(services, inquiry, thread, space, sort, desc)
    return dict(inquiry=inquiry, rows=export.rows, counts=counts(export.rows), sort=sort, desc=desc,
                can_mark=can_mark(inquiry, member), back_to_thread=back_to_thread, base=inquiry_path(space.slug, thread.id),
                post_url=lambda post: post_path(space.slug, thread.id, post.id),
                attachment_url=lambda a: attachment_path(space.slug, a.id, a.filename))


async def space_orgs(services, space_id: int) -> list[tuple[str, str]]:
    """(slug, name) of the organizations with members in the space: the choices for targets."""
    rows = await services.db.fetchall(
        """SELECT DISTINCT o.slug, o.name FROM memberships ms JOIN members m ON m.id = ms.member_id
           JOIN orgs o ON o.id = m.org_id WHERE ms.space_id = ? ORDER BY o.slug""", (space_id,))
    return [(r["slug"], r["name"]) for r in rows]


async def matrix_page(request: Request) -> Response:
    asked = await _context(request)
    services, member, space, thread = asked.services, asked.member, asked.space, asked.thread
    inquiry = await find_inquiry(services.db, thread.id)
    values = dict(space=space, thread=thread, inquiry=inquiry, member=member, error=request.query_params.get("e") == "invalid")
    if inquiry is not None:
        sort, desc = request.query_params.get("sort", "org"), request.query_params.get("desc") == "1"
        values.update(await matrix_values(services, member, space, thread, inquiry, sort, desc))
        values.update(can_edit=can_edit(inquiry, member), orgs=await space_orgs(services, space.id),
                      events=await list_events(services.db, thread.id),
                      targets={t.org.slug for t in inquiry.targets})
    return render(request, "inquiry.html", values)


def export_file(kind: str):
    """The matrix as `kind` (csv or xlsx), for members of the space."""
    async def download(request: Request) -> Response:
        asked = await _context(request)
        services = asked.services
        inquiry = await find_inquiry(services.db, asked.thread.id)
        if inquiry is None:
            raise NotFound("not an inquiry")
        export = await _matrix(services, inquiry, asked.thread, asked.space)
        if kind == "csv":
            body, media = to_csv(export), "text/csv; charset=utf-8"
        else:
            body, media = await asyncio.to_thread(to_xlsx, export, to_iso(services.clock())), XLSX_TYPE
        return Response(body, media_type=media, headers={
            "Content-Disposition": f'attachment; filename="{export_filename(asked.thread, kind)}"'})
    return download


def _back(asked: Asked, error: bool = False, to_thread: bool = False) -> RedirectResponse:
    if to_thread and not error:
        return RedirectResponse(thread_path(asked.space.slug, asked.thread.id) + "#inquiry", status_code=303)
    return RedirectResponse(inquiry_path(asked.space.slug, asked.thread.id) + ("?e=invalid" if error else ""),
                            status_code=303)


def _deadline(text: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Invalid("回答期限は 2026-12-05 の形で入力してください")


async def open_action(request: Request) -> Response:
    asked = await _context(request)
    form = await _form(request, asked)
    try:
        await open_inquiry(asked.services.db, asked.thread, asked.member, _deadline(str(form.get("deadline", ""))),
                           None, "web")
    except (Invalid, Conflict):
        return _back(asked, error=True)
    return _back(asked)


async def edit_action(request: Request) -> Response:
    asked = await _context(request)
    db = asked.services.db
    inquiry = await find_inquiry(db, asked.thread.id)
    if inquiry is None:
        raise NotFound("not an inquiry")
    if not can_edit(inquiry, asked.member):
        raise HTTPException(403, "照会元の団体のメンバーだけが変更できます")
    form = await _form(request, asked)
    try:
        deadline = _deadline(str(form.get("deadline", "")))
        targets = [str(t) for t in form.getlist("target")]
        if not targets:
            raise Invalid("an inquiry needs at least one target organization")
        if deadline != inquiry.deadline:
            inquiry = await set_deadline(db, inquiry, deadline, asked.member)
        if sorted(targets) != sorted(t.org.slug for t in inquiry.targets):
            await set_targets(db, inquiry, targets, asked.member)
    except (Invalid, NotFound):
        return _back(asked, error=True)
    return _back(asked)


async def mark_action(request: Request) -> Response:
    asked = await _context(request)
    inquiry = await find_inquiry(asked.services.db, asked.thread.id)
    if inquiry is None:
        raise NotFound("not an inquiry")
    if not can_mark(inquiry, asked.member):
        raise HTTPException(403, "対象団体の団体管理者だけが「該当なし」にできます")
    form = await _form(request, asked)
    await set_not_applicable(asked.services.db, inquiry, asked.member.org_id, form.get("na") == "1", asked.member)
    return _back(asked, to_thread=form.get("back") == "thread")


def inquiry_routes() -> list[Route]:
    base = "/s/{slug}/t/{thread_id:int}/inquiry"
    return [Route(base, matrix_page),
            Route(base + ".csv", export_file("csv")),
            Route(base + ".xlsx", export_file("xlsx")),
            Route(base + "/open", open_action, methods=["POST"]),
            Route(base + "/edit", edit_action, methods=["POST"]),
            Route(base + "/mark", mark_action, methods=["POST"])]
