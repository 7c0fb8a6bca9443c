"""Jinja2 pages: one autoescaping environment per language, sharing the templates.

Every page gets the signed-in member, the CSRF token, the language and the URL
helpers; a view passes only what is its own.
"""

from __future__ import annotations

import functools
import gettext
from dataclasses import dataclass

import jinja2
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from web import urls
from web.dates import format_datetime, format_day, format_short, zone
from web.i18n import LANGUAGES, load_translations
from archive.formats import human_size
from web.mailhtml import linkify
from web.sessions import csrf_token


@dataclass
class Pages:
    """The templates for each language, and the translations for strings made in Python."""
    templates: dict[str, Jinja2Templates]
    translations: dict[str, gettext.NullTranslations]
    secret_key: str


def build_pages(timezone_name: str, clock, secret_key: str) -> Pages:
    translations = load_translations()
    tz = zone(timezone_name)
    templates = {}
    for lang in LANGUAGES:
        env = jinja2.Environment(loader=jinja2.PackageLoader("web", "templates"), autoescape=True,
                                 extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True,
                                 undefined=jinja2.StrictUndefined)
        env.install_gettext_translations(translations[lang], newstyle=True)
        env.filters.update(
            datetime=functools.partial(format_datetime, lang=lang, tz=tz),
            day=functools.partial(format_day, lang=lang),
            short_date=lambda value, _lang=lang: format_short(value, clock(), _lang, tz),
            size=functools.partial(human_size, lang=lang), linkify=linkify)
        env.globals.update(urls=urls, lang=lang)
        templates[lang] = Jinja2Templates(env=env)
    return Pages(templates, translations, secret_key)


def render(request: Request, name: str, context: dict, status_code: int = 200) -> Response:
    """The page in the request's language (set by `web.auth.identify`)."""
    pages: Pages = request.app.state.pages
    lang = getattr(request.state, "lang", "ja")
    base = {"member": getattr(request.state, "member", None), "csrf": csrf_token(request, pages.secret_key),
            "path": request.url.path}
    return pages.templates[lang].TemplateResponse(request, name, {**base, **context}, status_code=status_code)


def translate(request: Request, message: str) -> str:
    """gettext for strings made in Python (flash messages, errors)."""
    pages: Pages = request.app.state.pages
    return pages.translations[getattr(request.state, "lang", "ja")].gettext(message)
