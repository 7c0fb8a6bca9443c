"""Parsing raw mail into a ParsedMail (placeholder: the extraction work replaces it)."""

from __future__ import annotations

import email
import email.policy
import email.utils
import hashlib
from dataclasses import dataclass, field
from datetime import datetime


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


def parse_message(raw: bytes) -> ParsedMail:
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    name, address = email.utils.parseaddr(_header(msg, "From"))
    date = None
    try:
        date = email.utils.parsedate_to_datetime(msg.get("Date", ""))
    except (TypeError, ValueError, IndexError):
        pass
    text, html, attachments = "", "", []
    for part in msg.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        ctype = part.get_content_type()
        if filename or part.get_content_disposition() == "attachment":
            attachments.append(ParsedAttachment(filename, ctype, payload, len(payload)))
        elif ctype == "text/plain" and not text:
            text = payload.decode(part.get_content_charset() or "utf-8", "replace")
        elif ctype == "text/html" and not html:
            html = payload.decode(part.get_content_charset() or "utf-8", "replace")
    return ParsedMail(subject=_header(msg, "Subject"), from_name=name, from_address=address.lower(), date=date,
                      message_id=msg.get("Message-ID", "").strip(), in_reply_to=msg.get("In-Reply-To", "").strip(),
                      references=tuple(msg.get("References", "").split()), body_text=text, body_html=html,
                      attachments=tuple(attachments))


def _header(msg, name: str) -> str:
    value = msg.get(name, "")
    try:
        return str(email.header.make_header(email.header.decode_header(value)))
    except Exception:
        return str(value)


def parse_result_json(raw: bytes) -> dict:
    """The `kairan parse` contract for one message."""
    from bridge.replies import extract_reply  # placeholder only; the real module imports at top
    parsed = parse_message(raw)
    reply = extract_reply(parsed.body_text, parsed.body_html)
    return {
        "subject": parsed.subject, "from_name": parsed.from_name, "from_address": parsed.from_address,
        "date": parsed.date.isoformat() if parsed.date else None, "message_id": parsed.message_id,
        "in_reply_to": parsed.in_reply_to, "references": list(parsed.references), "body_text": parsed.body_text,
        "reply_text": reply.reply_text, "quoted_text": reply.quoted_text, "signature": reply.signature,
        "attachments": [{"filename": a.filename, "size": a.size, "content_type": a.content_type,
                         "sha256": a.sha256} for a in parsed.attachments],
    }
