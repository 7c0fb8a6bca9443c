"""Deleting a post from its thread page (space admins; the author within 24 hours)."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from archive.errors import Invalid, NotFound
from archive.removal.deletion import delete_post
from web import urls
from web.auth import request_actor, require_member
from web.sessions import csrf_ok
from web.views.common import path_int, services_of, space_for

async def delete(request: Request):
    member = require_member(request)
    services = services_of(request)
    space = await space_for(request, member)
    form = await request.form(max_files=0, max_fields=5)
    if not csrf_ok(request, form, services.secret_key):
        raise HTTPException(403)
    post_id = path_int(request, "post_id")
    row = await services.db.fetchone("SELECT thread_id FROM posts WHERE id = ? AND space_id = ?", (post_id, space.id))
    if row is None:
        raise NotFound("no such post in this space")
    try:
        await delete_post(services.db, services.blobs, space, post_id, str(form.get("reason") or ""),
                          request_actor(request), member)
    except Invalid as error:
        raise HTTPException(400, str(error))
    services.on_stored([post_id])          # wakes the indexer: the index entry goes at once
    return RedirectResponse(urls.thread_path(space.slug, row["thread_id"]), status_code=303)


routes = [Route("/s/{slug}/p/{post_id:int}/delete", delete, methods=["POST"], name="delete_post")]
