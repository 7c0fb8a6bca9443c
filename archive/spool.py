"""The spool: every raw message acknowledged over SMTP, until it is processed.

`250` is only said after the spool row is committed. Small messages travel
inline in the row so that many sessions share one transaction (group commit);
the ingest worker moves them to the blob store when it stores the post.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from dataclasses import dataclass

from archive.blobs import BlobStore
from archive.clock import to_iso
from archive.db import Database, Tx
from archive.errors import NotFound
from archive.models import SpoolEntry
from archive.posts import IMPORTED_KINDS


@dataclass(frozen=True)
class Incoming:
    """One accepted message: inline bytes, or the SHA-256 of a blob already durable."""
    received_at: str
    mail_from: str
    rcpts: tuple[str, ...]
    peer: str
    size: int
    raw: bytes | None
    raw_sha256: str = ""
    sender_assurance: str = "none"      # the gateway's verdict on the sender, for the post
    assurance_evidence: str = ""


IMPORT_PEER = "import:"           # a message an import couldn't store: import:KIND:LOCATION


def import_peer(kind: str, location: str) -> str:
    """The spool's `peer` of a message an import kept as failed: retried, it is stored as imported."""
    return f"{IMPORT_PEER}{kind}:{location}"[:500]


def imported_kind(entry: SpoolEntry) -> str:
    """mbox | maildir | eml | msg for a message an import handed in, '' for live mail."""
    if not entry.peer.startswith(IMPORT_PEER):
        return ""
    kind = entry.peer[len(IMPORT_PEER):].split(":", 1)[0]
    return kind if kind in IMPORTED_KINDS else "mbox"      # a row written before the kind was kept


def entry_from_row(row: sqlite3.Row) -> SpoolEntry:
    return SpoolEntry(row["id"], row["received_at"], row["mail_from"], tuple(json.loads(row["rcpts"])),
                      row["size"], row["status"], row["decided_by"], row["error"], row["attempts"],
                      row["raw_sha256"], row["sender_assurance"], row["assurance_evidence"], row["peer"])


async def insert_incoming(conn: Tx, message: Incoming) -> int:
    cur = await conn.execute(
        """INSERT INTO spool (received_at, mail_from, rcpts, peer, size, raw, raw_sha256, sender_assurance,
           assurance_evidence) VALUES (?,?,?,?,?,?,?,?,?)""",
        (message.received_at, message.mail_from, json.dumps(list(message.rcpts)), message.peer, message.size,
         message.raw, message.raw_sha256, message.sender_assurance, message.assurance_evidence))
    return cur.lastrowid


async def pending(db: Database, limit: int = 100) -> list[SpoolEntry]:
    """Messages not processed yet, in arrival order."""
    rows = await db.fetchall(
        "SELECT * FROM spool WHERE status = 'received' ORDER BY id LIMIT ?", (limit,))
    return [entry_from_row(r) for r in rows]


async def get_entry(db: Database, spool_id: int) -> SpoolEntry:
    row = await db.fetchone("SELECT * FROM spool WHERE id = ?", (spool_id,))
    if row is None:
        raise NotFound(f"no spooled message #{spool_id}: see 'kairan spool list'")
    return entry_from_row(row)


async def load_raw(db: Database, blobs: BlobStore, spool_id: int) -> bytes:
    row = await db.fetchone("SELECT raw, raw_sha256 FROM spool WHERE id = ?", (spool_id,))
    if row is None:
        raise NotFound(f"no spooled message #{spool_id}")
    if row["raw"] is not None:
        return bytes(row["raw"])
    return blobs.get(row["raw_sha256"])


async def mark_processed(conn: Tx, spool_id: int, raw_sha256: str, decided_by: str,
                         now_iso: str, keep_raw: bool = False) -> None:
    """Inside the archive transaction that stored the posts; the raw bytes live in the blob store now.
    With `keep_raw`, the blob was written without fsync and the inline bytes stay the durable copy
    until `settle_raws` has made the blob durable (the raw message made durable once per batch)."""
    await conn.execute(
        f"""UPDATE spool SET status = 'processed', {'' if keep_raw else 'raw = NULL, '}raw_sha256 = ?, decided_by = ?,
           error = '', attempts = attempts + 1, processed_at = ? WHERE id = ?""",
        (raw_sha256, decided_by, now_iso, spool_id))


