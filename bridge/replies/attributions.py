"""Recognizing the lines that introduce quoted or forwarded mail.

Three shapes, in the languages the peers' suites and Japanese offices use:

- an attribution line: `On … wrote:`, `Am … schrieb …:`, Gmail's
  `2024年5月13日(月) 10:21 名前 <addr>:`, Apple's `…のメッセージ:`, Becky!'s
  `On <date>` + `名前 <addr> wrote:` (wrapped attributions are joined, at most
  three lines);
- a separator: `-----Original Message-----` and its translations;
- a header block: `From:`/`差出人:` followed closely by `Sent:`/`送信日時:`,
  `To:`/`宛先:`, `Subject:`/`件名:` … (Outlook, Thunderbird, Lotus).

Every pattern is anchored and bounded (lines are capped in length before
matching), so a hostile 1 MB line cannot make them backtrack for long.
"""

from __future__ import annotations

import re

from bridge.replies import markers

MAX_LINE = 400      # longer lines are never headers; skip them before any regex

_WROTE = markers.WROTE_END
_WROTE_START = markers.OPENER_START
_VERB_INSIDE = markers.VERB_INSIDE
_WROTE_INSIDE = markers.WROTE_INSIDE
_WROTE_ON = re.compile(r"\bwrote on .{0,40}\d{1,2}:\d{2}(:\d{2})?(\s?[AP]M)?\s*[:：]\s*$", re.I)   # Lotus Notes
_GMAIL_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{2} GMT[+-]\d{1,2}:\d{2} \S")
_DASH_PREFIX = re.compile(r"^[-–—]+\s+")     # Zimbra: "- Le … a écrit :"
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_ADDR_COLON = re.compile(r"^(?=.{0,300}\d).{0,300}<?[\w.+'-]+@[\w-]+(\.[\w-]+)+>{0,2}\s*[:：]\s*$")
_CLOSING_GT = re.compile(r"^>\s*(\w[\w ]{0,30})?[:：]$")   # `<addr` wrapped before its `>:`
_DATE_ADDR = re.compile(r"^\d{4}[/-]\d{1,2}[/-]\d{1,2}\b.{0,150}<[^<>@\s]+@[^<>\s]+>\s*$")
_SHARED_LINE = re.compile(r"^(\S.{0,200}?)\s*((?:-{2,}\s*)?On\s.{5,200}\s(?:wrote|writes):?)\s*$")
_SEPARATOR = markers.SEPARATOR_LINE
_FORWARD = markers.FORWARD_LINE
HEADER_FROM = markers.HEADER_FROM
HEADER_OTHER = markers.HEADER_OTHER
FORWARD_SUBJECT = re.compile(r"^\s*(\[[^\]]{0,40}\]\s*)?(FW|Fwd|TR|WG|RV|VS|Vb|転送)\s*[:：]", re.I)
_SUBJECT_FORWARD = re.compile(r"^[\s*]*(Subject|件名|Betreff|Objet|Asunto|Onderwerp|Ämne|Emne|Aihe|Temat"
                              r"|Oggetto)\s*\*?\s*[:：]\s*(FW|Fwd|TR|WG|RV|Doorst|VS|Vb|転送)\s*[:：]", re.I)
_WRAPPED_ADDR = re.compile(r"^\s*[<\[]?(mailto:)?[\w.+'-]+@[\w.-]+[>\]]?\s*$")
_RULE = re.compile(r"^\s*(_{5,}|-{4,}|={4,})\s*$")


def attribution_span(lines: list[str], i: int, check_next: bool = True) -> int:
    """Number of lines (1–3) of an attribution starting at `lines[i]`, or 0.

    A wrapped attribution is joined only when the next line does not start
    one itself (`Am heutigen Tage` above `Am So., … schrieb …:` stays text).
    """
    first = lines[i].strip()
    if not first or len(first) > MAX_LINE or first[0] in ">＞|｜":
        return 0
    if _is_attribution(first):
        return 1
    if not (_WROTE_START.match(_DASH_PREFIX.sub("", first)) or _YEAR.search(first) or "@" in first):
        return 0
    if check_next and i + 1 < len(lines) and _WROTE_START.match(lines[i + 1].strip()) \
            and attribution_span(lines, i + 1, check_next=False):
        return 0
    joined = first
    strong = bool(_WROTE_START.match(_DASH_PREFIX.sub("", first)))
    for extra in range(1, 6 if strong else 3):
        if i + extra >= len(lines):
            break
        nxt = lines[i + extra].strip()
        if not nxt and strong and _next_starts_address(lines, i + extra):
            continue            # Polymail puts blank lines before the wrapped `<address>`
        if not nxt or len(nxt) > MAX_LINE or nxt[0] in ">＞" and not _CLOSING_GT.match(nxt) \
                or _WROTE_START.match(_DASH_PREFIX.sub("", nxt)):
            break
        joined += nxt if nxt[0] == ">" or joined.endswith("<") else " " + nxt
        if _is_attribution(joined):
            return extra + 1
    return 0


