"""The Starlette application, built from explicit routes, middleware and services."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

from web import api
from web.inquiry_views import inquiry_routes
from web.services import WebServices
from web.views import unsubscribe


async def health(request: Request) -> JSONResponse:
    return JSONResponse({"ok": True})


async def not_found(request: Request, exc) -> PlainTextResponse:
    return PlainTextResponse("見つかりません (not found)", status_code=404)


async def server_error(request: Request, exc) -> PlainTextResponse:
    return PlainTextResponse("サーバーエラーが発生しました (server error)", status_code=500)


def create_app(services: WebServices) -> Starlette:
    routes = [Route("/healthz", health), *api.ROUTES, *unsubscribe.routes, *inquiry_routes()]
    app = Starlette(routes=routes, exception_handlers={404: not_found, 500: server_error})
    app.state.services = services
    return app
