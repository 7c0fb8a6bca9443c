"""Signed session cookies and the CSRF token derived from them.

The cookie holds only a random session id, the member id once signed in and a
chosen language, signed with the instance's secret (itsdangerous). Whether the
member may still read anything is checked against the database on every
request (`web.auth`), so deactivating a member ends their sessions at once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from http.cookies import SimpleCookie

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE_NAME = "kairan_session"
MAX_AGE_SECONDS = 14 * 24 * 3600
SCOPE_KEY = "kairan.session"


@dataclass
class Session:
    sid: str = ""
    member_id: int | None = None
    lang: str = ""
    dirty: bool = False
    cleared: bool = False

    def sign_in(self, member_id: int) -> None:
        """A new session id on every sign-in, so a planted id is worthless (fixation)."""
        self.sid, self.member_id, self.dirty = secrets.token_urlsafe(18), member_id, True

    def sign_out(self) -> None:
        self.sid, self.member_id, self.dirty, self.cleared = "", None, True, True

    def ensure_sid(self) -> str:
        if not self.sid:
            self.sid, self.dirty = secrets.token_urlsafe(18), True
        return self.sid


def session_of(conn: HTTPConnection) -> Session:
    return conn.scope[SCOPE_KEY]


def csrf_token(conn: HTTPConnection, secret_key: str) -> str:
    sid = session_of(conn).ensure_sid()
    return hmac.new(secret_key.encode(), b"csrf:" + sid.encode(), hashlib.sha256).hexdigest()


def csrf_ok(request: Request, form, secret_key: str) -> bool:
    """The parsed form's `csrf` field matches this session's token."""
    sent = form.get("csrf")
    if not session_of(request).sid or not isinstance(sent, str):
        return False
    return hmac.compare_digest(sent, csrf_token(request, secret_key))


def is_https(scope: Scope, base_url: str) -> bool:
    """The scheme as uvicorn gives it — it applies X-Forwarded-Proto only from `[http] trusted_proxies`,
    so a client can't claim https for itself — or an https base URL."""
    return scope.get("scheme") == "https" or base_url.lower().startswith("https://")


class SessionMiddleware:
    """Loads the session into the scope; writes the cookie back only when it changed."""

    def __init__(self, app: ASGIApp, secret_key: str, base_url: str = ""):
        self.app = app
        self.serializer = URLSafeTimedSerializer(secret_key, salt="kairan-session")
        self.base_url = base_url

    def load(self, scope: Scope) -> Session:
        cookie = SimpleCookie()
        try:
            cookie.load(dict(scope.get("headers", [])).get(b"cookie", b"").decode("latin-1"))
        except Exception:
            return Session()
        if COOKIE_NAME not in cookie:
            return Session()
        try:
            data = self.serializer.loads(cookie[COOKIE_NAME].value, max_age=MAX_AGE_SECONDS)
        except BadSignature:
            return Session()
        if not isinstance(data, dict):
            return Session()
        member_id = data.get("m")
        return Session(sid=str(data.get("s", "")), member_id=member_id if isinstance(member_id, int) else None,
                       lang=str(data.get("l", "")))

    def cookie_header(self, session: Session, secure: bool) -> bytes:
        flags = "; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")
        if session.cleared and not session.sid and not session.lang:
            return f"{COOKIE_NAME}=; Max-Age=0{flags}".encode()
        value = self.serializer.dumps({"s": session.sid, "m": session.member_id, "l": session.lang})
        return f"{COOKIE_NAME}={value}; Max-Age={MAX_AGE_SECONDS}{flags}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        session = scope[SCOPE_KEY] = self.load(scope)

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and session.dirty:
                header = self.cookie_header(session, is_https(scope, self.base_url))
                message = {**message, "headers": [*message.get("headers", []), (b"set-cookie", header)]}
            await send(message)

        await self.app(scope, receive, send_with_cookie)
