"""The search box's language, read into a small tree. Nothing here can fail.

    減免 申請            words: all must match (AND)
    "固定資産税 減免"     a phrase (also 「…」 and “…”)
    -研修                 must not match (also -"phrase", -from:…)
    減免 OR 猶予          either
    from:佐藤  from:sato-k@pref.example.lg.jp   the author's name or address
    space:zeimu  org:青葉市                       the space (slug or title), the author's organization
    after:2026-04-01  before:2026-05-01          Asia/Tokyo dates: after is inclusive, before exclusive
    has:attachment

Broken syntax (an unclosed quote, `from:` with nothing after it, a bad date,
a dangling OR) is read as plain words, never as an error.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

FIELDS = ("from", "space", "org", "after", "before", "has")
HAS_VALUES = {"attachment": "attachment", "attachments": "attachment", "添付": "attachment"}
QUOTES = {'"': '"', "「": "」", "“": "”", "『": "』"}
MAX_QUERY_CHARS = 500          # a longer "query" is pasted text: its start is plenty to search for
_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")


@dataclass(frozen=True)
class Text:
    """Words (`phrase` False: one query word, may analyse to several tokens) or a quoted phrase."""
    text: str
    phrase: bool = False


@dataclass(frozen=True)
class Filter:
    field: str                 # one of FIELDS
    value: str                 # for after/before: ISO date; for has: the canonical value


@dataclass(frozen=True)
class Clause:
    item: Text | Filter
    negated: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    """AND over groups; a group is one clause or several joined by OR."""
    groups: tuple[tuple[Clause, ...], ...]

    @property
    def empty(self) -> bool:
        return not self.groups

    def texts(self) -> list[Text]:
        """The positive words and phrases, for highlighting."""
        return [c.item for g in self.groups for c in g if isinstance(c.item, Text) and not c.negated]


def parse_query(query: str) -> ParsedQuery:
    items = _lex(unicodedata.normalize("NFKC", (query or "")[:MAX_QUERY_CHARS]))
    groups: list[list[Clause]] = []
    joining = False
    for item in items:
        if item == "OR":
            joining = bool(groups)
            continue
        if joining and not item.negated and all(not c.negated for c in groups[-1]):
            groups[-1].append(item)
        else:
            groups.append([item])
        joining = False
    return ParsedQuery(tuple(tuple(g) for g in groups))


def _lex(text: str) -> list[Clause | str]:
    """Clauses and the bare word OR, left to right."""
    out: list[Clause | str] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = text[i] == "-" and i + 1 < n and not text[i + 1].isspace()
        start = i + 1 if negated else i
        item, i = _read_item(text, start)
        if item is None:
            continue
        if item == Text("OR") and not negated:
            out.append("OR")
        else:
            out.append(Clause(item, negated))
    return out


def _read_item(text: str, i: int) -> tuple[Text | Filter | None, int]:
    if text[i] in QUOTES:
        phrase, end = _read_quoted(text, i)
        if phrase is not None:
            return (Text(phrase, phrase=True) if phrase.strip() else None), end
        return None, i + 1                          # unclosed quote: drop it, read what follows as words
    end = _word_end(text, i)
    word = text[i:end]
    name, colon, value = word.partition(":")
    if colon and name.lower() in FIELDS:
        if not value and end < len(text) and text[end] in QUOTES:
            quoted, quoted_end = _read_quoted(text, end)
            if quoted is not None:
                value, end = quoted, quoted_end
        found = _filter(name.lower(), value.strip())
        if found is not None:
            return found, end
    return Text(word), end


def _word_end(text: str, i: int) -> int:
    while i < len(text) and not text[i].isspace() and text[i] not in QUOTES:
        i += 1
    return i


def _read_quoted(text: str, i: int) -> tuple[str | None, int]:
    close = text.find(QUOTES[text[i]], i + 1)
    if close < 0:
        return None, i + 1
    return text[i + 1:close], close + 1


def _filter(field: str, value: str) -> Filter | None:
    """The filter, or None when its value makes no sense (then the text is read as words)."""
    if not value:
        return None
    if field in ("after", "before"):
        iso = parse_date(value)
        return Filter(field, iso) if iso else None
    if field == "has":
        canonical = HAS_VALUES.get(value.lower())
        return Filter(field, canonical) if canonical else None
    return Filter(field, value)


def parse_date(value: str) -> str | None:
    match = _DATE.match(value)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None