async def mark_failed(db: Database, spool_id: int, error: str) -> None:
    async with db.write() as conn:
        await conn.execute(
            "UPDATE spool SET status = 'failed', error = ?, attempts = attempts + 1 WHERE id = ?",
            (error[:2000], spool_id))


async def retry(db: Database, spool_id: int | None = None) -> int:
    """Put failed messages (one, or all) back in the queue; returns how many."""
    async with db.write() as conn:
        if spool_id is None:
            cur = await conn.execute("UPDATE spool SET status = 'received' WHERE status = 'failed'")
        else:
            cur = await conn.execute("UPDATE spool SET status = 'received' WHERE status = 'failed' AND id = ?",
                                     (spool_id,))
        return cur.rowcount


async def list_entries(db: Database, status: str | None = None, limit: int = 200) -> list[SpoolEntry]:
    if status:
        rows = await db.fetchall("SELECT * FROM spool WHERE status = ? ORDER BY id DESC LIMIT ?", (status, limit))
    else:
        rows = await db.fetchall("SELECT * FROM spool ORDER BY id DESC LIMIT ?", (limit,))
    return [entry_from_row(r) for r in rows]


async def record_refusal(db: Database, mail_from: str, rcpt: str, decided_by: str, reply: str) -> None:
    async with db.write() as conn:
        await conn.execute("INSERT INTO refusals (at, mail_from, rcpt, decided_by, reply) VALUES (?,?,?,?,?)",
                           (to_iso(db.clock()), mail_from, rcpt, decided_by, reply))


async def load_raws(db: Database, blobs: BlobStore, spool_ids: list[int]) -> dict[int, bytes]:
    """Raw bytes of several spooled messages (inline, or from the blob store)."""
    if not spool_ids:
        return {}
    marks = ",".join("?" * len(spool_ids))
    rows = await db.fetchall(f"SELECT id, raw, raw_sha256 FROM spool WHERE id IN ({marks})", tuple(spool_ids))
    return {r["id"]: bytes(r["raw"]) if r["raw"] is not None else blobs.get(r["raw_sha256"]) for r in rows}


async def outcome(db: Database, spool_id: int) -> tuple[str, int | None]:
    """(the spooled message's status, the first post stored from it or None)."""
    row = await db.fetchone("SELECT status, (SELECT MIN(id) FROM posts p WHERE p.spool_id = s.id) AS post_id "
                            "FROM spool s WHERE s.id = ?", (spool_id,))
    if row is None:
        raise NotFound(f"no spooled message #{spool_id}")
    return row["status"], row["post_id"]
async def inline_raws(db: Database, spool_ids: list[int]) -> dict[int, bytes | None]:
    """Spool id → its inline bytes, or None for a message whose bytes are in the blob store
    (its `raw_sha256`): the ingest worker hands big messages on by path, without reading them."""
    if not spool_ids:
        return {}
    marks = ",".join("?" * len(spool_ids))
    rows = await db.fetchall(f"SELECT id, raw FROM spool WHERE id IN ({marks})", tuple(spool_ids))
    return {r["id"]: bytes(r["raw"]) if r["raw"] is not None else None for r in rows}


async def count_waiting(db: Database) -> int:
    """Messages accepted and not yet processed (the gateway's back-pressure starts from this)."""
    return await db.fetchval("SELECT COUNT(*) FROM spool WHERE status = 'received'")


async def settle_raws(db: Database, blobs: BlobStore, *, verify: bool = False, limit: int = 2000) -> int:
    """Processed messages whose inline bytes are still the durable copy: make their blobs durable
    (fsync, long after the kernel wrote most of them back, so it is cheap), then drop the inline
    bytes. `verify` (at start, after a crash) rewrites any blob that is missing or torn."""
    rows = await db.fetchall("SELECT id, raw, raw_sha256 FROM spool WHERE status = 'processed' AND raw IS NOT NULL "
                             "ORDER BY id LIMIT ?", (limit,))
    if not rows:
        return 0
    await asyncio.to_thread(blobs.settle, [(r["raw_sha256"], bytes(r["raw"])) for r in rows], verify)
    marks = ",".join("?" * len(rows))
    async with db.write() as conn:
        await conn.execute(f"UPDATE spool SET raw = NULL WHERE id IN ({marks})", tuple(r["id"] for r in rows))
    return len(rows)


async def settle_all(db: Database, blobs: BlobStore, *, verify: bool = False) -> int:
    total = 0
    while count := await settle_raws(db, blobs, verify=verify):
        total += count
    return total
