"""My settings: how mail from each of my spaces reaches me, the hour of my digest, my language.

    GET  /settings   the form (signed-in members; everyone else to the sign-in page)
    POST /settings   saves it all at once: a bad value changes nothing and says what to fix

The rules (which modes exist, which hours, which spaces are mine) are the archive's
(`archive.preferences.update_preferences`); this view only reads the form.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from archive.errors import Invalid, NotFound
from archive.members import set_lang
from archive.models import DELIVERY_MODES, Member
from archive.preferences import get_digest_hour, member_modes, update_preferences
from web import urls
from web.auth import require_member
from web.i18n import LANGUAGES
from web.sessions import csrf_ok, session_of
from web.templating import render, translate
from web.views.common import services_of

MODE_FIELD = "mode:"


class FormError(Exception):
    """A message for the member, already in their language."""


async def settings_page(request: Request, error: str = "", status_code: int = 200):
    member = require_member(request)
    services = services_of(request)
    spaces = await member_modes(services.db, member.id)
    hour = await get_digest_hour(services.db, member.id)
    saved = request.query_params.get("saved") == "1" and not error
    return render(request, "settings.html", {
        "spaces": spaces, "modes": DELIVERY_MODES, "digest_hour": hour, "default_hour": services.digest_hour,
        "error": error, "saved": saved}, status_code=status_code)


def parse_hour(request: Request, value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or not 0 <= int(value) <= 23:
        raise FormError(translate(request, "ダイジェストの時刻は 0〜23 時から選んでください（空欄は既定の時刻）。"))
    return int(value)


async def parse_form(request: Request, member: Member, form) -> tuple[dict[int, str], int | None, str]:
    """(space id → mode, digest hour, language) from the form, or FormError saying what is wrong."""
    mine = {slug: space_id for space_id, slug, _, _ in await member_modes(services_of(request).db, member.id)}
    modes: dict[int, str] = {}
    for key, value in form.multi_items():
        if not key.startswith(MODE_FIELD):
            continue
        slug = key[len(MODE_FIELD):]
        if slug not in mine:
            raise FormError(translate(request, "参加していないスペースの設定は変更できません。"))
        if value not in DELIVERY_MODES:
            raise FormError(translate(request, "配信方法は「1通ずつ」「ダイジェスト」「受け取らない」から選んでください。"))
        modes[mine[slug]] = value
    lang = str(form.get("lang") or getattr(request.state, "lang", member.lang))
    if lang not in LANGUAGES:
        raise FormError(translate(request, "言語は「日本語」か「English」を選んでください。"))
    return modes, parse_hour(request, str(form.get("digest_hour") or "")), lang


async def save_settings(request: Request):
    member = require_member(request)
    services = services_of(request)
    form = await request.form(max_files=0, max_fields=500)
    if not csrf_ok(request, form, services.secret_key):
        raise HTTPException(403)
    try:
        modes, hour, lang = await parse_form(request, member, form)
        await update_preferences(services.db, member.id, modes, hour)
    except FormError as problem:
        return await settings_page(request, str(problem), status_code=400)
    except (Invalid, NotFound):
        return await settings_page(request, translate(request, "設定を保存できませんでした。入力内容をご確認ください。"),
                                   status_code=400)
    if lang != member.lang:
        await set_lang(services.db, member.id, lang)
    session = session_of(request)
    if session.lang != lang:
        session.lang, session.dirty = lang, True
    return RedirectResponse(urls.mail_settings_path() + "?saved=1", status_code=303)


routes = [
    Route("/settings", settings_page, methods=["GET"], name="settings"),
    Route("/settings", save_settings, methods=["POST"]),
]
