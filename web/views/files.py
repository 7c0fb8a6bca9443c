"""Attachments and raw messages: always downloads, never rendered by the browser as a page."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from archive.errors import NotFound
from archive.posts import get_attachment, get_post
from web.auth import require_member
from web.mailhtml import content_disposition, download_type
from web.views.common import path_int, services_of, space_for

DOWNLOAD_POLICY = "default-src 'none'; sandbox; frame-ancestors 'none'"


async def _blob(request: Request, sha256: str) -> bytes:
    try:
        return await asyncio.to_thread(services_of(request).blobs.get, sha256)
    except (OSError, ValueError):
        raise NotFound("the stored file is missing")


def download(data: bytes, filename: str | None, content_type: str) -> Response:
    return Response(data, media_type=content_type, headers={
        "Content-Disposition": content_disposition(filename), "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": DOWNLOAD_POLICY, "Cache-Control": "private, max-age=3600"})


async def attachment(request: Request):
    member = require_member(request)
    space = await space_for(request, member)
    found = await get_attachment(services_of(request).db, path_int(request, "attachment_id"))
    post = await get_post(services_of(request).db, found.post_id)
    if post.space_id != space.id:
        raise NotFound("no such attachment in this space")
    return download(await _blob(request, found.sha256), found.filename, download_type(found.content_type))


async def raw_message(request: Request):
    member = require_member(request)
    space = await space_for(request, member)
    post = await get_post(services_of(request).db, path_int(request, "post_id"))
    if post.space_id != space.id or not post.raw_sha256:
        raise NotFound("no such message in this space")
    return download(await _blob(request, post.raw_sha256), f"message-{post.id}.eml", "message/rfc822")


routes = [
    Route("/s/{slug}/a/{attachment_id:int}/{filename:path}", attachment, name="attachment"),
    Route("/s/{slug}/raw/{post_id:int}.eml", raw_message, name="raw"),
]
