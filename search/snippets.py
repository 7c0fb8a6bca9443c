"""Snippets cut from the original text (never the bigram form), the matches marked.

The query's words and phrases become patterns over the normalized text
(kanji/kana runs as plain substrings, Latin words on word boundaries); spans
found there map back to the original characters. The snippet is the window
holding the most different query words, whitespace folded to single spaces.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from search.analysis import LATIN_CHAR, normalize_with_offsets, query_runs
from search.querylang import Text

WIDTH = 120               # characters of context in a snippet
LEAD = 30                 # of which before the first match
SCAN = 50_000             # characters of a long text searched for matches
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Snippet:
    text: str
    html: str
    matched: bool


def patterns(texts: list[Text]) -> list[re.Pattern]:
    """One pattern per query word or phrase, over normalized text."""
    found = []
    for text in texts:
        parts = []
        for run, cjk in query_runs(text.text):
            escaped = re.escape(run)
            parts.append(escaped if cjk else f"(?<!{LATIN_CHAR}){escaped}(?!{LATIN_CHAR})")
        if parts:
            found.append(re.compile(r"[\W_]*".join(parts)))
    return found


def find_spans(text: str, compiled: list[re.Pattern]) -> list[tuple[int, int, int]]:
    """(start, end, pattern number) of the matches in the original text, in order, not overlapping."""
    normal, offsets = normalize_with_offsets(text[:SCAN])
    spans = []
    for number, pattern in enumerate(compiled):
        for match in pattern.finditer(normal):
            if match.end() > match.start():
                end = offsets[match.end() - 1] + 1
                spans.append((offsets[match.start()], end, number))
    spans.sort()
    kept: list[tuple[int, int, int]] = []
    for start, end, number in spans:
        if kept and start <= kept[-1][1] and _only_space(text[start:kept[-1][1]]):
            if start == kept[-1][1] or end > kept[-1][1]:       # touching words: one mark
                kept[-1] = (kept[-1][0], max(end, kept[-1][1]), kept[-1][2])
        elif not kept or start >= kept[-1][1]:
            kept.append((start, end, number))
    return kept


def _only_space(text: str) -> bool:
    return not text.strip()


def _best_start(spans: list[tuple[int, int, int]]) -> int:
    """The match that starts the window with the most different query words."""
    best, best_count = spans[0][0], 0
    for start, _, _ in spans:
        count = len({n for s, _, n in spans if start <= s < start + WIDTH - LEAD})
        if count > best_count:
            best, best_count = start, count
    return best


def make_snippet(text: str, compiled: list[re.Pattern], width: int = WIDTH) -> Snippet:
    """The best window of `text` with its matches marked (or its beginning when nothing matches)."""
    spans = find_spans(text, compiled) if compiled else []
    if not spans:
        plain = _fold(text[:width * 2]).strip()[:width]
        return Snippet(plain + ("…" if len(_fold(text)) > len(plain) else ""), html.escape(plain), False)
    first = _best_start(spans)
    begin = _window_start(text, first) if len(text) > width else 0
    end = min(len(text), begin + width)
    pieces, cursor = [], begin
    for start, stop, _ in spans:
        if start < begin or start >= end:
            continue
        stop = min(stop, end)
        pieces.append((text[cursor:start], False))
        pieces.append((text[start:stop], True))
        cursor = stop
    pieces.append((text[cursor:end], False))
    return _render(pieces, bool(text[:begin].strip()), bool(text[end:].strip()))


def _window_start(text: str, first: int) -> int:
    """Up to LEAD characters before the first match, from a line or sentence start when one is near."""
    floor = max(0, first - LEAD)
    for stop in ("\n", "。", ". "):
        at = text.rfind(stop, floor, first)
        if at >= 0:
            return at + len(stop)
    return floor


def _render(pieces: list[tuple[str, bool]], cut_before: bool, cut_after: bool) -> Snippet:
    plain, marked = [], []
    for piece, is_match in pieces:
        folded = _fold(piece)
        plain.append(folded)
        marked.append(f"<mark>{html.escape(folded)}</mark>" if is_match else html.escape(folded))
    text, markup = "".join(plain).strip(), "".join(marked).strip()
    if cut_before:
        text, markup = "…" + text, "…" + markup
    if cut_after:
        text, markup = text + "…", markup + "…"
    return Snippet(text, markup, True)


def _fold(text: str) -> str:
    return _SPACE.sub(" ", text)


def highlight(text: str, compiled: list[re.Pattern]) -> str:
    """The whole (short) text, escaped, with its matches marked: for subjects."""
    pieces, cursor = [], 0
    for start, end, _ in find_spans(text, compiled) if compiled else []:
        pieces.append(html.escape(text[cursor:start]) + f"<mark>{html.escape(text[start:end])}</mark>")
        cursor = end
    return "".join(pieces) + html.escape(text[cursor:])
