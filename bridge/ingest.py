"""The ingest worker: spooled raw mail becomes posts, once, in arrival order.

Parsing and blob writes run in a thread. Everything for one message — its posts
in every addressed space, attachments, queue rows and the spool status — is one
transaction, so a crash at any point leaves the message either untouched (and
retried on restart) or fully stored; a second run stores nothing twice.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timezone

from archive.blobs import BlobStore
from archive.clock import Clock, to_iso
from archive.db import Database
from archive.inquiries import insert_inquiry
from archive.members import find_member_by_address
from archive.posts import NewAttachment, NewPost, insert_post
from archive.spaces import find_space
from archive.spool import SpoolEntry, load_raw, mark_failed, mark_processed, pending
from bridge.addresses import parse_space_address
from bridge.inquiry_mail import inquiry_request
from bridge.mime import ParsedMail, parse_message
from bridge.replies import Reply, extract_reply
from bridge.subjects import normalize_subject, strip_reply_prefixes
from bridge.threader import assign_thread

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Extracted:
    parsed: ParsedMail
    reply: Reply
    raw_sha256: str


def parse_and_store_blobs(raw: bytes, blobs: BlobStore) -> Extracted:
    """Blocking: parse, extract, and make raw + attachments durable in the blob store."""
    parsed = parse_message(raw)
    reply = extract_reply(parsed.body_text, parsed.body_html)
    sha = blobs.put(raw)
    for attachment in parsed.attachments:
        blobs.put(attachment.data)
    return Extracted(parsed, reply, sha)


def stable_message_id(parsed: ParsedMail, raw_sha256: str) -> str:
    """The header's Message-ID, or one derived from the bytes so a re-run finds the same post."""
    return parsed.message_id or f"<{raw_sha256[:32]}@kairan.invalid>"


async def ingest_entry(db: Database, blobs: BlobStore, entry: SpoolEntry, domain: str,
                       zone: str = "Asia/Tokyo") -> list[int]:
    """Store one spooled message; returns the ids of the posts it created."""
    raw = await load_raw(db, blobs, entry.id)
    extracted = await asyncio.to_thread(parse_and_store_blobs, raw, blobs)
    parsed, reply = extracted.parsed, extracted.reply
    received = datetime.strptime(entry.received_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    date = parsed.date or received
    author = await find_member_by_address(db, parsed.from_address) if parsed.from_address else None
    norm = normalize_subject(parsed.subject)
    inquiry = inquiry_request(parsed.subject, (reply.reply_text, parsed.body_text), date, zone)
    targets: dict[int, str | None] = {}
    for rcpt in entry.rcpts:
        address = parse_space_address(rcpt, domain)
        space = await find_space(db, address.slug) if address else None
        if space is not None and (space.id not in targets or address.token):
            targets[space.id] = address.token
    rules, posts = [], []
    for space_id, token in targets.items():
        thread_id, rule = await assign_thread(db, space_id, token, parsed.in_reply_to, parsed.references,
                                              norm, received)
        rules.append(rule)
        posts.append(NewPost(
            space_id=space_id, thread_id=thread_id, message_id=stable_message_id(parsed, extracted.raw_sha256),
            subject=strip_reply_prefixes(parsed.subject) if thread_id is None else parsed.subject,
            norm_subject=norm, from_name=parsed.from_name or (author.name if author else ""),
            from_address=parsed.from_address,
            date_utc=to_iso(date), author_id=author.id if author else None,
            tz_offset_min=_offset_minutes(date), in_reply_to=parsed.in_reply_to, refs=" ".join(parsed.references),
            body_text=parsed.body_text, body_html=parsed.body_html, reply_text=reply.reply_text,
            quoted_text=reply.quoted_text, signature=reply.signature, raw_sha256=extracted.raw_sha256,
            spool_id=entry.id, defects="\n".join(parsed.defects),
            attachments=tuple(NewAttachment(i, a.filename, a.content_type, a.size, a.sha256, a.content_id)
                              for i, a in enumerate(parsed.attachments))))
    created = []
    async with db.write() as conn:
        now = to_iso(db.clock())
        for post in posts:
            stored = await insert_post(conn, post, now)
            if stored.created:
                created.append(stored.post_id)
                if post.thread_id is None and inquiry is not None and author is not None:
                    # The first post of a new thread whose subject marks an inquiry opens it.
                    await insert_inquiry(conn, stored.thread_id, post.space_id, author.org_id, inquiry.deadline, now,
                                         opened_by=author.id)
        await mark_processed(conn, entry.id, extracted.raw_sha256, "thread:" + ",".join(rules), now)
    return created


def _offset_minutes(date: datetime) -> int:
    offset = date.utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


class IngestWorker:
    """Drains the spool; `wake()` after each acceptance, and a poll catches anything missed."""

    def __init__(self, db: Database, blobs: BlobStore, domain: str, on_stored=lambda post_ids: None,
                 poll_seconds: float = 5.0, zone: str = "Asia/Tokyo"):
        self._db = db
        self._zone = zone
        self._blobs = blobs
        self._domain = domain
        self._on_stored = on_stored
        self._poll = poll_seconds
        self._event = asyncio.Event()

    def wake(self) -> None:
        self._event.set()

    async def drain(self) -> int:
        """Process everything pending now; returns how many messages were handled."""
        handled = 0
        while batch := await pending(self._db, limit=50):
            for entry in batch:
                await self._one(entry)
                handled += 1
        return handled

    async def _one(self, entry: SpoolEntry) -> None:
        try:
            created = await ingest_entry(self._db, self._blobs, entry, self._domain, self._zone)
        except Exception as error:
            log.exception("spooled message #%s failed", entry.id)
            await mark_failed(self._db, entry.id, f"{type(error).__name__}: {error}")
            return
        if created:
            self._on_stored(created)

    async def run(self) -> None:
        while True:
            self._event.clear()
            await self.drain()
            try:
                await asyncio.wait_for(self._event.wait(), self._poll)
            except asyncio.TimeoutError:
                pass
