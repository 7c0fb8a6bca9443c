"""Parse, then extract: the one place where parsing and reply extraction meet.

Parsing knows nothing of replies; the ingest worker and `kairan parse` both come here,
so what the archive stores and what `kairan parse` prints are one code path.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from archive.blobs import BlobStore
from bridge.parsing.mime import ParsedAttachment, ParsedMail, parse_message
from bridge.replies.extract import Reply, extract_reply


def parse_and_extract(raw: bytes) -> tuple[ParsedMail, Reply]:
    """The parsed message and its reply text; never raises for bad mail (defects instead)."""
    parsed = parse_message(raw)
    return parsed, extract_reply(parsed.body_text, parsed.body_html, parsed.subject)


def parse_result_json(raw: bytes) -> dict:
    """The `kairan parse` object for one message (see docs/design.md)."""
    return result_json(*parse_and_extract(raw))


def result_json(mail: ParsedMail, reply: Reply) -> dict:
    """The `kairan parse` object of a message understood here or in a worker process."""
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


def understand_source(source: bytes | str) -> tuple[ParsedMail, Reply]:
    """`parse_and_extract` of bytes, or of a file: a worker process reads a big message itself."""
    return parse_and_extract(_bytes_of(source))


def parse_source(source: bytes | str) -> ParsedMail:
    """Parsing alone: what is certain when reply extraction is what ran over its budget."""
    return parse_message(_bytes_of(source))


@dataclass(frozen=True)
class StoredAttachment(ParsedAttachment):
    """An attachment already durable in the blob store: its name travels instead of its bytes."""
    stored_sha256: str = ""

    @property
    def sha256(self) -> str:
        return self.stored_sha256


def understand_stored(source: bytes | str, blob_root: str) -> tuple[ParsedMail, Reply]:
    """`understand_source`, the attachments written to the blob store where it runs (a worker
    process), so only their SHA-256 cross back: a 48 MB message costs the server no 48 MB."""
    parsed, reply = understand_source(source)
    return keep_attachments(parsed, blob_root), reply


def parse_stored(source: bytes | str, blob_root: str) -> ParsedMail:
    return keep_attachments(parse_source(source), blob_root)


def keep_attachments(parsed: ParsedMail, blob_root: str) -> ParsedMail:
    """The attachments made durable (one journal commit for all), each replaced by its name."""
    names = BlobStore(Path(blob_root)).put_many([a.data for a in parsed.attachments])
    kept = tuple(StoredAttachment(a.filename, a.content_type, b"", a.size, a.content_id, sha)
                 for a, sha in zip(parsed.attachments, names))
    return dataclasses.replace(parsed, attachments=kept)


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
