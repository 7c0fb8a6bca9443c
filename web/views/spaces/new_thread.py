"""A new thread started in the browser (「新しいスレッド」), taken in exactly the way mail is.

The page writes a real RFC 5322 message from the member to the space address and hands it
to `WebServices.submit_mail`, which kairan wires to the spool and the ingest worker: the
thread is stored, indexed, notified and checked for an inquiry (【照会】…) by the same code
as a mail. The page then waits (briefly) for the post and shows its thread.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr, make_msgid

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from archive.models import Member, Space
from archive.posts import get_post
from web import urls
from web.auth import require_member
from web.dates import zone
from web.services import WebServices
from web.sessions import csrf_ok
from web.templating import render, translate
from web.views.common import services_of, space_for
from web.views.reply import (FORM_SLACK_BYTES, MAX_FILES, MAX_TEXT_CHARS, TooLarge, Upload, declared_length,
                             limited_body, read_uploads)

MAX_SUBJECT_CHARS = 200


def thread_message(services: WebServices, member: Member, space: Space, subject: str, text: str,
                   uploads: list[Upload]) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = formataddr((member.name, member.email))
    msg["To"] = space.address(services.domain)
    msg["Subject"] = subject
    msg["Date"] = format_datetime(services.clock().astimezone(zone(services.timezone)))
    msg["Message-ID"] = make_msgid(idstring="web", domain=services.domain)
    msg["X-Kairan-Source"] = "web"
    msg.set_content(text or "")
    for upload in uploads:
        maintype, _, subtype = upload.content_type.partition("/")
        msg.add_attachment(upload.data, maintype=maintype or "application", subtype=subtype or "octet-stream",
                           filename=upload.filename)
    return msg


async def page(request: Request, space: Space, error: str = "", subject: str = "", body: str = "",
               status_code: int = 200):
    return render(request, "thread_new.html", {"space": space, "error": error, "subject": subject, "body": body},
                  status_code=status_code)


async def new_thread_page(request: Request):
    member = require_member(request)
    space = await space_for(request, member)
    if space.state == "closed":
        return await page(request, space, translate(request, "このスペースは閉鎖されています。新しい投稿はできません。"),
                          status_code=409)
    return await page(request, space)


async def problem_of(request: Request, space: Space, subject: str, text: str, uploads: list[Upload]) -> str:
    limit = services_of(request).max_upload_bytes
    if space.state == "closed":
        return translate(request, "このスペースは閉鎖されています。新しい投稿はできません。")
    if not subject:
        return translate(request, "件名を入力してください。")
    if len(subject) > MAX_SUBJECT_CHARS:
        return translate(request, "件名は200文字までです。")
    if not text and not uploads:
        return translate(request, "本文を入力するか、ファイルを添付してください。")
    if len(text) > MAX_TEXT_CHARS:
        return translate(request, "本文が長すぎます（10万文字まで）。")
    if sum(len(u.data) for u in uploads) > limit:
        return translate(request, "添付ファイルが大きすぎます（合計 %(mb)s MB まで）。") % {"mb": limit // (1024 * 1024)}
    return ""


async def post_thread(request: Request):
    member = require_member(request)
    services = services_of(request)
    space = await space_for(request, member)
    limit = services.max_upload_bytes + FORM_SLACK_BYTES
    too_big = translate(request, "添付ファイルが大きすぎます（合計 %(mb)s MB まで）。") % {
        "mb": services.max_upload_bytes // (1024 * 1024)}
    if declared_length(request) > limit:
        return await page(request, space, too_big, status_code=413)
    try:
        form = await limited_body(request, limit).form(max_files=MAX_FILES, max_fields=20)
    except TooLarge:
        return await page(request, space, too_big, status_code=413)
    if not csrf_ok(request, form, services.secret_key):
        raise HTTPException(403)
    subject = " ".join(str(form.get("subject") or "").split())
    text = str(form.get("body") or "").replace("\r\n", "\n").strip()
    uploads = await read_uploads([f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename])
    problem = await problem_of(request, space, subject, text, uploads)
    if problem or services.submit_mail is None:
        status = 409 if space.state == "closed" else 400 if problem else 503
        return await page(request, space, problem or translate(request, "いまは投稿を受け付けられません。"),
                          subject, text, status_code=status)
    msg = thread_message(services, member, space, subject, text, uploads)
    post_id = await services.submit_mail(msg.as_bytes(policy=SMTP), member.email, space.address(services.domain))
    if post_id is None:
        return RedirectResponse(urls.space_path(space.slug) + "?posted=1", status_code=303)
    post = await get_post(services.db, post_id)
    return RedirectResponse(urls.post_path(space.slug, post.thread_id, post.id), status_code=303)


routes = [
    Route("/s/{slug}/new", new_thread_page, methods=["GET"], name="thread_new"),
    Route("/s/{slug}/new", post_thread, methods=["POST"]),
]
