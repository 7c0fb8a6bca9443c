"""Security headers on every response, pages, files and errors alike.

The policy allows only our own origin: no inline script, no frames, no
remote images (a hostile mail's <img src=http://…> is also stripped when it
is sanitized; this is the second wall).
"""

from __future__ import annotations

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'"
)

SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"referrer-policy", b"same-origin"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
)


class SecurityHeadersMiddleware:
    """Adds SECURITY_HEADERS a view did not set itself (downloads set stricter ones), and `Cache-Control: private, no-cache` to pages."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_static = scope.get("path", "").startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers.extend((k, v) for k, v in SECURITY_HEADERS if k not in present)
                if not is_static and not any(k.lower() == b"cache-control" for k, _ in headers):
                    headers.append((b"cache-control", b"private, no-cache"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class SameOriginMiddleware:
    """Refuses a state-changing request whose `Origin` is another site (a second wall behind CSRF
    tokens and SameSite cookies, which also covers forms built elsewhere on this app).

    Requests without an Origin header (mail clients' one-click unsubscribe, scripts) pass.
    """

    def __init__(self, app: ASGIApp, base_url: str = ""):
        self.app = app
        self.base_origin = base_url.rstrip("/").lower()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            headers = {k.lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
            origin = headers.get(b"origin")
            if origin is not None and origin.lower() not in self.allowed(scope, headers):
                await PlainTextResponse("403 他のサイトからの送信は受け付けません (cross-site request refused)",
                                        status_code=403)(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def allowed(self, scope: Scope, headers: dict) -> set[str]:
        host = headers.get(b"host", "").lower()
        scheme = scope.get("scheme", "http")          # X-Forwarded-Proto applied by uvicorn, trusted proxies only
        return {f"{scheme}://{host}"} | ({self.base_origin} if self.base_origin else set())
