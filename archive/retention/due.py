"""Which threads are past their retention period (廃棄予定), and each space's class and hold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from archive.admin.audit import Actor, record
from archive.clock import from_iso, to_iso
from archive.db import Database
from archive.models import Space
from archive.retention.classes import CLASSES, RetentionPolicy, check_class, cutoff, expires


@dataclass(frozen=True)
class DueThread:
    space_id: int
    space_slug: str
    space_title: str
    thread_id: int
    subject: str
    retention: str
    last_post: str          # ISO-8601 UTC
    expires: date

    def document(self) -> dict:
        """The shape of `kairan retention due --json`."""
        return {"space": self.space_slug, "thread_id": self.thread_id, "subject": self.subject,
                "last_post": self.last_post, "expires": self.expires.isoformat()}


@dataclass(frozen=True)
class SpaceRetention:
    retention: str          # the effective class
    explicit: bool          # False: the deployment's default applies
    legal_hold: bool


_DUE = """
SELECT t.id, t.subject, t.last_post_at, s.id AS space_id, s.slug, s.title
FROM threads t JOIN spaces s ON s.id = t.space_id
WHERE s.legal_hold = 0 AND COALESCE(s.retention, ?) = ? AND t.last_post_at < ?
  AND NOT EXISTS (SELECT 1 FROM disposal_register r WHERE r.thread_id = t.id AND r.status = 'approved')
  {space_filter}
ORDER BY t.last_post_at, t.id
"""


async def due_threads(db: Database, as_of: datetime, policy: RetentionPolicy,
                      space_ids: list[int] | None = None) -> list[DueThread]:
    """Threads whose period has ended by `as_of`, oldest first; spaces under legal hold never."""
    found: list[DueThread] = []
    if space_ids is not None and not space_ids:
        return found
    space_filter = f"AND s.id IN ({','.join('?' * len(space_ids))})" if space_ids else ""
    for retention in CLASSES:
        limit = cutoff(as_of, retention, policy)
        if limit is None:
            continue
        rows = await db.fetchall(_DUE.format(space_filter=space_filter),
                                 (policy.default, retention, to_iso(limit), *(space_ids or ())))
        found += [DueThread(r["space_id"], r["slug"], r["title"], r["id"], r["subject"], retention,
                            r["last_post_at"], expires(from_iso(r["last_post_at"]), retention, policy))
                  for r in rows]
    return sorted(found, key=lambda d: (d.expires, d.last_post, d.thread_id))


async def space_retention(db: Database, space: Space, policy: RetentionPolicy) -> SpaceRetention:
    row = await db.fetchone("SELECT retention, legal_hold FROM spaces WHERE id = ?", (space.id,))
    return SpaceRetention(row["retention"] or policy.default, row["retention"] is not None, bool(row["legal_hold"]))


async def set_retention(db: Database, space: Space, retention: str, actor: Actor) -> str:
    """Change a space's class (audited as space.change)."""
    retention = check_class(retention)
    async with db.write() as tx:
        before = await tx.fetchval("SELECT retention FROM spaces WHERE id = ?", (space.id,))
        await tx.execute("UPDATE spaces SET retention = ? WHERE id = ?", (retention, space.id))
        await record(tx, actor, "space.change", f"space:{space.slug}",
                     {"retention": {"before": before, "after": retention}})
    return retention


async def set_hold(db: Database, space: Space, on: bool, actor: Actor) -> None:
    """Put a space under legal hold (never disposed) or lift it (audited as space.change)."""
    async with db.write() as tx:
        before = bool(await tx.fetchval("SELECT legal_hold FROM spaces WHERE id = ?", (space.id,)))
        await tx.execute("UPDATE spaces SET legal_hold = ? WHERE id = ?", (int(on), space.id))
        await record(tx, actor, "space.change", f"space:{space.slug}",
                     {"legal_hold": {"before": before, "after": on}})
