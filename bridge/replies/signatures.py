"""Finding where the author's signature starts in the new text.

A signature is cut from one of these, at the end of the new text:

- a `-- ` / `--` delimiter line (RFC 3676 and its common misspellings);
- a device or app tagline (`Sent from my iPhone`, `iPhoneから送信`, `Get Outlook for iOS` …);
- a ruled box: a line drawn with ━ ─ ― ＝ = ■ □ ◆ ◇ ○ ● ☆ ★ ※ ＊ ・ ～ ┈ * - _ … (or
  mixed, `=-=-`, spaced `* * *`) opening a short block (Japanese offices frame
  their signatures so), or a footer: such a rule over a short block that reads
  like an office's name;
- a trailing block of contact details (organization, name, TEL/内線/FAX/E-mail/〒/URL)
  with no delimiter at all;
- a short trailing signature by its shape (`bridge.replies.shapes`): 1–3 lines after
  the last sentence naming an office and a person (`智頭町 企画課　森 一樹（内線 215）`).

A closing greeting and the author's bare name are not signature: a contact
block stops growing upward at a greeting line or a blank line above a name.
Device taglines come from the language tables (`bridge.replies.markers`).
"""

from __future__ import annotations

import re

from bridge.replies import markers, shapes

MAX_SIGNATURE_LINES = 14
_SENTENCE_ENDS = ("。", ".", "!", "?", "！", "？", ":")

_DELIMITER = re.compile(r"^(-- ?|--\s*|---\s*|—|__)$")
_RULE_CHARS = frozenset("━─―－=＝■□◆◇＊*~～〜-_＿┏┓┗┛┃│┌┐└┘├┤┬┴┼+＋◎●○☆★※・･…‥─━═┈┉┄┅╍╌▲△▼▽◀▶♪.．°゜·∙•▪▫◦")
_NO_RULE_CHARS = {ord(ch): None for ch in _RULE_CHARS}
_LABEL = re.compile(r"(TEL|Tel|Phone|電話|内線|FAX|Fax|携帯|Mobile)\s*[.:：]?\s*[(+\d０-９]")
_CONTACT = re.compile(
    r"(TEL\b|Tel\b|Phone\s*[.:：]|電話|内線|FAX|Fax\b|Mobile\s*[.:：]|携帯|E-?mail\s*[:：]|Mail\s*[:：]|メール|〒|https?://|www\.|"
    r"[\w.+-]+@[\w-]+\.[\w.-]+|\d{2,4}-\d{2,4}-\d{3,4}|\(\d{3}\)\s*\d{3}-\d{4})", re.I)
_URL_LINE = re.compile(r"^(URL|HP|Web|ホームページ)?\s*[:：]?\s*(https?://|www\.)\S{1,300}$", re.I)
_ORG = re.compile(r"(課|係|室|局|部|センター|事務所|役場|役所|庁|株式会社|㈱|有限会社|主任|主事|主査|係長|課長|室長|参事|担当"
                  r"|Inc\.?|Ltd\.?|Office|Department|Division|Manager|Officer)")
_GREETING = re.compile(
    r"^(thanks|thank you|cheers|regards|best|kind regards|best regards|sincerely|br|mvh|mfg|gruß|grüße"
    r"|viele grüße|cordialement|saludos|groeten|hälsningar|terveisin|pozdrawiam|以上|よろしくお願い"
    r"|宜しくお願い|どうぞよろしく|引き続き|今後とも).{0,40}$", re.I)


def signature_start(lines: list[str]) -> int | None:
    """Index of the first signature line in `lines` (the new text), or None."""
    found = signature_rule(lines)
    return None if found is None else found[0]


def signature_rule(lines: list[str]) -> tuple[int, str] | None:
    """(index of the first signature line, the rule that found it), or None."""
    for finder in (_delimiter, _tagline, _ruled_box, _contact_block, _short_signature):
        start = finder(lines)
        if start is not None:
            return start, finder.__name__.strip("_")
    return None


def _delimiter(lines: list[str]) -> int | None:
    for i, line in enumerate(lines):
        if _DELIMITER.match(line.rstrip("\r")) and len(lines) - i <= MAX_SIGNATURE_LINES * 2:
            return i
    return None


