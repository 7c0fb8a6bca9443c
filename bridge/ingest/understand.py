"""Parse, then extract: the one place where parsing and reply extraction meet.

Parsing knows nothing of replies; the ingest worker and `kairan parse` both come here,
so what the archive stores and what `kairan parse` prints are one code path.
"""

from __future__ import annotations

from bridge.parsing.mime import ParsedMail, parse_message
from bridge.replies.extract import Reply, extract_reply


def parse_and_extract(raw: bytes) -> tuple[ParsedMail, Reply]:
    """The parsed message and its reply text; never raises for bad mail (defects instead)."""
    parsed = parse_message(raw)
    return parsed, extract_reply(parsed.body_text, parsed.body_html, parsed.subject)


def parse_result_json(raw: bytes) -> dict:
    """The `kairan parse` object for one message (see docs/design.md)."""
    mail, reply = parse_and_extract(raw)
    return {
        "subject": mail.subject, "from_name": mail.from_name, "from_address": mail.from_address,
        "date": mail.date.isoformat() if mail.date else None,
        "message_id": mail.message_id, "in_reply_to": mail.in_reply_to,
        "references": list(mail.references), "body_text": mail.body_text,
        "reply_text": reply.reply_text, "quoted_text": reply.quoted_text, "signature": reply.signature,
        "confidence": reply.confidence, "confidence_reasons": list(reply.reasons),
        "attachments": [{"filename": a.filename, "size": a.size, "content_type": a.content_type,
                         "sha256": a.sha256} for a in mail.attachments],
    }
