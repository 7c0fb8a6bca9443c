"""Reply extraction: the text an author newly wrote, apart from quotes and signature.

The body is read as lines, and each line gets one of three labels: new,
quote, signature.  The rules, in order:

1. The first reply header outside any `>` quote -- an Outlook header block,
   `-----Original Message-----`, or an attribution followed by unprefixed
   text -- starts a trailing quote: it and everything below is quote.  A
   forward (`---------- Forwarded message ---------`, or a header block whose
   subject says FW:) is new content and kept whole.
2. Runs of quoted lines (`>`, `＞`, `|`, `｜`) at the start or at the end of what
   is left are quote, with the attribution line that introduces them; runs
   between pieces of new text are inline answers and stay (only their
   attribution goes).
3. The signature is cut from the end of the new text (`bridge.replies.signatures`);
   a quote run that ends up last after that is trailing quote too.

For HTML-only mail the HTML is rendered to text first; the client's reply
structure (divRplyFwdMsg, gmail_quote, blockquote) marks the quote.

The rules see each line with bidirectional controls removed (Hebrew and Arabic
clients wrap names and addresses in them); the text kept is the original.  The
header rules only look at the lines `markers.candidates` picks (one combined
pattern over the whole body).  Every result says how sure it is
(`bridge.replies.confidence`): `high`, or `low` with the reasons.

`quoted_text` and `signature` hold the lines that were cut, unchanged, so a
reader can always show the full original.  Nothing here raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bridge.parsing.html_text import render
from bridge.replies import attributions as attr
from bridge.replies import confidence, markers
from bridge.replies.confidence import Trace
from bridge.replies.signatures import signature_rule

NEW, QUOTE, SIGNATURE = "new", "quote", "signature"

_QUOTED = re.compile(r"^[ \t]{0,3}(?:>(?![=＝])|＞|[|｜](?![|｜-]))")


@dataclass(frozen=True)
class Reply:
    reply_text: str
    quoted_text: str
    signature: str
    confidence: str = confidence.HIGH       # "high" | "low"
    reasons: tuple[str, ...] = ()           # why it is low (codes of bridge.replies.confidence.REASONS)


def extract_reply(body_text: str, body_html: str = "", subject: str = "") -> Reply:
    """Split a body into new text, cut quotes and cut signature; never raises.

    `subject`, when given, tells a forward (FW:/Fwd:/転送:) from a reply: an
    Outlook header block in a forwarded message is forwarded content, kept.
    """
    try:
        return _extract(body_text or "", body_html or "", attr.FORWARD_SUBJECT.match(subject or "") is not None)
    except Exception:  # a wrong cut is better than a lost message
        return Reply(normalize(body_text or ""), "", "", confidence.LOW, ("extraction-failed",))


def normalize(text: str) -> str:
    """Trailing blanks off each line, no leading/trailing blank lines, one final newline."""
    lines = [line.rstrip(" \t") for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    body = "\n".join(lines).strip("\n")
    return body + "\n" if body.strip() else ""


def _extract(text: str, html: str, is_forward: bool) -> Reply:
    tail = ""
    trace = Trace(html=html, from_html=False)
    if not text.strip() and html.strip():
        rendered = render(html, mark_quotes=True)
        text = rendered.text
        trace.from_html = True
        if rendered.quote_start is not None:
            text, tail = text[:rendered.quote_start], text[rendered.quote_start:]
            trace.cut = "html"
    shown = _split_shared_lines(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    lines = [markers.strip_bidi(line) for line in shown] if markers.has_bidi(text) else shown   # what the rules see
    labels = [NEW] * len(lines)
    trace.candidates = markers.candidates(lines, attr.MAX_LINE)
    forward = _label_trailing_header(lines, labels, is_forward, trace)
    head = lines[:forward]          # a forward is kept whole: rules 2-3 stop above it
    _label_quotes_and_signature(head, labels, trace)
    new = [line for line, label in zip(shown, labels) if label == NEW]
    quoted = "\n".join(line for line, label in zip(shown, labels) if label == QUOTE)
    if tail:
        quoted = f"{quoted}\n{tail}" if quoted else tail
    signature = "\n".join(line for line, label in zip(shown, labels) if label == SIGNATURE)
    level, reasons = confidence.assess(lines, labels, trace)
    return Reply(normalize("\n".join(new)), quoted, signature, level, reasons)


def _split_shared_lines(lines: list[str]) -> list[str]:
    """Put an attribution typed at the end of a text line (`reply On … wrote:`) on its own line."""
    out: list[str] = []
    for line in lines:
        parts = attr.split_shared_line(line) if ("wrote" in line or "writes" in line) \
            and not is_quoted(line) else None
        out.extend(parts if parts else (line,))
    return out


def is_quoted(line: str) -> bool:
    """A line quoted with `>`, full-width `＞`, `|` or `｜` (but `>= 80点` and a `|a|b|` table row are text)."""
    if not _QUOTED.match(line):
        return False
    stripped = line.strip()
    return not (stripped[0] in "|｜" and stripped[-1] in "|｜" and sum(stripped.count(c) for c in "|｜") > 2)


def _label_trailing_header(lines: list[str], labels: list[str], is_forward: bool, trace: Trace) -> int:
    """Rule 1: everything from the first unprefixed reply header down is quote.

    When an earlier attribution introduced a `>` quote, the history starts
    there: what sits between that quote and the header is older mail too.
    Returns where a forward starts (len(lines) when there is none).
    """
    history = None
    for i in sorted(trace.candidates):
        line = lines[i]
        if not line.strip() or is_quoted(line) or attr.is_rule(line):
            continue                # rules go with the header below them
        if attr.is_forward_marker(line):
            trace.forward = True
            return _include_rules_above(lines, i)
        span = attr.header_block_span(lines, i)
        if _starts_forward(lines, i, span, is_forward):
            trace.forward = True
            return _include_rules_above(lines, i)
        cut = "header" if span else "separator" if attr.is_separator(line) else \
            "attribution" if _unprefixed_attribution(lines, i) else None
        if cut:
            trace.cut, trace.cut_line = cut, line
            start = _include_rules_above(lines, i if history is None else history)
            labels[start:] = [QUOTE] * (len(lines) - start)
            return len(lines)
        if history is None and _quoting_attribution(lines, i):
            history = i
    return len(lines)


def _starts_forward(lines: list[str], i: int, span: int, is_forward: bool) -> bool:
    """A header block (or `-----Original Message-----` over one) in a forwarded message.

    The message is a forward when its subject says so, or when the block's
    own Subject field does (FW: 転送: …).
    """
    if not span and attr.is_separator(lines[i]) and i + 1 < len(lines):
        i, span = i + 1, attr.header_block_span(lines, i + 1)
        if not span and not is_forward:
            return False
    elif not span:
        return False
    return is_forward or attr.header_block_is_forward(lines, i, span)


def _quoting_attribution(lines: list[str], i: int) -> bool:
    span = attr.attribution_span(lines, i)
    j = _next_content(lines, i + span) if span else None
    return j is not None and is_quoted(lines[j]) and attr.is_strong_attribution(lines, i, span)


def _unprefixed_attribution(lines: list[str], i: int) -> bool:
    """An attribution followed by plain (not `>`-quoted) text quotes everything below it."""
    span = attr.attribution_span(lines, i)
    if not span or not attr.is_strong_attribution(lines, i, span):
        return False
    j = _next_content(lines, i + span)
    if j is None:       # an attribution with nothing but blank lines (or distant text) after it
        return not any(line.strip() for line in lines[i + span:])
    return not is_quoted(lines[j])


def _include_rules_above(lines: list[str], i: int) -> int:
    """Separator lines (rules, blank lines) directly above a header go with it."""
    start = i
    j = i - 1
    while j >= 0 and (not lines[j].strip() or attr.is_rule(lines[j])):
        if lines[j].strip():
            start = j
        j -= 1
    return start


def _next_content(lines: list[str], start: int) -> int | None:
    for j in range(start, min(len(lines), start + 8)):
        if lines[j].strip():
            return j
    return None


def _label_quotes_and_signature(lines: list[str], labels: list[str], trace: Trace) -> None:
    """Rules 2 and 3 over the lines still labelled new."""
    _label_attributions(lines, labels, trace.candidates)
    _label_leading_quote(lines, labels)
    _label_trailing_quote(lines, labels)
    if _label_signature(lines, labels, trace):
        _label_trailing_quote(lines, labels)


def _label_attributions(lines: list[str], labels: list[str], wanted: set[int]) -> None:
    """An attribution introducing a `>` run is removed, even above a kept inline quote."""
    i = 0
    while i < len(lines):
        span = attr.attribution_span(lines, i) if labels[i] == NEW and i in wanted else 0
        j = _next_content(lines, i + span) if span else None
        if span and j is not None and is_quoted(lines[j]):
            labels[i:i + span] = [QUOTE] * span
            i += span
        else:
            i += 1


def _label_leading_quote(lines: list[str], labels: list[str]) -> None:
    """Quote lines before any new text (bottom posting) are quote."""
    for i, line in enumerate(lines):
        if labels[i] != NEW:
            continue
        if is_quoted(line):
            labels[i] = QUOTE
        elif line.strip():
            return


def _label_trailing_quote(lines: list[str], labels: list[str]) -> bool:
    """Quote lines after the last new text are quote; True when something changed.

    A quoted forward (`> Begin forwarded message:` opening the run) is kept.
    """
    run: list[int] = []
    for i in range(len(lines) - 1, -1, -1):
        if labels[i] != NEW:
            continue
        if is_quoted(lines[i]) or _wrapped_quote_line(lines, i):
            run.append(i)
        elif lines[i].strip():
            break
    first = next((i for i in reversed(run) if _QUOTED.sub("", lines[i]).strip()), None)
    if first is not None and attr.is_forward_marker(_QUOTED.sub("", lines[first])):
        return False
    for i in run:
        labels[i] = QUOTE
    return bool(run)


def _wrapped_quote_line(lines: list[str], i: int) -> bool:
    """A line right under a quoted one, starting lower-case or with punctuation, is that quote wrapped."""
    first = lines[i].lstrip()[:1]
    return i > 0 and first.isascii() and not (first.isupper() or first.isdigit()) and first != "" \
        and is_quoted(lines[i - 1])


def _label_signature(lines: list[str], labels: list[str], trace: Trace) -> bool:
    """Cut the signature from the new lines; True when something changed."""
    index = [i for i, label in enumerate(labels[:len(lines)]) if label == NEW]
    found = signature_rule([lines[i] for i in index])
    if found is None:
        return False
    start, trace.signature = found
    for i in index[start:]:
        labels[i] = SIGNATURE
    return True
