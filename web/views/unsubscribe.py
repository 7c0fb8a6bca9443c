"""One-click unsubscribe from a link in a mail, without signing in (RFC 8058).

GET shows what the link would stop and asks to confirm (mail scanners follow
links; they must not unsubscribe anyone). POST stops it: the confirm page's form
(with the session's CSRF token, like every form here), or the one-click POST a
mail client sends (`List-Unsubscribe=One-Click`, no cookies: the signed token in
the URL is what authorizes it). The token is signed with the secret key; a bad one
gets a clear 400 page.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from archive.errors import Invalid
from archive.preferences import member_modes
from archive.unsubscribe import Unsubscribe, apply, read_token
from web.sessions import csrf_ok
from web.templating import render, translate
from web.urls import mail_settings_path


async def _what(request: Request, target: Unsubscribe) -> str:
    """The mail the token names, in words: one space's title, or the daily digest."""
    if target.space_id is None:
        return translate(request, "ダイジェスト（毎日のまとめメール）")
    db = request.app.state.services.db
    titles = {space_id: title for space_id, _, title, _ in await member_modes(db, target.member_id)}
    if target.space_id in titles:
        return translate(request, "「%(title)s」のメール") % {"title": titles[target.space_id]}
    return translate(request, "このスペースのメール")


def _page(request: Request, name: str, status: int = 200, **values) -> Response:
    return render(request, name, {"settings_url": mail_settings_path(), **values}, status_code=status)


async def _allowed(request: Request) -> bool:
    """The confirm page's form with this session's token, or a mail client's RFC 8058 one-click POST."""
    form = await request.form(max_files=0, max_fields=10)
    if form.get("List-Unsubscribe") == "One-Click" and "csrf" not in form:
        return True
    return csrf_ok(request, form, request.app.state.services.secret_key)


async def unsubscribe(request: Request) -> Response:
    services = request.app.state.services
    try:
        target = read_token(services.secret_key, request.path_params["token"])
    except Invalid:
        return _page(request, "unsubscribe_invalid.html", status=400)
    what = await _what(request, target)
    if request.method == "GET":
        return _page(request, "unsubscribe_confirm.html", what=what, action=request.url.path)
    if not await _allowed(request):
        raise HTTPException(403)
    changed = await apply(services.db, target)
    return _page(request, "unsubscribe_done.html", what=what, changed=changed)


routes = [Route("/unsubscribe/{token}", unsubscribe, methods=["GET", "POST"])]
