"""Parsing raw mail into a ParsedMail.

mail-parser (`mailparser`) builds the message tree over the stdlib parser with
a guard against hostile nesting and collects the MIME defects; its own body and
attachment views do not fit here (it descends into attached messages, invents
random names for unnamed parts, and decodes Japanese charsets and headers the
strict stdlib way).  So the tree is walked here, with the repairs from
`bridge.parsing.charsets` and `bridge.parsing.headers`:

- body: the first text/plain part that is not an attachment; the first
  text/html part is kept too (and gives the text when there is no plain part);
- attachments: every other leaf in MIME order; an attached message/rfc822 is
  one attachment (size None) and its insides are not listed.

`parse_message` never raises: whatever goes wrong becomes a defect string.
"""

from __future__ import annotations

import email.message
import email.utils
import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone

import mailparser

from bridge.parsing import headers
from bridge.parsing.charsets import decode
from bridge.parsing.html_text import html_to_text

# mail-parser logs what it does not handle (text/enriched …) as warnings; with no
# handler configured Python would print them on stderr of `kairan parse`.  Our
# defects already record what matters; records still reach any configured handler.
logging.getLogger("mailparser").addHandler(logging.NullHandler())

_MAX_DEPTH = 50
_BODY_TYPES = ("text/plain", "text/html")


@dataclass(frozen=True)
class ParsedAttachment:
    filename: str | None
    content_type: str
    data: bytes
    size: int | None            # None for an attached message/rfc822, as the corpus counts it
    content_id: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class ParsedMail:
    subject: str = ""
    from_name: str = ""
    from_address: str = ""
    date: datetime | None = None            # aware; None when missing or unreadable
    message_id: str = ""                    # as in the header, with <>; "" when missing
    in_reply_to: str = ""
    references: tuple[str, ...] = ()
    body_text: str = ""
    body_html: str = ""
    attachments: tuple[ParsedAttachment, ...] = field(default=())
    defects: tuple[str, ...] = field(default=())
    to: tuple[str, ...] = ()                # addr-specs, lowercased
    cc: tuple[str, ...] = ()
    body_is_html: bool = False              # body_text was rendered from body_html
    thread_index: str = ""                  # Outlook's Thread-Index (base64), "" when missing
    thread_topic: str = ""                  # Outlook's Thread-Topic (the conversation's subject)


@dataclass
class _Walk:
    """What the walk over the MIME tree has found so far."""
    text: str | None = None
    html: str | None = None
    attachments: list[ParsedAttachment] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)


def parse_message(raw: bytes) -> ParsedMail:
    """Parse raw RFC 5322 bytes; never raises (failures become `defects`)."""
    try:
        return _parse(bytes(raw))
    except Exception as exc:  # last resort: a readable result beats a crash
        text, _ = decode(bytes(raw or b""), "utf-8")
        return ParsedMail(body_text=text, defects=(f"unparseable message: {type(exc).__name__}: {exc}",))


def _parse(raw: bytes) -> ParsedMail:
    raw, defects = headers.bound_header_section(raw)
    try:
        parser = mailparser.MailParser.from_bytes(raw)
        msg = parser.message
        defects += [f"{kind}: {item}" for group in parser.defects for kind, items in group.items() for item in items]
    except Exception as exc:  # nesting too deep, or mail-parser itself failing
        defects.append(f"mail-parser failed ({type(exc).__name__}); parsed headers only")
        msg = email.message_from_bytes(raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0])
    walk = _Walk(defects=defects)
    _walk(msg, walk, 0)
    html = walk.html or ""
    text = walk.text
    if text is None:
        text = html_to_text(html) if html else ""
    name, address = headers.first_address(headers.get(msg, "From"))
    return ParsedMail(
        subject=headers.decode_text(headers.get(msg, "Subject")), from_name=name, from_address=address,
        date=_date(headers.get(msg, "Date"), defects), message_id=_first_id(headers.get(msg, "Message-ID")),
        in_reply_to=_first_id(headers.get(msg, "In-Reply-To")), references=_ids(headers.get(msg, "References")),
        body_text=text, body_html=html, attachments=tuple(walk.attachments), defects=tuple(defects),
        to=headers.all_addresses(headers.get(msg, "To")), cc=headers.all_addresses(headers.get(msg, "Cc")),
        body_is_html=walk.text is None and bool(html),
        thread_index=headers.get(msg, "Thread-Index").strip()[:200],
        thread_topic=headers.decode_text(headers.get(msg, "Thread-Topic"))[:1000])