def _tagline(lines: list[str]) -> int | None:
    """The first device/app tagline among the last lines (a stack of them goes too)."""
    content = [i for i, line in enumerate(lines) if line.strip()]
    for i in content[-MAX_SIGNATURE_LINES * 2:]:
        line = lines[i].strip()
        if len(line) < 120 and markers.is_tagline(line) and not ("," in line and len(line) > 40 and line.endswith(".")):
            return i
    return None


def is_rule_line(line: str) -> bool:
    """A line drawn with box or rule characters (text may sit inside, like ━ 県 ━; spaces don't count).

    Counted with `str.translate` (in C): most lines hold no rule character at all.
    """
    text = line.strip()
    if len(text) < 5 or len(text) > 200:
        return False
    drawn = len(text) - len(text.translate(_NO_RULE_CHARS))
    if drawn < 5:
        return False
    ink = len(text) - text.count(" ") - text.count("\u3000") - text.count("\t")
    return drawn * 2 >= ink and sum(1 for ch in text if ch.isalnum()) * 2 <= drawn


def _ruled_box(lines: list[str]) -> int | None:
    """A rule line opening a short trailing block that holds contact details."""
    last = _last_content(lines)
    content = [i for i, line in enumerate(lines) if line.strip()]
    for i in content[-MAX_SIGNATURE_LINES - 1:]:
        if not is_rule_line(lines[i]):
            continue
        block = lines[i + 1:last + 1]
        if any(len(line) < 200 and _GREETING.match(line.strip()) for line in block):
            continue
        if any(_has_contact(line) for line in block) or (block and is_rule_line(lines[last])) \
                or shapes.is_footer(block):
            return i
    return None


def _contact_block(lines: list[str]) -> int | None:
    """A trailing run of short lines ending the text that includes contact details.

    One blank line may sit inside it when the lines above the gap name an
    office or a title (`米子市 子育て支援課` / `主任 山本`), not a bare name.
    """
    last = _last_content(lines)
    start = _run_start(lines, last + 1, last)
    block = lines[start:last + 1]
    contacts = [line for line in block if _CONTACT.search(line)]
    if not (block and contacts and (len(block) >= 2 or _LABEL.search(block[0]))):
        return None
    if all(_URL_LINE.match(line.strip()) for line in contacts) and not any(_ORG.search(line) for line in block):
        return None     # a link the text points to (`掲載先` / URL), not an office's contact details
    above = _run_start(lines, start - 1, start - 2) if start >= 2 and not lines[start - 1].strip() else start
    if above < start - 1 and start - 1 - above <= 3 and any(_ORG.search(line) for line in lines[above:start - 1]):
        return above
    return start


def _run_start(lines: list[str], start: int, last: int) -> int:
    """Where the run of signature-like lines ending at `last` begins."""
    while start > 0 and last - start < MAX_SIGNATURE_LINES:
        line = lines[start - 1].strip()
        if not line or (len(line) > 60 and not (len(line) < 400 and _URL_LINE.match(line))) or line[0] in ">＞|｜" \
                or _GREETING.match(line):
            break
        if line.endswith(_SENTENCE_ENDS) and not _CONTACT.search(line):
            break
        start -= 1
    return start


def has_contact(line: str) -> bool:
    """A phone number, address, URL or mail address on a short line."""
    return _has_contact(line)


def _has_contact(line: str) -> bool:
    return len(line) < 200 and _CONTACT.search(line) is not None


def _last_content(lines: list[str]) -> int:
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip():
            return i
    return -1


def _short_signature(lines: list[str]) -> int | None:
    """1–3 lines after the last sentence that name an office and a person (no delimiter, no phone)."""
    last = _last_content(lines)
    start = last
    while start > 0 and last - start < 2 and lines[start - 1].strip():
        start -= 1
    for first in range(start, last + 1):
        before = _last_content(lines[:first])
        if before < 0:
            continue
        if lines[first - 1].strip() and not lines[first - 1].rstrip().endswith(_SENTENCE_ENDS) \
                and not _GREETING.match(lines[first - 1].strip()):
            continue        # the block must follow a blank line or the last sentence
        if shapes.is_short_signature([line.strip() for line in lines[first:last + 1]]):
            return first
    return None
