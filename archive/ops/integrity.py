"""Is every stored byte still there and still the same? The archive's half of `kairan check`.

A post's raw message and its attachments are blobs named by their SHA-256:
a blob that is missing, or whose bytes no longer hash to its name, is a
finding. So is a spooled message that waits longer than it should (the ingest
worker handles one within seconds) and one that failed. Reading every blob
takes a while on a large archive; the work is done in a thread, in batches.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from archive.blobs import BlobStore
from archive.clock import to_iso
from archive.db import Database

STUCK_AFTER = timedelta(minutes=10)
_BATCH = 500


@dataclass(frozen=True)
class Finding:
    kind: str          # missing_blob | corrupt_blob | stuck_spool | failed_spool | index_missing | index_extra
    subject: str       # what it is about: "post 12 raw", "spool 7"
    detail: str

    def line(self) -> str:
        return f"{self.kind}: {self.subject}: {self.detail}"


def blob_state(blobs: BlobStore, sha256: str) -> str:
    """'ok', 'missing' or 'corrupt' (blocking: reads the whole blob)."""
    try:
        path = blobs.path(sha256)
    except ValueError:
        return "corrupt"
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except FileNotFoundError:
        return "missing"
    return "ok" if digest.hexdigest() == sha256 else "corrupt"


_ATTACHMENTS = "SELECT post_id, position, sha256 FROM attachments WHERE post_id IN ({marks}) ORDER BY post_id, position"


async def check_blobs(db: Database, blobs: BlobStore) -> list[Finding]:
    """Every post's raw blob and attachment blobs: present, and hashing to their names."""
    findings: list[Finding] = []
    after = 0
    while posts := await db.fetchall("SELECT id, raw_sha256 FROM posts WHERE id > ? ORDER BY id LIMIT ?",
                                     (after, _BATCH)):
        after = posts[-1]["id"]
        wanted = [(f"post {p['id']} raw", p["raw_sha256"]) for p in posts if p["raw_sha256"]]
        marks = ",".join("?" * len(posts))
        wanted += [(f"post {a['post_id']} attachment {a['position']}", a["sha256"]) for a in await db.fetchall(
            _ATTACHMENTS.format(marks=marks), tuple(p["id"] for p in posts))]
        states = await asyncio.to_thread(lambda: [blob_state(blobs, sha) for _, sha in wanted])
        findings += [Finding(f"{state}_blob", subject, f"blob {sha} is {state}")
                     for (subject, sha), state in zip(wanted, states) if state != "ok"]
    return findings


async def check_spool(db: Database, now: datetime, stuck_after: timedelta = STUCK_AFTER,
                      blobs: BlobStore | None = None) -> list[Finding]:
    """Messages waiting longer than `stuck_after`, messages that failed (`kairan spool list`), and
    unprocessed messages kept in the blob store (large ones) whose blob is gone or damaged."""
    findings = [] if blobs is None else await _unprocessed_blobs(db, blobs)
    rows = await db.fetchall(
        "SELECT id, received_at, status, error FROM spool WHERE (status = 'received' AND received_at < ?) "
        "OR status = 'failed' ORDER BY id", (to_iso(now - stuck_after),))
    return findings + [Finding("stuck_spool" if r["status"] == "received" else "failed_spool", f"spool {r['id']}",
                               f"received {r['received_at']}, not processed" if r["status"] == "received"
                               else f"failed: {r['error'][:200]} (see 'kairan spool retry')") for r in rows]


async def _unprocessed_blobs(db: Database, blobs: BlobStore) -> list[Finding]:
    rows = await db.fetchall("SELECT id, raw_sha256 FROM spool WHERE status <> 'processed' AND raw IS NULL "
                             "AND raw_sha256 <> '' ORDER BY id")
    states = await asyncio.to_thread(lambda: [blob_state(blobs, r["raw_sha256"]) for r in rows])
    return [Finding(f"{state}_blob", f"spool {r['id']} raw", f"blob {r['raw_sha256']} is {state}")
            for r, state in zip(rows, states) if state != "ok"]


async def all_post_ids(db: Database) -> set[int]:
    return {r[0] for r in await db.fetchall("SELECT id FROM posts")}


async def queued_for_index(db: Database) -> set[int]:
    return {r[0] for r in await db.fetchall("SELECT post_id FROM index_queue")}


async def queue_for_index(db: Database, post_ids: list[int], op: str = "add") -> None:
    """Puts posts (back) in the index queue: the indexer adds (or removes) them at its next pass."""
    async with db.write() as conn:
        await conn.executemany("INSERT INTO index_queue (post_id, op, enqueued_at) VALUES (?, ?, ?)",
                               [(post_id, op, to_iso(db.clock())) for post_id in post_ids])
