"""Parse, then extract: the one place where parsing and reply extraction meet.

Parsing knows nothing of replies; the ingest worker and `kairan parse` both come here,
so what the archive stores and what `kairan parse` prints are one code path.
"""

from __future__ import annotations

from pathlib import Path

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
        "attachments": [{"filename": a.filename, "size": a.size, "content_type": a.content_type,
                         "sha256": a.sha256} for a in mail.attachments],
    }


def understand_source(source: bytes | str) -> tuple[ParsedMail, Reply]:
    """`parse_and_extract` of bytes, or of a file: a worker process reads a big message itself."""
    return parse_and_extract(_bytes_of(source))


def parse_source(source: bytes | str) -> ParsedMail:
    """Parsing alone: what is certain when reply extraction is what ran over its budget."""
    return parse_message(_bytes_of(source))


def parse_headers(head: bytes) -> ParsedMail:
    """The header section only (bounded input): what is certain when even parsing ran over."""
    return parse_message(header_section(head) + b"\r\n")


def header_section(raw: bytes) -> bytes:
    """The header section of a message (up to the first empty line), or all of `raw`."""
    end = raw.find(b"\r\n\r\n")
    if end < 0:
        end = raw.find(b"\n\n")
    return raw if end < 0 else raw[:end + 2]


def _bytes_of(source: bytes | str) -> bytes:
    return Path(source).read_bytes() if isinstance(source, str) else source
