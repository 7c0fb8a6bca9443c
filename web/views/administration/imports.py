"""/admin/import: staff from an Excel CSV — upload, a preview of every line, then apply (all or nothing).

    GET  /admin/import                 the upload form
    POST /admin/import                 upload → the preview (added / changed / unchanged / refused, with
                                       line numbers and reasons; members to deactivate if asked)
    POST /admin/import/{token}         apply the previewed file
    GET  /admin/export.csv?org=SLUG    the same columns, UTF-8 with BOM (re-imports unchanged)
"""

from __future__ import annotations

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from archive.admin import exporting, importing, uploads
from archive.errors import Invalid
from web.auth import client_address
from web.templating import render, translate
from web.views.administration.common import chosen_org, orgs_for, require_admin, text
from web.views.common import services_of
from web.sessions import csrf_ok

IMPORT_PATH = "/admin/import"
MAX_BYTES = 10 * 1024 * 1024


async def import_page(request: Request):
    admin = require_admin(request)
    return render(request, "admin_import.html", {"orgs": await orgs_for(request, admin), "plan": None,
                                                 "error": "", "token": "", "options": {"org": "", "deactivate_missing": False},
                                                 "applied": None})


async def upload(request: Request):
    admin = require_admin(request)
    form = await request.form(max_files=1, max_fields=10, max_part_size=MAX_BYTES)
    if not csrf_ok(request, form, services_of(request).secret_key):
        raise HTTPException(403)
    file = form.get("file")
    options = {"org": text(form, "org", 64), "deactivate_missing": form.get("deactivate_missing") == "on"}
    context = {"orgs": await orgs_for(request, admin), "plan": None, "token": "", "options": options, "applied": None}
    if not isinstance(file, UploadFile):
        return render(request, "admin_import.html", {**context, "error": translate(request, "CSV ファイルを選んでください。")},
                      status_code=400)
    content = await file.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise HTTPException(413)
    if options["org"]:
        await chosen_org(request, admin, options["org"])
    db = services_of(request).db
    try:
        plan = await importing.preview(db, admin, content, options["org"] or None, options["deactivate_missing"])
    except Invalid as problem:
        return render(request, "admin_import.html", {**context, "error": str(problem)}, status_code=400)
    token = "" if plan.refused else await uploads.keep(db, admin.id, file.filename or "", content)
    return render(request, "admin_import.html", {**context, "plan": plan, "error": "", "token": token})


async def apply_upload(request: Request):
    admin = require_admin(request)
    form = await request.form(max_files=0, max_fields=10)
    if not csrf_ok(request, form, services_of(request).secret_key):
        raise HTTPException(403)
    db = services_of(request).db
    token = request.path_params["token"]
    filename, content = await uploads.fetch(db, admin.id, token)
    options = {"org": text(form, "org", 64), "deactivate_missing": form.get("deactivate_missing") == "on"}
    context = {"orgs": await orgs_for(request, admin), "token": "", "options": options, "error": ""}
    try:
        plan = await importing.apply(db, admin, content, options["org"] or None, options["deactivate_missing"],
                                     client=client_address(request), filename=filename)
    except importing.ImportRefused as refused:
        return render(request, "admin_import.html", {**context, "plan": refused.plan, "applied": None}, status_code=409)
    await uploads.drop(db, token)
    return render(request, "admin_import.html", {**context, "plan": plan, "applied": plan.summary()})


async def export_csv(request: Request):
    admin = require_admin(request)
    org = await chosen_org(request, admin, request.query_params.get("org"))
    data, _ = await exporting.export(services_of(request).db, admin, org.slug if org else None,
                                     client=client_address(request))
    name = f"members-{org.slug}.csv" if org else "members.csv"
    return Response(data, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


routes = [
    Route(IMPORT_PATH, import_page, methods=["GET"]),
    Route(IMPORT_PATH, upload, methods=["POST"]),
    Route(IMPORT_PATH + "/{token}", apply_upload, methods=["POST"]),
    Route("/admin/export.csv", export_csv, methods=["GET"]),
]
