"""The English catalog covers every UI string, and the committed .mo matches the .po."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from web.i18n import accepted_language, choose_language

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "web" / "locale" / "en" / "LC_MESSAGES"
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
KEYWORDS = {"_": None, "gettext": None, "translate": (2,), "N_": None}


def source_strings() -> set[str]:
    found = set()
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True",
                                        "lstrip_blocks": "True"}}
    for _, _, message, _, _ in extract_from_dir(ROOT / "web", METHODS, options_map=options, keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_ui_string_has_an_english_translation():
    with open(LOCALE / "messages.po", "rb") as handle:
        catalog = read_po(handle, locale="en")
    translated = {m.id for m in catalog if m.id and m.string}
    assert source_strings() - translated == set()


def test_compiled_catalog_matches_the_po_file():
    with open(LOCALE / "messages.po", "rb") as handle:
        po = {m.id: m.string for m in read_po(handle, locale="en") if m.id}
    mo = {m.id: m.string for m in read_mo(io.BytesIO((LOCALE / "messages.mo").read_bytes())) if m.id}
    assert mo == po


def test_accept_language_honours_quality_values():
    assert accepted_language("en-US,en;q=0.9,ja;q=0.8") == "en"
    assert accepted_language("ja,en-US;q=0.9") == "ja"
    assert accepted_language("fr-FR, de;q=0.5") is None
    assert accepted_language("en;q=abc, ja;q=0.1") == "ja"


def test_chosen_language_wins_over_the_browser():
    assert choose_language("ja", None, "en-US", "ja") == "ja"
    assert choose_language("", "en", "ja", "ja") == "en"
    assert choose_language("", "ja", "", "ja") == "ja"
