"""Every row of the reply-marker tables, as a whole message the way its client writes it.

`bridge.replies.languages` keeps one module of patterns per language family;
each row carries an example line written from that client's real output.  Here
each example goes into a raw RFC 5322 message (UTF-8, quoted-printable, as
Thunderbird, Gmail and Outlook send them; ISO-2022-JP for Japanese) and through
the same path as `kairan parse`: an attribution or separator cuts what follows,
a header label joins a header block that is cut, a forward marker is kept
whole, a tagline is cut as signature.
"""

from __future__ import annotations

import pytest

from bridge.ingest.understand import parse_result_json
from bridge.replies import markers
from bridge.replies.languages import FIELD, FORWARD, FROM, OPENER, SEPARATOR, TAGLINE, WROTE, Row
from tests.mailbuild import plain

NEW = "Thank you, the figures are confirmed.\nI will send the final table on Friday."
OLD = "Could you confirm the figures by Thursday?\nThe table is attached."


def _by_lang(kind: str) -> dict[str, list[Row]]:
    found: dict[str, list[Row]] = {}
    for row in markers.ROWS:
        if row.kind == kind:
            found.setdefault(row.lang, []).append(row)
    return found


FROMS, FIELDS = _by_lang(FROM), _by_lang(FIELD)
ENGLISH_FIELDS = ["Sent: Monday, May 13, 2024 10:21 AM", "To: Ken Sato", "Subject: Figures"]


def _mail(text: str, lang: str, subject: str = "Re: Figures") -> dict:
    charset = "iso-2022-jp" if lang == "ja" else "utf-8"
    cte = "7bit" if lang == "ja" else "quoted-printable"
    return parse_result_json(plain(text, charset=charset, cte=cte, subject=subject))


def _header_block(row: Row) -> str:
    """A quoted header block of the row's language that contains the row's line."""
    if row.kind == FROM:
        fields = [r.example for r in FIELDS.get(row.lang, [])][:3] or ENGLISH_FIELDS
        return "\n".join([row.example, *fields])
    first = FROMS.get(row.lang, [None])[0]
    head = first.example if first else "From: Anna Weber <anna.weber@example.com>"
    others = [r.example for r in FIELDS[row.lang] if r is not row][:1] or ENGLISH_FIELDS[2:]
    return "\n".join([head, row.example, *others])


ROW_IDS = [f"{row.lang}-{row.kind}-{n}" for n, row in enumerate(markers.ROWS)]


@pytest.mark.parametrize("row", markers.ROWS, ids=ROW_IDS)
def test_row_as_its_client_writes_it(row: Row):
    if row.kind in (WROTE, OPENER):
        result = _mail(f"{NEW}\n\n{row.example}\n> {OLD.replace(chr(10), chr(10) + '> ')}\n", row.lang)
        assert result["reply_text"].strip() == NEW, row.example
        assert row.example.splitlines()[0] in result["quoted_text"]
    elif row.kind == SEPARATOR:
        result = _mail(f"{NEW}\n\n{row.example}\n{OLD}\n", row.lang)
        assert result["reply_text"].strip() == NEW, row.example
    elif row.kind in (FROM, FIELD):
        result = _mail(f"{NEW}\n\n{_header_block(row)}\n\n{OLD}\n", row.lang)
        assert result["reply_text"].strip() == NEW, _header_block(row)
        assert OLD.splitlines()[0] in result["quoted_text"]
    elif row.kind == FORWARD:
        result = _mail(f"FYI, see below.\n\n{row.example}\nFrom: Anna Weber <anna.weber@example.com>\n"
                       f"Subject: Figures\n\n{OLD}\n", row.lang, subject="Fwd: Figures")
        assert row.example in result["reply_text"] and OLD.splitlines()[0] in result["reply_text"]
    else:
        assert row.kind == TAGLINE
        result = _mail(f"{NEW}\n\n{row.example}\n", row.lang)
        assert result["reply_text"].strip() == NEW, row.example
        assert row.example in result["signature"]
    assert result["confidence"] in ("high", "low")


def test_at_least_25_languages_have_attributions_separators_and_taglines():
    langs = {kind: {r.lang for r in markers.ROWS if r.kind == kind} for kind in (WROTE, SEPARATOR, TAGLINE)}
    assert len(langs[WROTE]) >= 25 and len(langs[SEPARATOR]) >= 25 and len(langs[TAGLINE]) >= 25, \
        {k: len(v) for k, v in langs.items()}


def test_every_family_module_has_rows_and_every_row_an_example():
    assert all(family.ROWS for family in markers.FAMILIES)
    assert all(row.example.strip() and row.client for row in markers.ROWS)


@pytest.mark.parametrize("line", [
    "-----Original Message-----From: Anna Weber [mailto:anna.weber@example.com]",
    "-----Ursprüngliche Nachricht-----Von: Anna Weber <anna.weber@example.de>",
    "-----Message d'origine-----De : Claire Martin",
    "-----元のメッセージ-----差出人: 山本 恵",
])
def test_outlook_separator_run_together_with_the_next_header(line):
    result = _mail(f"{NEW}\n\n{line}\nSent: Monday, May 13, 2024 10:21 AM\n\n{OLD}\n", "en")
    assert result["reply_text"].strip() == NEW


def test_bidi_controls_are_ignored_for_matching_but_kept_in_the_stored_text():
    attribution = "\u202bבתאריך יום ב׳, 13 במאי 2024 ב-10:21 מאת \u202aדנה כהן\u202c <\u200edana@example.co.il\u200e>:\u202c"
    result = _mail(f"{NEW}\n\n{attribution}\n> {OLD.replace(chr(10), chr(10) + '> ')}\n", "he")
    assert result["reply_text"].strip() == NEW
    assert "\u202b" in result["quoted_text"] and "\u200e" in result["quoted_text"]


def test_a_bidi_wrapped_tagline_is_still_a_tagline():
    result = _mail(f"{NEW}\n\n\u200fנשלח מה-iPhone שלי\u200f\n", "he")
    assert result["reply_text"].strip() == NEW and "\u200f" in result["signature"]


def test_ordinary_sentences_with_table_words_stay():
    text = ("On Monday we meet at 10:00.\nLe bureau est fermé.\nVon der Stadt kam keine Antwort.\n"
            "Sent the report to the mayor yesterday.\nDa: questo punto vediamo.")
    assert _mail(text + "\n", "en")["reply_text"].strip() == text
