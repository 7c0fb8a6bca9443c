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
from web.errors import N_
from web.templating import render, translate
from web.views.administration.common import chosen_org, orgs_for, require_admin, text
from web.views.common import services_of
from web.sessions import csrf_ok

IMPORT_PATH = "/admin/import"
REASONS = {  # archive.admin.importing.REFUSALS, as the page says them
    "bad_address": N_("メールアドレスが正しくありません（%(value)s）"),
    "unknown_org": N_("団体「%(value)s」はありません"),
    "no_org": N_("団体が空欄です（「団体」列に記入するか、団体を選んでください）"),
    "other_org": N_("%(scope)s の取り込みに、%(org)s の行があります"),
    "further_address": N_("別の職員（%(primary)s）の追加アドレスです。主アドレスを使ってください"),
    "member_elsewhere": N_("すでに %(org)s の職員です（団体の異動は CSV ではできません）"),
    "system_admin": N_("総合管理者は総合管理者だけが変更できます"),
    "duplicate": N_("%(line)s 行目と同じメールアドレスです"),
    "no_name": N_("新しい職員には氏名が必要です"),
    "bad_text": N_("%(column)s が長すぎるか、使えない文字があります"),
    "bad_flag": N_("%(column)s は 1/0、○/空欄、true/false のいずれかです（「%(value)s」）"),
}
FIELDS = {"name": N_("氏名"), "reading": N_("ふりがな"), "dept": N_("所属"), "rep": N_("課代表"),
          "org_admin": N_("団体管理者")}
MAX_BYTES = 10 * 1024 * 1024


def said(request: Request, plan) -> dict:
    """What the preview shows in the page's language: each refused line's reason, each change's fields."""
    if plan is None:
        return {"reasons": {}, "fields": {}}
    reasons = {}
    for line in plan.refused:
        template = REASONS.get(line.code)
        try:
            reasons[line.line] = translate(request, template) % line.args if template else line.reason
        except (KeyError, TypeError, ValueError):
            reasons[line.line] = line.reason
    return {"reasons": reasons, "fields": {k: translate(request, v) for k, v in FIELDS.items()}}


async def import_page(request: Request):
    admin = require_admin(request)
    return render(request, "admin_import.html", {"orgs": await orgs_for(request, admin), "plan": None, **said(request, None),
                                                 "error": "", "token": "", "options": {"org": "", "deactivate_missing": False},
                                                 "applied": None})


async def upload(request: Request):
    admin = require_admin(request)
    form = await request.form(max_files=1, max_fields=10, max_part_size=MAX_BYTES)
    if not csrf_ok(request, form, services_of(request).secret_key):
        raise HTTPException(403)
    file = form.get("file")
    options = {"org": text(form, "org", 64), "deactivate_missing": form.get("deactivate_missing") == "on"}
    context = {"orgs": await orgs_for(request, admin), "plan": None, "token": "", "options": options, "applied": None,
               **said(request, None)}
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
    return render(request, "admin_import.html", {**context, "plan": plan, "error": "", "token": token,
                                                 **said(request, plan)})


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
        return render(request, "admin_import.html", {**context, "plan": refused.plan, "applied": None,
                                                     **said(request, refused.plan)}, status_code=409)
    await uploads.drop(db, token)
    return render(request, "admin_import.html", {**context, "plan": plan, "applied": plan.summary(),
                                                 **said(request, plan)})


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
