"""The figures monitoring reads (`GET /metrics`), taken from the database at the time of asking.

Counting from the tables rather than from counters kept in memory means the
figures survive a restart, agree with what `kairan spool list` and the admin
pages show, and need no state shared between the gateway and the web app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from archive.clock import from_iso
from archive.db import Database


@dataclass(frozen=True)
class Figures:
    accepted: int                                   # messages acknowledged with 250 (spool rows)
    refused: dict[str, int] = field(default_factory=dict)   # by the rule that refused them
    spool_depth: int = 0                            # acknowledged, not processed yet
    spool_oldest_seconds: float = 0.0               # age of the oldest of those (0 when none)
    spool_failed: int = 0
    queues: dict[str, int] = field(default_factory=dict)    # index_queue, notify_queue
    deliveries: dict[str, int] = field(default_factory=dict)  # sent, failed, retrying, due
    index_lag_posts: int = 0                        # posts waiting to be indexed
    index_lag_seconds: float = 0.0                  # how long the oldest has waited
    signin_failures: int = 0


def _age(now: datetime, iso: str | None) -> float:
    return max(0.0, (now - from_iso(iso)).total_seconds()) if iso else 0.0


async def gather(db: Database, now: datetime) -> Figures:
    accepted = await db.fetchval("SELECT COALESCE(MAX(id), 0) FROM spool")
    refused = {r[0]: r[1] for r in await db.fetchall("SELECT decided_by, COUNT(*) FROM refusals GROUP BY decided_by")}
    spool = await db.fetchone("SELECT COUNT(*), MIN(received_at) FROM spool WHERE status = 'received'")
    failed = await db.fetchval("SELECT COUNT(*) FROM spool WHERE status = 'failed'")
    index = await db.fetchone("SELECT COUNT(DISTINCT post_id), MIN(enqueued_at) FROM index_queue")
    notify = await db.fetchval("SELECT COUNT(*) FROM notify_queue")
    deliveries = {"sent": 0, "failed": 0, "retrying": 0, "due": 0}
    for row in await db.fetchall(
            "SELECT CASE WHEN status = 'due' AND attempts > 0 THEN 'retrying' ELSE status END, COUNT(*) "
            "FROM deliveries GROUP BY 1"):
        deliveries[row[0]] = row[1]
    return Figures(accepted=accepted, refused=refused, spool_depth=spool[0], spool_oldest_seconds=_age(now, spool[1]),
                   spool_failed=failed, queues={"index": await db.fetchval("SELECT COUNT(*) FROM index_queue"),
                                                "notify": notify},
                   deliveries=deliveries, index_lag_posts=index[0], index_lag_seconds=_age(now, index[1]),
                   signin_failures=await signin_failures(db))


async def signin_failures(db: Database) -> int:
    """Failed sign-ins as the audit log recorded them (0 before the log exists)."""
    if not await db.fetchval("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'"):
        return 0
    return await db.fetchval("SELECT COUNT(*) FROM audit_log WHERE action = 'signin.fail'")
