"""Languages: Japanese first, English from gettext catalogs (web/locale).

Source strings are Japanese; `locale/en/LC_MESSAGES/messages.po` translates
them. Which language a request gets: the language chosen with the switch
(kept in the session), else a member's stored 'en', else the browser's
Accept-Language among the ones we have, else the instance default.
"""

from __future__ import annotations

import gettext
from importlib import resources

LANGUAGES = ("ja", "en")


def load_translations() -> dict[str, gettext.NullTranslations]:
    """ja is the source language (NullTranslations); others from their compiled .mo."""
    found: dict[str, gettext.NullTranslations] = {"ja": gettext.NullTranslations()}
    for lang in LANGUAGES[1:]:
        mo = resources.files("web").joinpath(f"locale/{lang}/LC_MESSAGES/messages.mo")
        with mo.open("rb") as handle:
            found[lang] = gettext.GNUTranslations(handle)
    return found


def accepted_language(header: str) -> str | None:
    """The supported language the browser prefers most (q-values honoured), or None."""
    best, best_q = None, 0.0
    for position, item in enumerate(header.split(",")[:20]):
        tag, _, params = item.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                continue
        lang = tag.strip().lower().split("-")[0]
        score = q - position * 1e-6
        if lang in LANGUAGES and score > best_q:
            best, best_q = lang, score
    return best


def choose_language(session_lang: str, member_lang: str | None, accept: str, default: str) -> str:
    if session_lang in LANGUAGES:
        return session_lang
    if member_lang in LANGUAGES and member_lang != "ja":
        return member_lang
    return accepted_language(accept) or (default if default in LANGUAGES else "ja")
