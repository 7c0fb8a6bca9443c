"""Who is asking: the signed-in, active member (or nobody) and their language.

`IdentifyMiddleware` runs before every view and error page, so a member who
was deactivated, or whose session was ended on the server (sign-out, a password
change; archive.sessions), is treated as signed out on their very next request.
Pages for members call `require_member`, which sends everyone else to the
sign-in page before anything about the requested space is looked up.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import HTTPConnection, Request
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from archive.admin.audit import Actor, actor_of, anonymous
from archive.errors import NotFound
from archive.members import get_member
from archive.models import Member
from archive.sessions import session_valid
from web.i18n import choose_language
from web.sessions import session_of
from web.services import WebServices
from web.viewer import bearer_member


class SignInRequired(Exception):
    """Raised by `require_member`; answered with a redirect to the sign-in page."""


class IdentifyMiddleware:
    def __init__(self, app: ASGIApp, services: WebServices):
        self.app = app
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope.get("path", "").startswith("/static/"):
            conn = HTTPConnection(scope)
            member = await self.member(conn)
            state = scope.setdefault("state", {})
            state["member"] = member
            state["lang"] = choose_language(session_of(conn).lang, member.lang if member else None,
                                            conn.headers.get("accept-language", ""), self.services.language)
        await self.app(scope, receive, send)

    async def member(self, conn: HTTPConnection) -> Member | None:
        session = session_of(conn)
        if session.member_id is None:
            return None
        try:
            member = await get_member(self.services.db, session.member_id)
        except NotFound:
            member = None
        if member is None or not member.active or not await session_valid(self.services.db, member.id, session.sid):
            session.sign_out()
            return None
        return member


def current_member(request: Request) -> Member | None:
    return getattr(request.state, "member", None)


def session_or_bearer(services: WebServices):
    """The `WebServices.current_member` seam for pages built on it: the session, else an API token."""
    async def resolve(request: Request) -> Member | None:
        return current_member(request) or await bearer_member(services.db, request)
    return resolve


def client_address(request: Request) -> str:
    """The client's address (uvicorn has applied X-Forwarded-For from trusted proxies only)."""
    return request.client.host if request.client else ""


def request_actor(request: Request) -> Actor:
    """Who a web request acts as, for the audit log: the signed-in member and the client address."""
    member = current_member(request)
    client = client_address(request)
    return actor_of(member, client) if member is not None else anonymous(client)


def require_member(request: Request) -> Member:
    member = current_member(request)
    if member is None:
        raise SignInRequired()
    return member


def safe_next(path: str | None) -> str:
    """Only a path on this site: never `//host`, a scheme, or a backslash trick."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path or "\n" in path:
        return "/"
    return path


def signin_redirect(request: Request, exc: Exception) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/signin?next={quote(safe_next(target), safe='')}", status_code=303)
