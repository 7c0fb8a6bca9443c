"""The reply markers of every language table, compiled once (see `bridge.replies.languages`).

One alternation per kind, longest phrase first, plus `PREFILTER`: one pattern
that every line a header rule could fire on matches (a verb, an opener, a
separator or forward phrase, a header label, an `@`, a year, a rule line).
`candidates()` runs it once over the whole text, so the per-line rules of
`bridge.replies.attributions` skip the other lines without looking at them.
Bidirectional controls are stripped before matching (`strip_bidi`), never from
what is stored.
"""

from __future__ import annotations

import bisect
import re

from bridge.replies.languages import (FIELD, FORWARD, FROM, OPENER, SEPARATOR, TAGLINE, WROTE, Row, austronesian,
                                      baltic, cjk, germanic, hellenic, indic, mainland_asian, romance, semitic, slavic,
                                      turkic, uralic)

FAMILIES = (germanic, romance, slavic, cjk, uralic, turkic, hellenic, semitic, austronesian, mainland_asian,
            indic, baltic)
ROWS: tuple[Row, ...] = tuple(row for family in FAMILIES for row in family.ROWS)
LANGUAGES = sorted({row.lang for row in ROWS})

# What a tagline names: a device, an app, or a mail service (matched anywhere in the next words).
DEVICES = (r"iPhon|iPad|iPod|Apple Watch|Android|Galaxy|Samsung|Outlook|Gmail|mail|BlackBerry|Huawei|Xperia"
           r"|Pixel|Xiaomi|OnePlus|Windows|Yahoo|AOL|GMX|mobil|smartphone|phone|device|iOS|Mac|Telefon|móvil"
           r"|携帯|ケータイ|スマートフォン|スマホ|メール|au|docomo|ドコモ|SoftBank|ソフトバンク|Rakuten|楽天")
_DEVICE = rf"[^\n]{{0,40}}?(?:{DEVICES})"
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_WORD_BEFORE = r"(?:^|(?<=[\s,(>]))"
_WORD_AFTER = r"(?=[\s,(:：]|$)"


def has_bidi(text: str) -> bool:
    return _BIDI.search(text) is not None


def strip_bidi(text: str) -> str:
    """Text without bidirectional controls (Hebrew/Arabic clients wrap names and addresses in them)."""
    return _BIDI.sub("", text) if "\u200e" <= max(text, default="\0") else text


def alternation(kind: str, inside: bool | None = None) -> str:
    patterns = {row.pattern for row in ROWS if row.kind == kind and (inside is None or row.inside == inside)}
    return grouped(patterns)


def grouped(patterns: set[str]) -> str:
    """A case-insensitive alternation grouped by first letter (`[fF](?:rom|rån|ra)|…`), longest first.

    At one position the engine then tries the few phrases of that letter instead
    of every phrase of every language.  A pattern that does not start with a
    plain character stays a branch of its own.
    """
    groups: dict[str, set[str]] = {}
    alone = []
    for pattern in patterns:
        first = pattern[0]
        if first in "([\\.{^$|?*+" or pattern[1:2] in ("?", "*", "+", "{"):
            alone.append(pattern)
        else:
            groups.setdefault(first.lower(), set()).add(pattern[1:])
    branches = [f"[{re.escape(first + first.upper())}](?:{'|'.join(sorted(rests, key=lambda r: (-len(r), r)))})"
                for first, rests in sorted(groups.items())]
    return "|".join(branches + sorted(alone, key=lambda p: (-len(p), p)))


_WROTE_ALL = alternation(WROTE)
_WROTE_MID = alternation(WROTE, inside=True)
_OPENERS = alternation(OPENER)
_STRONG_OPENERS = alternation(OPENER, inside=True)
_SEPARATORS = alternation(SEPARATOR)
_FORWARDS = alternation(FORWARD)
_FROM = alternation(FROM)
_FIELDS = alternation(FIELD)

WROTE_END = re.compile(rf"(?:{_WROTE_ALL})\s*[:：]?\s*$", re.I)
VERB_INSIDE = re.compile(rf"{_WORD_BEFORE}(?:{_WROTE_MID}){_WORD_AFTER}.{{0,80}}[:：]\s*$", re.I)
WROTE_INSIDE = re.compile(rf"@.{{0,120}}{_WORD_BEFORE}(?:{_WROTE_MID}){_WORD_AFTER}.{{0,80}}[:：]\s*$", re.I)
OPENER_START = re.compile(
    rf"^(?:(?:{_OPENERS}){_WORD_AFTER}|\d{{4}}[/年.-]|\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}|\w{{2,4}}\.?, |\d{{1,2}} \w+ \d{{4}})",
    re.I)
