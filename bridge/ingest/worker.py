"""The ingest worker: spooled raw mail becomes posts, once, in arrival order.

Messages are taken in small batches. Parsing and blob writes run in a thread
(raw bytes and attachments made durable together). Then one transaction stores
the batch, each message inside its own savepoint: a message that fails is
undone alone and kept as `failed`; the others are stored. A crash at any point
leaves each message either untouched (and retried on restart) or fully stored;
a second run stores nothing twice.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

from archive.blobs import BlobStore
from archive.clock import from_iso, to_iso
from archive.db import Database, Tx
from archive.inquiries.records import insert_inquiry
from archive.members import find_member_by_address
from archive.models import SpoolEntry
from archive.posts import NewAttachment, NewPost, insert_post
from archive.spaces import find_space
from archive.spool import load_raws, mark_failed, mark_processed, pending
from bridge.addresses import parse_space_address
from bridge.inquiries.detect import inquiry_request
from bridge.ingest.understand import parse_and_extract
from bridge.parsing.mime import ParsedMail
from bridge.replies.extract import Reply
from bridge.subjects import normalize_subject
from bridge.ingest.threader import Signals, assign_thread, reattach_replies, stored_subject, thread_index_root

log = logging.getLogger(__name__)

BATCH_MESSAGES = 10
BATCH_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class Extracted:
    parsed: ParsedMail
    reply: Reply
    raw_sha256: str


def extract_all(raws: list[bytes], blobs: BlobStore) -> list[Extracted | Exception]:
    """Blocking: parse and extract each message, then make raws and attachments durable together."""
    results: list[tuple[ParsedMail, Reply] | Exception] = []
    for raw in raws:
        try:
            results.append(parse_and_extract(raw))
        except Exception as error:          # kept as failed with its reason, never dropped
            results.append(error)
    durable = [raw for raw, r in zip(raws, results) if not isinstance(r, Exception)]
    durable += [a.data for r in results if not isinstance(r, Exception) for a in r[0].attachments]
    blobs.put_many(durable)
    return [r if isinstance(r, Exception) else Extracted(r[0], r[1], blobs.put(raw, durable=False))
            for raw, r in zip(raws, results)]


def stable_message_id(parsed: ParsedMail, raw_sha256: str) -> str:
    """The header's Message-ID, or one derived from the bytes so a re-run finds the same post."""
    return parsed.message_id or f"<{raw_sha256[:32]}@kairan.invalid>"


async def _targets(tx: Tx, entry: SpoolEntry, domain: str) -> dict[int, str | None]:
    """Space id → thread token, for each space the message was addressed to (a token wins)."""
    targets: dict[int, str | None] = {}
    for rcpt in entry.rcpts:
        address = parse_space_address(rcpt, domain)
        space = await find_space(tx, address.slug) if address else None
        if space is not None and (space.id not in targets or address.token):
            targets[space.id] = address.token
    return targets


