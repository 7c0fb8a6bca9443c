"""The Starlette application, built from explicit routes, middleware and services."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from archive.errors import Forbidden, NotFound
from web import api
from web.auth import IdentifyMiddleware, SignInRequired, session_or_bearer, signin_redirect
from web.errors import forbidden, http_error, not_found, server_error
from web.headers import SameOriginMiddleware, SecurityHeadersMiddleware
from web.views.inquiries.pages import inquiry_routes
from web.ratelimit import Limits
from web.services import WebServices
from web.sessions import SessionMiddleware
from web.templating import build_pages
from web.views import (admin, administration, assurance, deliveries, directory, files, help, ops, pages, reply,
                       search, settings, signin, unsubscribe)


def create_app(services: WebServices) -> Starlette:
    routes = [
        *ops.routes, *help.routes,
        Mount("/static", StaticFiles(packages=[("web", "static")]), name="static"),
        *signin.routes, *pages.routes, *files.routes, *reply.routes, *search.routes,
        *api.ROUTES, *unsubscribe.routes, *inquiry_routes(), *settings.routes, *admin.routes, *deliveries.routes,
        *directory.routes, *administration.routes, *assurance.routes,
    ]
    middleware = [
        Middleware(SecurityHeadersMiddleware),
        Middleware(SameOriginMiddleware, base_url=services.base_url),
        Middleware(SessionMiddleware, secret_key=services.secret_key, base_url=services.base_url),
        Middleware(IdentifyMiddleware, services=services),
    ]
    handlers = {HTTPException: http_error, NotFound: not_found, Forbidden: forbidden,
                SignInRequired: signin_redirect, Exception: server_error}
    app = Starlette(routes=routes, middleware=middleware, exception_handlers=handlers)
    app.state.services = services
    if services.current_member is None:
        services.current_member = session_or_bearer(services)
    app.state.pages = build_pages(services.timezone, services.clock, services.secret_key)
    app.state.limits = Limits(services.clock)
    return app
