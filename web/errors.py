"""Error pages in the member's language: never a traceback, never a hint whether a space exists."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from web.headers import SECURITY_HEADERS
from web.templating import render, translate

log = logging.getLogger(__name__)



def N_(message: str) -> str:
    """Marks a string for the catalog; it is translated where it is shown."""
    return message


TITLES = {
    400: N_("リクエストの内容が正しくありません"),
    403: N_("この操作は受け付けられませんでした"),
    404: N_("ページが見つかりません"),
    405: N_("この操作は受け付けられませんでした"),
    410: N_("このリンクは使えません"),
    413: N_("送信されたデータが大きすぎます"),
    429: N_("しばらく待ってからお試しください"),
    500: N_("サーバーでエラーが発生しました"),
}
EXPLANATIONS = {
    403: N_("フォームの有効期限が切れた可能性があります。ページを再読み込みしてから、もう一度お試しください。"),
    404: N_("アドレスが間違っているか、このスペースを閲覧する権限がありません。"),
    500: N_("時間をおいて、もう一度お試しください。続く場合は管理者にお知らせください。"),
}


def error_page(request: Request, status: int) -> Response:
    title = TITLES.get(status, TITLES[400] if status < 500 else TITLES[500])
    explanation = EXPLANATIONS.get(status, "")
    try:
        return render(request, "error.html", {"status": status, "title": translate(request, title),
                                              "explanation": translate(request, explanation) if explanation else ""},
                      status_code=status)
    except Exception:
        log.exception("the error page itself failed")
        return PlainTextResponse(f"{title} ({status})", status_code=status)


async def http_error(request: Request, exc: HTTPException) -> Response:
    return error_page(request, exc.status_code)


async def not_found(request: Request, exc: Exception) -> Response:
    return error_page(request, 404)


async def server_error(request: Request, exc: Exception) -> Response:
    """Runs outside the app's middleware (Starlette's outermost layer): adds the headers itself."""
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    response = error_page(request, 500)
    for name, value in SECURITY_HEADERS:
        response.headers[name.decode()] = value.decode()
    return response
