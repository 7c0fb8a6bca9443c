"""A space's records page, for its admins: retention class, 廃棄予定, export downloads, import uploads.

    GET  /s/SLUG/records                  the page
    POST /s/SLUG/records/retention        change the retention class (audited)
    GET  /s/SLUG/records/export.mbox|zip  the export (audited)
    POST /s/SLUG/records/import           upload an mbox or a .zip of .eml files
    GET  /s/SLUG/records/import/ID        the import's progress (refreshes itself while it runs)
"""

from __future__ import annotations

import asyncio
import secrets
import shutil
import tempfile
from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, StreamingResponse
from starlette.routing import Route

from archive.admin.roles import is_space_admin, require
from archive.errors import Invalid, NotFound
from archive.retention.classes import CLASSES, RetentionPolicy
from archive.retention.due import due_threads, set_retention, space_retention
from web import urls
from web.auth import request_actor, require_member
from web.errors import error_page
from web.mailhtml import content_disposition
from web.offline.export import FORMATS, write_export
from web.sessions import csrf_ok
from web.templating import render, translate
from web.views.common import path_int, services_of, space_for

UPLOAD_SUFFIXES = (".mbox", ".mbx", ".zip", ".eml", ".msg")
CHUNK = 1 << 20


def policy(services) -> RetentionPolicy:
    return RetentionPolicy(services.retention_default, services.retention_count_from, services.timezone)


async def admin_space(request: Request):
    member = require_member(request)
    space = await space_for(request, member)
    require(await is_space_admin(services_of(request).db, member, space), "only the space's admins manage its records")
    return member, space


async def records_page(request: Request):
    member, space = await admin_space(request)
    services = services_of(request)
    runs = await services.db.fetchall("SELECT * FROM import_runs WHERE space_id = ? ORDER BY id DESC LIMIT 10",
                                      (space.id,))
    return render(request, "records.html", {
        "space": space, "retention": await space_retention(services.db, space, policy(services)),
        "classes": CLASSES, "due": await due_threads(services.db, services.clock(), policy(services), [space.id]),
        "runs": runs, "can_upload": services.start_import is not None,
        "upload_limit_mb": f"{services.max_import_upload_bytes // 2**20:,}"})


async def change_retention(request: Request):
    member, space = await admin_space(request)
    services = services_of(request)
    form = await request.form(max_files=0, max_fields=5)
    if not csrf_ok(request, form, services.secret_key):
        raise HTTPException(403)
    try:
        await set_retention(services.db, space, str(form.get("retention") or ""), request_actor(request))
    except Invalid as error:
        raise HTTPException(400, str(error))
    return RedirectResponse(urls.records_path(space.slug), status_code=303)


async def export(request: Request):
    member, space = await admin_space(request)
    services = services_of(request)
    fmt = request.path_params["fmt"]
    if fmt not in FORMATS:
        raise NotFound("no such export")
    spool = tempfile.TemporaryFile()
    try:
        await write_export(services.db, services.blobs, space, fmt, spool, request_actor(request), services.timezone)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)

    def chunks():
        with spool:
            while data := spool.read(CHUNK):
                yield data

    media = "application/mbox" if fmt == "mbox" else "application/zip"
    return StreamingResponse(chunks(), media_type=media, headers={
        "Content-Disposition": content_disposition(f"{space.slug}.{fmt}"), "X-Content-Type-Options": "nosniff"})


async def upload(request: Request):
    member, space = await admin_space(request)
    services = services_of(request)
    if services.start_import is None:
        raise HTTPException(404)
    declared = request.headers.get("content-length", "")
    if not declared.isdigit() or int(declared) > services.max_import_upload_bytes:   # before a byte is stored
        return error_page(request, 413, translate(request, "ファイルは %(n)s MB までです。大きなメールボックスは、"
                                                  "システム管理者が kairan import コマンドで取り込みます。")
                          % {"n": f"{services.max_import_upload_bytes // 2**20:,}"})
    form = await request.form(max_files=1, max_fields=5)
    if not csrf_ok(request, form, services.secret_key):
        raise HTTPException(403)
    file = form.get("mailbox")
    if not isinstance(file, UploadFile) or not file.filename:
        raise HTTPException(400, "ファイルを選んでください（mbox、または .eml を集めた .zip）。")
    suffix = Path(file.filename).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise HTTPException(400, "mbox、.eml、.msg、または .eml を集めた .zip を選んでください。")
    folder = Path(services.import_dir)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{secrets.token_hex(8)}{suffix if suffix != '.mbx' else '.mbox'}"
    await asyncio.to_thread(_save, file, target)
    run_id = await services.start_import(services, space, target, file.filename[:200], request_actor(request))
    return RedirectResponse(urls.records_path(space.slug, f"import/{run_id}"), status_code=303)


def _save(file: UploadFile, target: Path) -> None:
    with target.open("wb") as out:
        file.file.seek(0)
        shutil.copyfileobj(file.file, out, CHUNK)


async def import_progress(request: Request):
    member, space = await admin_space(request)
    run = await services_of(request).db.fetchone("SELECT * FROM import_runs WHERE id = ? AND space_id = ?",
                                                 (path_int(request, "run_id"), space.id))
    if run is None:
        raise NotFound("no such import in this space")
    return render(request, "import_run.html", {"space": space, "run": run})


routes = [
    Route("/s/{slug}/records", records_page, methods=["GET"], name="records"),
    Route("/s/{slug}/records/retention", change_retention, methods=["POST"]),
    Route("/s/{slug}/records/export.{fmt:str}", export, methods=["GET"]),
    Route("/s/{slug}/records/import", upload, methods=["POST"]),
    Route("/s/{slug}/records/import/{run_id:int}", import_progress, methods=["GET"]),
]