def _next_starts_address(lines: list[str], j: int) -> bool:
    for line in lines[j:j + 3]:
        if line.strip():
            return line.lstrip().startswith("<")
    return False


def _is_attribution(text: str) -> bool:
    """Every shape ends in a colon, a verb (`… wrote`, `…のメッセージ`) or `<addr>`, or starts with an
    ISO date: the last character rules out most lines of ordinary text before any regex runs."""
    if len(text) > MAX_LINE * 3:
        return False
    text = _DASH_PREFIX.sub("", text)
    end = text.rstrip()[-1:]
    colon = end in (":", "：")
    if colon and _WROTE_START.match(text) and _VERB_INSIDE.search(text[-200:]):
        return True
    if colon and markers.STRONG_OPENER.match(text) and ("@" in text or _YEAR.search(text)):
        return True         # `Wiadomość napisana przez … w dniu …:`, `נכתב על ידי …, ב־…:`
    if (colon or end == ")" or end.isalpha()) and _WROTE.search(text[-60:]):
        return bool(_WROTE_START.match(text)) or len(text) < 160 or "@" in text or bool(_YEAR.search(text))
    if colon:
        return bool(_ADDR_COLON.match(text) or _WROTE_INSIDE.search(text[-300:]) or _GMAIL_ISO.match(text)
                    or _WROTE_ON.search(text[-120:]))
    return bool((end == ">" and _DATE_ADDR.match(text)) or _GMAIL_ISO.match(text))


def is_quoted_marker(text: str) -> bool:
    """Text starting with a quote mark (`>`, `＞`, `|`, `｜`)."""
    return text[:1] in (">", "＞", "|", "｜")


def is_strong_attribution(lines: list[str], i: int, span: int) -> bool:
    """An attribution naming a date or an address, not a bare `Someone wrote:`."""
    text = " ".join(lines[i:i + span])
    return "@" in text or bool(re.search(r"\d", text))


def is_separator(line: str) -> bool:
    """`-----Original Message-----` and translations."""
    return len(line) < MAX_LINE and bool(_SEPARATOR.match(line))


def is_forward_marker(line: str) -> bool:
    return len(line) < MAX_LINE and bool(_FORWARD.match(line))


def is_rule(line: str) -> bool:
    return len(line) < MAX_LINE and bool(_RULE.match(line))


def split_shared_line(line: str) -> tuple[str, str] | None:
    """`reply On … wrote:` typed on one line: the text and the attribution apart."""
    if len(line) > MAX_LINE or "On " not in line:
        return None
    match = _SHARED_LINE.match(line)
    if not match or not any(ch.isalnum() for ch in match.group(1)):
        return None     # "- On … wrote:" is one attribution with a dash, not text + attribution
    return match.group(1), match.group(2)


def header_block_span(lines: list[str], i: int) -> int:
    """Lines of a `From:` + (`Sent:`|`To:`|`Subject:` …) header block at `i`, or 0.

    A block may also open with another field (`Date:` first) when it has a
    `From:` and at least three fields.
    """
    if len(lines[i]) > MAX_LINE:
        return 0
    if not HEADER_FROM.match(lines[i]):
        return _other_first_block(lines, i)
    end, others = i + 1, 0
    while end < len(lines) and end - i < 12:
        line = lines[end]
        if len(line) < MAX_LINE and (HEADER_OTHER.match(line) or HEADER_FROM.match(line)):
            others += 1
        elif not (line.startswith((" ", "\t")) and line.strip()) and not (end == i + 1 and _WRAPPED_ADDR.match(line)):
            break
        end += 1
    return end - i if others else 0


def _other_first_block(lines: list[str], i: int) -> int:
    if not HEADER_OTHER.match(lines[i]):
        return 0
    end = i
    while end < len(lines) and end - i < 8 and len(lines[end]) < MAX_LINE \
            and (HEADER_OTHER.match(lines[end]) or HEADER_FROM.match(lines[end])):
        end += 1
    has_from = any(HEADER_FROM.match(line) for line in lines[i:end])
    return end - i if has_from and end - i >= 3 else 0


def header_block_is_forward(lines: list[str], start: int, span: int) -> bool:
    """An Outlook-style block whose Subject says FW:/Fwd:/転送: introduces a forward."""
    return any(_SUBJECT_FORWARD.match(line) for line in lines[start:start + span] if len(line) < MAX_LINE)
