"""One imported message into the archive, inside the batch's transaction.

Reuses the archive's one way in (`archive.posts.insert_post`) and the ingest's threading
(`bridge.ingest.threader.assign_thread`, with the message's own date as "now"), but an
imported post is marked with where it came from: never notified, never digested, never an
inquiry answer, never opening an inquiry. Posts are dated by their Date header; senders are
kept as written (a sender who is no member has no author: the page marks it 「インポート」).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from archive.clock import to_iso
from archive.db import Tx
from archive.members import find_member_by_address
from archive.models import Member
from archive.posts import NewAttachment, NewPost, insert_post
from bridge.ingest.threader import Signals, assign_thread, settle_replies, thread_index_root
from bridge.parsing.mime import ParsedMail
from bridge.replies.extract import Reply
from bridge.subjects import normalize_subject, strip_reply_prefixes


@dataclass(frozen=True)
class Understood:
    location: str
    kind: str
    raw_sha256: str
    size: int
    parsed: ParsedMail
    reply: Reply


class Authors:
    """Members by address, looked up once per import (a mailbox has few senders)."""

    def __init__(self):
        self._known: dict[str, Member | None] = {}

    async def find(self, tx: Tx, address: str) -> Member | None:
        if not address:
            return None
        key = address.lower()
        if key not in self._known:
            self._known[key] = await find_member_by_address(tx, address)
        return self._known[key]


def clean_message_id(value: str) -> str:
    """A usable Message-ID or '': `<>`, folded or spaced ones are cleaned, anything odd kept as written
    (raw 8-bit bytes, which the parser hands over as surrogates, are read as UTF-8)."""
    value = "".join(value.encode("utf-8", "surrogateescape").decode("utf-8", "replace").split())
    return "" if value in ("", "<>") else value


async def _message_id(tx: Tx, space_id: int, item: Understood, date_iso: str) -> tuple[str, bool]:
    """(the Message-ID to store under, whether this message is in the space already).

    Two different messages with one Message-ID (it happens) are both kept: the second is
    stored under an id derived from its bytes. A deleted post's Message-ID stays deleted.
    """
    derived = f"<{item.raw_sha256[:32]}@kairan.invalid>"
    header = clean_message_id(item.parsed.message_id)
    for candidate in ((header, derived) if header else (derived,)):
        if await tx.fetchval("SELECT 1 FROM post_tombstones WHERE space_id = ? AND message_id = ?",
                             (space_id, candidate)):
            return candidate, True
        row = await tx.fetchone("SELECT from_address, date_utc, raw_sha256 FROM posts "
                                "WHERE space_id = ? AND message_id = ?", (space_id, candidate))
        if row is None:
            return candidate, False
        same = row["raw_sha256"] == item.raw_sha256 or (
            row["from_address"].lower() == item.parsed.from_address.lower() and row["date_utc"] == date_iso)
        if same:
            return candidate, True
    return derived, True


async def store_imported(tx: Tx, space_id: int, item: Understood, authors: Authors, now: datetime,
                         window: timedelta) -> bool:
    """True when a post was stored, False when it was there already."""
    parsed, reply = item.parsed, item.reply
    date = parsed.date or now
    date_iso = to_iso(date)
    message_id, there = await _message_id(tx, space_id, item, date_iso)
    if there:
        return False
    author = await authors.find(tx, parsed.from_address)
    norm = normalize_subject(parsed.subject)
    references = tuple(clean_message_id(r) for r in parsed.references if clean_message_id(r))
    in_reply_to = clean_message_id(parsed.in_reply_to)
    signals = Signals(None, in_reply_to, references, parsed.subject, parsed.thread_index, parsed.thread_topic,
                      quoted=bool(reply.quoted_text.strip()))
    thread_id, rule = await assign_thread(tx, space_id, signals, date, window)
    subject = strip_reply_prefixes(parsed.subject)
    offset = date.utcoffset()
    stored = await insert_post(tx, NewPost(
        space_id=space_id, thread_id=thread_id, message_id=message_id,
        subject=subject if thread_id is None else parsed.subject, norm_subject=norm,
        from_name=parsed.from_name or (author.name if author else ""), from_address=parsed.from_address,
        date_utc=date_iso, author_id=author.id if author else None,
        tz_offset_min=int(offset.total_seconds() // 60) if offset is not None else 0,
        in_reply_to=in_reply_to, refs=" ".join(references), body_text=parsed.body_text, body_html=parsed.body_html,
        reply_text=reply.reply_text, quoted_text=reply.quoted_text, signature=reply.signature,
        raw_sha256=item.raw_sha256, source="mail", defects="\n".join(parsed.defects),
        attachments=tuple(NewAttachment(i, a.filename, a.content_type, a.size, a.sha256, a.content_id)
                          for i, a in enumerate(parsed.attachments)),
        imported_from=item.kind, confidence=reply.confidence, confidence_reasons=reply.reasons,
        thread_index=thread_index_root(parsed.thread_index)[0]), to_iso(now))
    if not stored.created:
        return False
    await settle_replies(tx, space_id, message_id, stored.thread_id, signals, rule, subject)
    return True
