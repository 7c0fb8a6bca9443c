"""How sure an extraction is: `high`, or `low` with the reasons.

Peers fail silently (text dropped, or a wall of quotes); kairan says when it
may have gone wrong, from what the rules did (`Trace`) and what they left:

- a cut at an attribution that names no verb or date shape of any table;
- nothing left as new text although the body had some;
- a signature-like block (an office, contact details) left at the end;
- two header fields in a row, or a dashed title line (`-----… Message-----`)
  left in the new text (an unknown client's separator, probably);
- an attribution-like line left in the new text (ending in a colon after an
  address, a date or a time);
- the HTML part has its client's quote structure but the plain part had no
  recognisable quote (the two parts disagree);
- lines quoted the Supercite way (`AB> …`) left in the new text.

The reasons are codes (`REASONS` says each in English; the web shows Japanese).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bridge.replies import attributions as attr
from bridge.replies import markers, shapes, signatures

HIGH, LOW = "high", "low"
REASONS = {
    "cut-at-unrecognised-separator": "cut at an attribution-like line no client table knows",
    "nothing-new": "no new text found in a non-empty body",
    "signature-like-kept": "signature-like block kept at the end",
    "separator-like-kept": "a header or rule line with text below it was kept",
    "attribution-like-kept": "an attribution-like line was kept",
    "html-text-disagree": "the HTML part marks a quote the text part does not show",
    "quote-like-kept": "lines with an unusual quote mark (`AB>`) were kept",
    "extraction-failed": "extraction failed; the whole body is kept",
}
_HTML_QUOTE = re.compile(r"gmail_quote|divRplyFwdMsg|type=\"?cite|moz-cite-prefix|OutlookMessageHeader|yahoo_quoted"
                         r"|AppleOriginalContents|border-top:\s*solid #E1E1E1|mail-quote|protonmail_quote", re.I)
_TIME = re.compile(r"\d{1,2}[:.]\d{2}")
_PHONE_OR_MAIL = re.compile(r"TEL|Tel\b|電話|内線|FAX|〒|\d{2,4}-\d{2,4}-\d{3,4}|[\w.+-]+@[\w-]+\.[\w.-]+")
_ODD_QUOTE = re.compile(r"^[A-Za-z]{1,4}>(?:\s|$)")
_DASHED_TITLE = re.compile(r"^[\s*>]*[-=_]{2,}\s*\S.{0,100}?\s*[-=_]{2,}[\s*]*$")
_RULE_ONLY = re.compile(r"^[\s*>]*[-=_ ]+$")
_DATE_OR_TIME = re.compile(r"\d{1,2}[:.]\d{2}|\b(?:19|20)\d\d\b|\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}")


@dataclass
class Trace:
    """What the rules did to one body."""
    html: str = ""
    from_html: bool = False
    cut: str | None = None          # "html" | "header" | "separator" | "attribution" | None
    cut_line: str = ""
    forward: bool = False
    signature: str | None = None    # the signature rule that fired
    candidates: set[int] = field(default_factory=set)    # lines the header rules looked at


def assess(lines: list[str], labels: list[str], trace: Trace) -> tuple[str, tuple[str, ...]]:
    """(`high` | `low`, reasons) for lines labelled new/quote/signature."""
    new = [i for i, label in enumerate(labels) if label == "new" and lines[i].strip()]
    reasons = []
    if trace.cut == "attribution" and _weak_attribution(trace.cut_line):
        reasons.append("cut-at-unrecognised-separator")
    if not new and any(line.strip() for line in lines):
        reasons.append("nothing-new")
    if new and not trace.forward:
        if _signature_like(lines, new):
            reasons.append("signature-like-kept")
        if _separator_like(lines, new):
            reasons.append("separator-like-kept")
        if any(_attribution_like(lines[i]) for i in new):
            reasons.append("attribution-like-kept")
    if trace.html and not trace.from_html and trace.cut is None and "quote" not in labels \
            and _HTML_QUOTE.search(trace.html[:200_000]):
        reasons.append("html-text-disagree")
    if sum(1 for i in new if _ODD_QUOTE.match(lines[i])) >= 2:
        reasons.append("quote-like-kept")
    return (LOW if reasons else HIGH), tuple(reasons)


def _weak_attribution(line: str) -> bool:
    text = line.strip()
    return not (markers.WROTE_END.search(text[-80:]) or markers.VERB_INSIDE.search(text[-200:])
                or markers.WROTE_INSIDE.search(text[-300:]) or markers.OPENER_START.match(text)
                or _TIME.search(text))


def _signature_like(lines: list[str], new: list[int]) -> bool:
    """The last kept block (after the last blank line, at most four lines) holds a phone, an address or an
    office's name, or sits under a rule line."""
    block = [new[-1]]
    for i in reversed(new[:-1]):
        if i != block[-1] - 1 or len(block) >= 4:
            break
        block.append(i)
    if len(block) == len(new):
        return False            # the whole text is one short block: nothing to tell it from
    texts = [lines[i].strip() for i in block if not attr.is_quoted_marker(lines[i].lstrip())]
    return any(len(t) < 80 and _PHONE_OR_MAIL.search(t) for t in texts) \
        or any(shapes.line_kind(t) in ("org", "orgname", "name+") for t in texts) \
        or any(signatures.is_rule_line(t) or attr.is_rule(t) for t in texts[1:])


def _separator_like(lines: list[str], new: list[int]) -> bool:
    """A kept header block (two header fields in a row: an unknown client's `From:` above known ones), or a
    dashed title line (`-----Something Message-----`, `---- Someone wrote ----`)."""
    for n, i in enumerate(new):
        line = lines[i]
        if len(line) >= attr.MAX_LINE:
            continue
        if line.lstrip(" \t*>")[:1] in ("-", "=", "_") and _DASHED_TITLE.match(line) and not _RULE_ONLY.match(line):
            return True
        if n + 1 < len(new) and new[n + 1] == i + 1 and _colon_early(line) and _colon_early(lines[i + 1]) \
                and _header_field(line) and _header_field(lines[i + 1]):
            return True
    return False


def _colon_early(line: str) -> bool:
    """A colon within the first 40 characters: the cheap half of "this is a header field"."""
    head = line[:40]
    return ":" in head or "：" in head


def _header_field(line: str) -> bool:
    return len(line) < attr.MAX_LINE and bool(attr.HEADER_FROM.match(line) or attr.HEADER_OTHER.match(line))


def _attribution_like(line: str) -> bool:
    text = line.strip()
    if len(text) > attr.MAX_LINE or not text.endswith((":", "：")) or attr.is_quoted_marker(text):
        return False
    return ("@" in text and any(ch.isdigit() for ch in text)) or bool(markers.WROTE_END.search(text[-80:])) \
        or (15 <= len(text) <= 300 and _DATE_OR_TIME.search(text) is not None)
