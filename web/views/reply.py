"""A reply written in the browser: stored by the same archive call as mail, then indexed and notified.

The reply is also kept as a real RFC 5322 message in the blob store (with its
own Message-ID in our domain), so "download the raw message" works for it too.
"""

from __future__ import annotations

import asyncio
import mimetypes
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr, make_msgid

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from archive.clock import to_iso
from archive.models import Member, Space, Thread
from archive.posts import NewAttachment, NewPost, add_post, list_posts
from web import urls
from web.auth import require_member
from web.dates import zone
from web.mailhtml import clean_filename
from web.services import WebServices
from web.sessions import csrf_ok
from web.templating import translate
from web.views.common import services_of, space_for
from web.views.pages import render_thread, thread_in

MAX_FILES = 10
MAX_TEXT_CHARS = 100_000
FORM_SLACK_BYTES = 1024 * 1024      # the text, the token and multipart framing on top of the attachments


class TooLarge(Exception):
    """The request body passed the limit while it was being read."""


def limited_body(request: Request, limit: int) -> Request:
    """The same request, its body cut off past `limit` bytes: a chunked upload has no Content-Length
    to check in advance, and the form parser would otherwise spool all of it to disk."""
    received = 0

    async def receive():
        nonlocal received
        message = await request.receive()
        received += len(message.get("body", b""))
        if received > limit:
            raise TooLarge()
        return message
    return Request(request.scope, receive)


def declared_length(request: Request) -> int:
    try:
        return int(request.headers.get("content-length") or 0)
    except ValueError:
        return 0


@dataclass(frozen=True)
class Upload:
    filename: str
    content_type: str
    data: bytes


def reply_message(services: WebServices, member: Member, space: Space, thread: Thread, last_id: str,
                  last_refs: str, text: str, uploads: list[Upload]) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = formataddr((member.name, member.email))
    msg["To"] = space.address(services.domain)
    msg["Subject"] = thread.subject if thread.subject.lower().startswith("re:") else f"Re: {thread.subject}"
    msg["Date"] = format_datetime(services.clock().astimezone(zone(services.timezone)))
    msg["Message-ID"] = make_msgid(idstring="web", domain=services.domain)
    if last_id:
        msg["In-Reply-To"] = last_id
        msg["References"] = " ".join((*last_refs.split()[-20:], last_id))
    msg["X-Kairan-Source"] = "web"
    msg.set_content(text or "")
    for upload in uploads:
        maintype, _, subtype = upload.content_type.partition("/")
        msg.add_attachment(upload.data, maintype=maintype or "application", subtype=subtype or "octet-stream",
                           filename=upload.filename)
    return msg


def store_blobs(services: WebServices, msg: EmailMessage, uploads: list[Upload]) -> tuple[str, list[str]]:
    """Blocking: the raw message and each attachment, durable in the blob store."""
    raw = services.blobs.put(msg.as_bytes(policy=SMTP))
    return raw, [services.blobs.put(u.data) for u in uploads]


async def store_reply(services: WebServices, member: Member, space: Space, thread: Thread, text: str,
                      uploads: list[Upload]) -> int:
    posts = await list_posts(services.db, thread.id)
    last = posts[-1] if posts else None
    msg = reply_message(services, member, space, thread, last.message_id if last else "",
                        last.refs if last else "", text, uploads)
    raw_sha, shas = await asyncio.to_thread(store_blobs, services, msg, uploads)
    stored = await add_post(services.db, NewPost(
        space_id=space.id, thread_id=thread.id, message_id=msg["Message-ID"], subject=msg["Subject"],
        norm_subject=thread.norm_subject, from_name=member.name, from_address=member.email,
        date_utc=to_iso(services.clock()), author_id=member.id, tz_offset_min=offset_minutes(services),
        in_reply_to=msg.get("In-Reply-To", ""), refs=msg.get("References", ""), body_text=text, reply_text=text,
        raw_sha256=raw_sha, source="web", sender_assurance="web",
        attachments=tuple(NewAttachment(i, u.filename, u.content_type, len(u.data), sha)
                          for i, (u, sha) in enumerate(zip(uploads, shas)))))
    return stored.post_id


def offset_minutes(services: WebServices) -> int:
    offset = services.clock().astimezone(zone(services.timezone)).utcoffset()
    return int(offset.total_seconds() // 60) if offset else 0


async def read_uploads(files: list[UploadFile]) -> list[Upload]:
    uploads = []
    for f in files:
        name = clean_filename(f.filename)
        ctype = (f.content_type or "").split(";")[0].strip().lower()
        if "/" not in ctype or ctype == "application/octet-stream":
            ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        uploads.append(Upload(name, ctype, await f.read()))
    return uploads


async def reply(request: Request):
    member = require_member(request)
    services = services_of(request)
    space = await space_for(request, member)
    thread = await thread_in(request, space)
    limit = services.max_upload_bytes
    too_big = translate(request, "添付ファイルが大きすぎます（合計 %(mb)s MB まで）。") % {"mb": limit // (1024 * 1024)}
    if declared_length(request) > limit + FORM_SLACK_BYTES:
        return await render_thread(request, member, space, thread, too_big, status_code=413)
    try:
        form = await limited_body(request, limit + FORM_SLACK_BYTES).form(max_files=MAX_FILES, max_fields=20)
    except TooLarge:
        return await render_thread(request, member, space, thread, too_big, status_code=413)
    if not csrf_ok(request, form, services.secret_key):
        raise HTTPException(403)
    text = str(form.get("body") or "").replace("\r\n", "\n").strip()
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    uploads = await read_uploads(files)
    error = ""
    if not text and not uploads:
        error = translate(request, "本文を入力するか、ファイルを添付してください。")
    elif len(text) > MAX_TEXT_CHARS:
        error = translate(request, "本文が長すぎます（10万文字まで）。")
    elif sum(len(u.data) for u in uploads) > limit:
        return await render_thread(request, member, space, thread, too_big, draft=text, status_code=413)
    if error:
        return await render_thread(request, member, space, thread, error, draft=text, status_code=400)
    post_id = await store_reply(services, member, space, thread, text, uploads)
    services.on_stored([post_id])
    return RedirectResponse(urls.post_path(space.slug, thread.id, post_id), status_code=303)


routes = [Route("/s/{slug}/t/{thread_id:int}/reply", reply, methods=["POST"], name="reply")]