STRONG_OPENER = re.compile(rf"^(?:{_STRONG_OPENERS}){_WORD_AFTER}", re.I)
HEADER_FROM = re.compile(rf"^[\s*]*(?:{_FROM})\s*\*?\s*[:：]", re.I)
HEADER_OTHER = re.compile(rf"^[\s*]*(?:{_FIELDS}|Cc/Bcc)\s*\*?\s*[:：]", re.I)
_PHRASES = rf"(?:{_SEPARATORS})(?:\s*(?:-{{1,3}}|/)\s*(?:{_SEPARATORS}|Orig\.\s?Msg\.?))*"
SEPARATOR_LINE = re.compile(
    rf"^[\s>]*[-=_*]{{2,}}\s*(?:{_PHRASES}|.{{0,200}}(?:\bwrote|が書きました)\s*[:：]?)\s*[-=_*]{{2,}}"
    rf"\s*(?:$|(?:{_FROM})\s*\*?\s*[:：].*$)", re.I)
FORWARD_LINE = re.compile(rf"^[\s>]*(?:[-=_*]{{2,}}\s*)?(?:{_FORWARDS})\b.{{0,40}}$", re.I)
_TAGLINES = {row.pattern for row in ROWS if row.kind == TAGLINE}
# Taglines that start with their words ("Sent from my {d}", "Von meinem {d} … gesendet") are one anchored
# pattern; those that start with the device ("{d}から送信", "{d}에서 보냄") are found from the device word
# on (a lazy scan for a device under every one of them would cost a third of a millisecond per line).
TAGLINE_LINE = re.compile(
    r"^\s*[(<]*(?:" + grouped({p.replace("{d}", _DEVICE) for p in _TAGLINES if not p.startswith("{d}")}) + ")", re.I)
_DEVICE_WORD = re.compile(grouped(set(DEVICES.split("|"))), re.I)
_AFTER_DEVICE = re.compile(r"[\w'’-]{0,8}?(?:" + grouped({p[3:] for p in _TAGLINES if p.startswith("{d}")}) + ")",
                           re.I)      # the rest of the device's word ("iPhon|e"), then the tagline's words


def is_tagline(line: str) -> bool:
    """A device/app tagline of any table (`Sent from my iPhone`, `iPhoneから送信`, `iPhone에서 보냄` …).

    Every row names a device or app except English `Sent from X`; a line naming none is refused at
    the cost of one scan that skips, in C, every character no device word starts with.
    """
    low = line.lower()
    if _DEVICE_HINT.search(low) is None and not low.lstrip(" \t(<").startswith("sent from "):
        return False
    if TAGLINE_LINE.match(line):
        return True
    start = len(line) - len(line.lstrip(" \t(<"))
    return any(_AFTER_DEVICE.match(line, found.end())
               for found in _DEVICE_WORD.finditer(line, start, start + 44 + 20))


def by_first_character(fragments: set[str]) -> str:
    """An alternation grouped by first character (lower-cased): `(?:a(?:bc|d)|x(?:yz))`.

    Every branch then starts with a literal, so the regex engine skips, in C,
    each position whose character starts no fragment; only the few fragments
    of that character are tried.  (A flat alternation of 400 phrases is tried
    at every position of the text: seconds on a megabyte.)
    """
    groups: dict[str, set[str]] = {}
    for fragment in fragments:
        fragment = fragment.lower()
        groups.setdefault(fragment[0], set()).add(fragment[1:])
    return "|".join(f"{re.escape(first)}(?:{'|'.join(sorted(rests, key=lambda r: (-len(r), r)))})"
                    for first, rests in sorted(groups.items()))


_DEVICE_HINT = re.compile(by_first_character(set(DEVICES.split("|"))))   # on lower-cased text (is_tagline)


def _fragments(*kinds: str) -> set[str]:
    return {row.pattern for row in ROWS if row.kind in kinds}


# Lines are lower-cased and joined with "\n" behind a leading "\n", so "start of a line" is a literal too.
_LINE_START = by_first_character(_fragments(OPENER, FROM, FIELD))
PREFILTER = re.compile(
    rf"\n(?:[^\S\n]|[*>-])*(?:{_LINE_START})(?=[\s,(:：]|$)|\n[ \t]*\d{{1,2}}[./]\d{{1,2}}|\n[ \t]*(?:_{{5,}}|-{{4,}}|={{4,}})[ \t]*$"
    rf"|\n(?:[^\S\n]|>)*[-=_*]{{2,}}|\n(?:[^\S\n]|>)*(?:{by_first_character(_fragments(FORWARD))})"      # separators, forwards
    rf"|\n\S{{1,4}}, |\n\d{{1,2}} \w+ \d|@|1(?=9\d\d)|2(?=0\d\d)|{by_first_character(_fragments(WROTE))}",
    re.M)


def candidates(lines: list[str], max_line: int) -> set[int]:
    """Indexes of the lines some header rule could match (one pass of `PREFILTER` over the text)."""
    shown = [line if len(line) <= max_line else "" for line in lines]
    text = "\n" + "\n".join(shown)
    lowered = text.lower()
    if len(lowered) != len(text):       # a character whose lower case is longer (İ): lower line by line
        shown = [line.lower() for line in shown]
        lowered = "\n" + "\n".join(shown)
    starts, pos = [], 0
    for line in shown:
        starts.append(pos)          # where "\n" + line starts in the joined text
        pos += len(line) + 1
    return {bisect.bisect_right(starts, match.start()) - 1 for match in PREFILTER.finditer(lowered)}
