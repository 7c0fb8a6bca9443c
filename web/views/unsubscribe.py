"""One-click unsubscribe from a link in a mail, without signing in (RFC 8058).

GET shows what the link would stop and asks to confirm (mail scanners follow
links; they must not unsubscribe anyone). POST stops it — the form on that page,
and the one-click POST a mail client sends (`List-Unsubscribe=One-Click`) alike.
The token is signed with the secret key; a bad one gets a clear 400 page.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from archive.errors import Invalid
from archive.preferences import member_modes
from archive.unsubscribe import Unsubscribe, apply, read_token
from web.urls import mail_settings_path

templates = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "templates")


async def _what(request: Request, target: Unsubscribe) -> str:
    """The mail the token names, in words: one space's title, or the daily digest."""
    if target.space_id is None:
        return "ダイジェスト（毎日のまとめメール）"
    db = request.app.state.services.db
    titles = {space_id: title for space_id, _, title, _ in await member_modes(db, target.member_id)}
    return f"「{titles[target.space_id]}」のメール" if target.space_id in titles else "このスペースのメール"


async def _page(request: Request, name: str, status: int = 200, **values) -> Response:
    return templates.TemplateResponse(request, name, {"settings_url": mail_settings_path(), **values},
                                      status_code=status)


async def unsubscribe(request: Request) -> Response:
    services = request.app.state.services
    try:
        target = read_token(services.secret_key, request.path_params["token"])
    except Invalid:
        return await _page(request, "unsubscribe_invalid.html", status=400)
    what = await _what(request, target)
    if request.method == "GET":
        return await _page(request, "unsubscribe_confirm.html", what=what, action=request.url.path)
    changed = await apply(services.db, target)
    return await _page(request, "unsubscribe_done.html", what=what, changed=changed)


routes = [Route("/unsubscribe/{token}", unsubscribe, methods=["GET", "POST"])]