def _walk(part: email.message.Message, walk: _Walk, depth: int) -> None:
    """Visit leaves in MIME order, sorting them into body and attachments."""
    if depth > _MAX_DEPTH:
        walk.defects.append("MIME nesting too deep; inner parts skipped")
        return
    ctype = part.get_content_type()
    if part.is_multipart() and ctype != "message/rfc822":
        for child in part.get_payload():
            if isinstance(child, email.message.Message):
                _walk(child, walk, depth + 1)
        return
    filename = _filename(part)
    disposition = (part.get_content_disposition() or "").lower()
    if ctype in _BODY_TYPES and filename is None and disposition != "attachment":
        _add_body(part, ctype, walk)
        return
    walk.attachments.append(_attachment(part, ctype, filename, walk.defects))


def _add_body(part: email.message.Message, ctype: str, walk: _Walk) -> None:
    """The first plain and first html parts are the body; later ones are dropped."""
    slot = "text" if ctype == "text/plain" else "html"
    if getattr(walk, slot) is not None:
        return
    text, defect = decode(_payload(part, walk.defects), part.get_content_charset())
    if defect:
        walk.defects.append(f"{ctype}: {defect}")
    setattr(walk, slot, text)


def _attachment(part: email.message.Message, ctype: str, filename: str | None,
                defects: list[str]) -> ParsedAttachment:
    content_id = str(part.get("Content-ID") or "").strip()
    if ctype == "message/rfc822":
        inner = part.get_payload()
        data = _message_bytes(inner[0] if isinstance(inner, list) and inner else inner, defects)
        return ParsedAttachment(filename, ctype, data, None, content_id)
    data = _payload(part, defects)
    return ParsedAttachment(filename, ctype, data, len(data), content_id)


def _message_bytes(inner: object, defects: list[str]) -> bytes:
    if isinstance(inner, email.message.Message):
        try:
            return inner.as_bytes()
        except Exception as exc:
            defects.append(f"attached message could not be serialized: {type(exc).__name__}")
            return b""
    return headers.raw_bytes(str(inner or ""))


def _payload(part: email.message.Message, defects: list[str]) -> bytes:
    """The part's bytes with the transfer encoding removed (best effort)."""
    try:
        data = part.get_payload(decode=True)
    except Exception as exc:
        defects.append(f"transfer encoding could not be removed: {type(exc).__name__}")
        data = None
    if isinstance(data, bytes):
        return data
    raw = part.get_payload()
    return headers.raw_bytes(raw) if isinstance(raw, str) else b""


def _filename(part: email.message.Message) -> str | None:
    """Content-Disposition filename (RFC 2231 preferred), else Content-Type name."""
    for header, key in (("Content-Disposition", "filename"), ("Content-Type", "name")):
        value = headers.param(headers.get(part, header), key)
        if value:
            return value
    return None


def _date(value: object, defects: list[str]) -> datetime | None:
    if not value:
        return None
    try:
        date = email.utils.parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError, OverflowError):
        defects.append(f"unreadable Date header: {str(value)[:80]!r}")
        return None
    return date if date.tzinfo else date.replace(tzinfo=timezone.utc)


def _ids(value: object) -> tuple[str, ...]:
    text = str(value or "")
    ids = []
    start = text.find("<")
    while start >= 0:
        end = text.find(">", start)
        if end < 0:
            break
        ids.append(text[start:end + 1].replace("\r", "").replace("\n", "").replace(" ", ""))
        start = text.find("<", end)
    return tuple(ids) if ids else tuple(text.split())


def _first_id(value: object) -> str:
    ids = _ids(value)
    return ids[0] if ids else ""
