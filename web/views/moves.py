"""/admin/moves: personnel changes (人事異動) staged for a date — upload a CSV, its preview (every bad
row named, spaces left with one organization flagged), then schedule all or none; the list, cancel.

    GET  /admin/moves                  scheduled, applied and cancelled moves, and the upload form
    POST /admin/moves                  upload → the preview
    POST /admin/moves/apply/{token}    schedule the previewed file
    POST /admin/moves/{id}/cancel      cancel a scheduled move

System admins see and schedule every move; an org admin those of their organization's members.
The rules are archive.moves'; the moves are applied at 00:00 of their date by `kairan serve`.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from archive.admin import roles, uploads
from archive.admin.audit import actor_of
from archive.errors import Conflict, Invalid
from archive.members import get_member
from archive.models import Member
from archive.moves.csvfile import CsvProblem
from archive.moves.schedule import Preview, cancel_move, get_move, list_moves, preview, schedule
from web.auth import client_address
from web.sessions import csrf_ok
from web.templating import render, translate
from web.views.administration.common import checked_form, require_admin
from web.views.common import path_int, services_of

MOVES_PATH = "/admin/moves"
MAX_BYTES = 10 * 1024 * 1024


async def visible_moves(request: Request, admin: Member) -> list:
    db = services_of(request).db
    moves = await list_moves(db)
    if roles.is_system_admin(admin):
        return moves
    mine = []
    for move in moves:
        if roles.can_manage_member(admin, await get_member(db, move.member_id)):
            mine.append(move)
    return mine


async def page(request: Request, admin: Member, planned: Preview | None = None, token: str = "", error: str = "",
               status_code: int = 200):
    return render(request, "admin_moves.html", {
        "moves": await visible_moves(request, admin), "planned": planned, "token": token, "error": error,
        "done": request.query_params.get("done", "")}, status_code=status_code)


async def moves_page(request: Request):
    return await page(request, require_admin(request))


async def checked_preview(request: Request, admin: Member, content: bytes) -> Preview:
    """The archive's preview, plus a refusal for each row this admin may not move."""
    services = services_of(request)
    today = services.clock().astimezone(ZoneInfo(services.timezone)).date()
    planned = await preview(services.db, content, today, services.min_space_orgs)
    for move in list(planned.moves):
        if not roles.can_manage_member(admin, move.member):
            planned.errors.append(f"line {move.row.line}: you may not move {move.member.email}: "
                                  "they are not a member of your organization")
            planned.moves.remove(move)
    return planned


async def upload(request: Request):
    admin = require_admin(request)
    form = await request.form(max_files=1, max_fields=5, max_part_size=MAX_BYTES)
    await checked_form_values(request, form)
    file = form.get("file")
    if not isinstance(file, UploadFile):
        return await page(request, admin, error=translate(request, "CSV ファイルを選んでください。"), status_code=400)
    content = await file.read(MAX_BYTES + 1)
    try:
        planned = await checked_preview(request, admin, content[:MAX_BYTES])
    except CsvProblem as problem:
        return await page(request, admin, error=str(problem), status_code=400)
    token = "" if planned.errors or not planned.moves else await uploads.keep(
        services_of(request).db, admin.id, file.filename or "moves.csv", content)
    return await page(request, admin, planned, token, status_code=200 if token else 422)


async def checked_form_values(request: Request, form) -> None:
    if not csrf_ok(request, form, services_of(request).secret_key):
        raise HTTPException(403)


async def apply_upload(request: Request):
    admin = require_admin(request)
    await checked_form(request)
    db = services_of(request).db
    _, content = await uploads.fetch(db, admin.id, request.path_params["token"])
    planned = await checked_preview(request, admin, content)
    try:
        count = await schedule(db, actor_of(admin, client_address(request)), planned)
    except Invalid:
        return await page(request, admin, planned, status_code=422)
    await uploads.drop(db, request.path_params["token"])
    return RedirectResponse(f"{MOVES_PATH}?done={count}", status_code=303)


async def cancel(request: Request):
    admin = require_admin(request)
    await checked_form(request)
    db = services_of(request).db
    move = await get_move(db, path_int(request, "move_id"))
    roles.require(roles.can_manage_member(admin, await get_member(db, move.member_id)),
                  "you may not cancel the moves of another organization's members")
    try:
        await cancel_move(db, actor_of(admin, client_address(request)), move.id)
    except Conflict as problem:
        return await page(request, admin, error=str(problem), status_code=409)
    return RedirectResponse(f"{MOVES_PATH}?done=cancelled", status_code=303)


routes = [
    Route(MOVES_PATH, moves_page, methods=["GET"]),
    Route(MOVES_PATH, upload, methods=["POST"]),
    Route(MOVES_PATH + "/apply/{token}", apply_upload, methods=["POST"]),
    Route(MOVES_PATH + "/{move_id:int}/cancel", cancel, methods=["POST"]),
]