async def store_message(tx: Tx, entry: SpoolEntry, item: Extracted, domain: str, now: datetime,
                        zone: str = "Asia/Tokyo") -> list[int]:
    """Inside the batch transaction: one post per addressed space, then the spool row is done."""
    parsed, reply = item.parsed, item.reply
    received = from_iso(entry.received_at)
    date = parsed.date or received
    author = await find_member_by_address(tx, parsed.from_address) if parsed.from_address else None
    norm = normalize_subject(parsed.subject)
    inquiry = inquiry_request(parsed.subject, (reply.reply_text, parsed.body_text), date, zone)
    created, rules = [], []
    for space_id, token in (await _targets(tx, entry, domain)).items():
        signals = Signals(token, parsed.in_reply_to, parsed.references, parsed.subject, parsed.thread_index,
                          parsed.thread_topic, quoted=bool(reply.quoted_text.strip()))
        thread_id, rule = await assign_thread(tx, space_id, signals, received)
        rules.append(rule)
        post = NewPost(
            space_id=space_id, thread_id=thread_id, message_id=stable_message_id(parsed, item.raw_sha256),
            subject=await stored_subject(tx, space_id, parsed.subject),
            norm_subject=norm, from_name=parsed.from_name or (author.name if author else ""),
            from_address=parsed.from_address, date_utc=to_iso(date), author_id=author.id if author else None,
            tz_offset_min=_offset_minutes(date), in_reply_to=parsed.in_reply_to, refs=" ".join(parsed.references),
            body_text=parsed.body_text, body_html=parsed.body_html, reply_text=reply.reply_text,
            quoted_text=reply.quoted_text, signature=reply.signature, raw_sha256=item.raw_sha256,
            spool_id=entry.id, defects="\n".join(parsed.defects), sender_assurance=entry.sender_assurance,
            assurance_evidence=entry.assurance_evidence,
            attachments=tuple(NewAttachment(i, a.filename, a.content_type, a.size, a.sha256, a.content_id)
                              for i, a in enumerate(parsed.attachments)),
            confidence=reply.confidence, confidence_reasons=reply.reasons,
            thread_index=thread_index_root(parsed.thread_index)[0])
        stored = await insert_post(tx, post, to_iso(now))
        if stored.created:
            created.append(stored.post_id)
            await reattach_replies(tx, space_id, post.message_id, stored.thread_id)
            if thread_id is None and inquiry is not None and author is not None:
                # The first post of a new thread whose subject marks an inquiry opens it.
                await insert_inquiry(tx, stored.thread_id, space_id, author.org_id, inquiry.deadline, to_iso(now),
                                     opened_by=author.id)
    await mark_processed(tx, entry.id, item.raw_sha256, "thread:" + ",".join(rules), to_iso(now))
    return created


async def ingest_batch(db: Database, blobs: BlobStore, entries: list[SpoolEntry],
                       domain: str, zone: str = "Asia/Tokyo") -> tuple[list[int], list[tuple[SpoolEntry, Exception]]]:
    """Store a batch; returns (ids of new posts, the messages that failed with why)."""
    raws = await load_raws(db, blobs, [e.id for e in entries])
    async with blobs.writing():     # the blob garbage collector waits until these blobs are referenced
        items = await asyncio.to_thread(extract_all, [raws[e.id] for e in entries], blobs)
        created, failures = [], []
        async with db.write() as tx:
            for entry, item in zip(entries, items):
                if isinstance(item, Exception):
                    failures.append((entry, item))
                    continue
                try:
                    async with tx.savepoint():
                        created += await store_message(tx, entry, item, domain, db.clock(), zone)
                except Exception as error:
                    failures.append((entry, error))
    for entry, error in failures:
        log.error("spooled message #%s failed: %s: %s", entry.id, type(error).__name__, error)
        await mark_failed(db, entry.id, f"{type(error).__name__}: {error}")
    return created, failures


def _offset_minutes(date: datetime) -> int:
    offset = date.utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


def batches(entries: list[SpoolEntry]) -> list[list[SpoolEntry]]:
    """Consecutive groups bounded in count and bytes (a big message goes alone)."""
    groups: list[list[SpoolEntry]] = []
    size = 0
    for entry in entries:
        if not groups or len(groups[-1]) >= BATCH_MESSAGES or size + entry.size > BATCH_BYTES:
            groups.append([])
            size = 0
        groups[-1].append(entry)
        size += entry.size
    return groups


class IngestWorker:
    """Drains the spool in batches (`kairan serve` runs `drain` in a WorkerLoop)."""

    def __init__(self, db: Database, blobs: BlobStore, domain: str, on_stored=lambda post_ids: None,
                 zone: str = "Asia/Tokyo"):
        self._db = db
        self._zone = zone
        self._blobs = blobs
        self._domain = domain
        self._on_stored = on_stored

    async def drain(self) -> int:
        """Process everything pending now; returns how many messages were handled."""
        handled = 0
        while entries := await pending(self._db, limit=BATCH_MESSAGES * 4):
            for group in batches(entries):
                created, _ = await ingest_batch(self._db, self._blobs, group, self._domain, self._zone)
                handled += len(group)
                if created:
                    self._on_stored(created)
        return handled
