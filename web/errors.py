"""Error pages in the member's language: never a traceback, never a hint whether a space exists."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

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


FORBIDDEN = N_("この操作を行う権限がありません。権限が必要な場合は、団体管理者または総合管理者にお問い合わせください。")


def error_page(request: Request, status: int, explanation: str | None = None) -> Response:
    title = TITLES.get(status, TITLES[400] if status < 500 else TITLES[500])
    explanation = EXPLANATIONS.get(status, "") if explanation is None else explanation
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


async def forbidden(request: Request, exc: Exception) -> Response:
    """archive.errors.Forbidden (a role check refused): 403, as JSON under /api/."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": str(exc)}, status_code=403)
    return error_page(request, 403, FORBIDDEN)


async def server_error(request: Request, exc: Exception) -> Response:
    """Runs outside the app's middleware (Starlette's outermost layer): adds the headers itself."""
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    response = error_page(request, 500)
    for name, value in SECURITY_HEADERS:
        response.headers[name.decode()] = value.decode()
    return response
