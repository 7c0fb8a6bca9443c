"""The ingest worker: spooled raw mail becomes posts, once, in arrival order.

Messages are understood through `bridge.ingest.pipeline` (worker processes under
budgets in `kairan serve`, a thread otherwise). Each group that is done has its
attachments and raw bytes made durable together, then one transaction stores the
group, each message inside its own savepoint: a message that fails is undone
alone and kept as `failed`; the others are stored. A crash at any point
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
from archive.spool import imported_kind, inline_raws, mark_failed, mark_processed, pending, settle_all
from bridge.addresses import parse_space_address
from bridge.inquiries.detect import inquiry_request
from bridge.ingest.pipeline import InThread, Pipeline, Source
from bridge.parsing.mime import ParsedMail
from bridge.replies.extract import Reply
from bridge.subjects import normalize_subject
from bridge.ingest.threader import Signals, assign_thread, settle_replies, stored_subject, thread_index_root

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class Extracted:
    parsed: ParsedMail
    reply: Reply
    raw_sha256: str
    raw_inline: bool = False            # its blob not fsynced yet: the spool row keeps the bytes


def make_durable(blobs: BlobStore, ready: list[tuple[Source, tuple[ParsedMail, Reply] | Exception]]
                 ) -> list[Extracted | Exception]:
    """Blocking: inline raws written to the blob store without fsync — the spool row stays their
    durable copy until `archive.spool.settle_raws` — so a message is made durable once on its way in;
    a raw already in the blob store (a big message spooled to disk) is not written again, and
    attachments were made durable where the message was understood."""
    return [r if isinstance(r, Exception) else
            Extracted(r[0], r[1], blobs.put(source.raw, durable=False), raw_inline=True) if source.raw is not None
            else Extracted(r[0], r[1], source.entry.raw_sha256)
            for source, r in ready]


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
    """Inside the batch transaction: one post per addressed space, then the spool row is done.
    A message an import could not store, retried from /admin/spool, is stored as the import
    would: threaded by its date, marked imported, never notified, digested or an inquiry."""
    parsed, reply = item.parsed, item.reply
    received = from_iso(entry.received_at)
    date = parsed.date or received
    imported = imported_kind(entry)
    author = await find_member_by_address(tx, parsed.from_address) if parsed.from_address else None
    norm = normalize_subject(parsed.subject)
    inquiry = inquiry_request(parsed.subject, (reply.reply_text, parsed.body_text), date, zone)
    created, rules = [], []
    answers_earlier_mail = bool(parsed.in_reply_to or parsed.references)
    for space_id, token in (await _targets(tx, entry, domain)).items():
        signals = Signals(token, parsed.in_reply_to, parsed.references, parsed.subject, parsed.thread_index,
                          parsed.thread_topic, quoted=bool(reply.quoted_text.strip()))
        thread_id, rule = await assign_thread(tx, space_id, signals, date if imported else received)
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
            thread_index=thread_index_root(parsed.thread_index)[0], imported_from=imported)
        stored = await insert_post(tx, post, to_iso(now))
        if stored.created:
            created.append(stored.post_id)
            await settle_replies(tx, space_id, post.message_id, stored.thread_id, signals, rule, post.subject)
            if thread_id is None and inquiry is not None and author is not None and not answers_earlier_mail \
                    and not imported:
                # The first post of a new thread whose subject marks an inquiry opens it. A reply whose
                # parent hasn't come yet starts a thread too, but it answers the inquiry: the parent
                # opens it when it comes, and takes the reply in (settle_replies).
                await insert_inquiry(tx, stored.thread_id, space_id, author.org_id, inquiry.deadline, to_iso(now),
                                     opened_by=author.id)
    await mark_processed(tx, entry.id, item.raw_sha256, "thread:" + ",".join(rules), to_iso(now),
                         keep_raw=item.raw_inline)
    return created


async def store_understood(db: Database, blobs: BlobStore, ready: list[tuple[Source, object]], domain: str,
                           zone: str = "Asia/Tokyo") -> tuple[list[int], list[tuple[SpoolEntry, Exception]]]:
    """Store understood messages; returns (ids of new posts, the messages that failed with why)."""
    async with blobs.writing():     # the blob garbage collector waits until these blobs are referenced
        items = await asyncio.to_thread(make_durable, blobs, ready)
        created, failures = [], []
        async with db.write() as tx:
            for (source, _), item in zip(ready, items):
                if isinstance(item, Exception):
                    failures.append((source.entry, item))
                    continue
                try:
                    async with tx.savepoint():
                        created += await store_message(tx, source.entry, item, domain, db.clock(), zone)
                except Exception as error:
                    failures.append((source.entry, error))
    for entry, error in failures:
        log.error("spooled message #%s failed: %s: %s", entry.id, type(error).__name__, error)
        await mark_failed(db, entry.id, f"{type(error).__name__}: {error}")
    return created, failures


def _offset_minutes(date: datetime) -> int:
    offset = date.utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


class IngestWorker:
    """Drains the spool (`kairan serve` runs `drain` in a WorkerLoop, with its worker pool as `runner`)."""

    def __init__(self, db: Database, blobs: BlobStore, domain: str, on_stored=lambda post_ids: None,
                 zone: str = "Asia/Tokyo", runner=None, budget=None, on_handled=lambda count: None,
                 settle_later: bool = False):
        self._db = db
        self._zone = zone
        self._blobs = blobs
        self._domain = domain
        self._on_stored = on_stored
        self._on_handled = on_handled
        self._settle_later = settle_later     # `kairan serve` settles raws on a timer instead
        runner = runner or InThread()
        self._pipeline = Pipeline(runner, budget, window=8 * runner.size if runner.size > 1 else 1,
                                  load=self._sources, store=self._store, blob_root=str(blobs.root))

    async def _sources(self, entries: list[SpoolEntry]) -> list[Source]:
        raws = await inline_raws(self._db, [e.id for e in entries])
        return [Source(e, raws.get(e.id), None if raws.get(e.id) is not None else str(self._blobs.path(e.raw_sha256)))
                for e in entries if e.id in raws]

    async def _store(self, ready) -> None:
        created, _ = await store_understood(self._db, self._blobs, ready, self._domain, self._zone)
        self._on_handled(len(ready))
        if created:
            self._on_stored(created)

    async def drain(self) -> int:
        """Process everything pending now; returns how many messages were handled."""
        handled = await self._pipeline.drain(lambda limit: pending(self._db, limit=limit))
        if handled and not self._settle_later:
            await settle_all(self._db, self._blobs)
        return handled
