"""Deleting a post (誤送信: personal data sent to the wrong space) — by a space admin, or its
author within 24 hours, with a reason.

One transaction erases the post (archive.removal.erase), leaves a tombstone (date and who,
no content) and writes the audit entry (who, when, why, the subject — never the text);
then the garbage collector erases its raw message and attachments unless another post
still uses the same blob.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from archive.admin.audit import Actor, record
from archive.admin.roles import is_space_admin, require
from archive.blobs import BlobStore
from archive.clock import from_iso, to_iso
from archive.db import Database
from archive.errors import Invalid, NotFound
from archive.models import Member, Space
from archive.removal.blobgc import collect_garbage
from archive.removal.erase import erase_posts

AUTHOR_WINDOW = timedelta(hours=24)
MAX_REASON = 500


@dataclass(frozen=True)
class Tombstone:
    post_id: int
    thread_id: int
    date_utc: str
    deleted_at: str
    deleted_by_label: str


async def may_delete(db: Database, member: Member | None, space: Space, author_id: int | None,
                     created_at: str, now: datetime) -> bool:
    """A space admin always; the author for their own post within 24 hours of storing it."""
    if member is None:
        return False
    if await is_space_admin(db, member, space):
        return True
    return author_id == member.id and now - from_iso(created_at) <= AUTHOR_WINDOW


async def deletable(db: Database, member: Member | None, space: Space, posts: list, now: datetime) -> set[int]:
    """The ids of these posts (of one space) the member may delete."""
    if member is None:
        return set()
    if await is_space_admin(db, member, space):
        return {p.id for p in posts}
    return {p.id for p in posts if p.author_id == member.id and now - from_iso(p.created_at) <= AUTHOR_WINDOW}


async def delete_post(db: Database, blobs: BlobStore, space: Space, post_id: int, reason: str, actor: Actor,
                      member: Member | None = None) -> Tombstone:
    """`member` None: the command line (trusted operator); else their right is checked."""
    reason = " ".join(reason.split())[:MAX_REASON]
    if not reason:
        raise Invalid("a deletion needs a reason: pass --reason TEXT (e.g. 誤送信)")
    row = await db.fetchone("SELECT * FROM posts WHERE id = ? AND space_id = ?", (post_id, space.id))
    if row is None:
        raise NotFound(f"no post #{post_id} in space {space.slug}: see 'kairan show {space.slug}'")
    now = db.clock()
    if member is not None:
        require(await may_delete(db, member, space, row["author_id"], row["created_at"], now),
                "only a space admin, or the author within 24 hours, may delete a post")
    now_iso = to_iso(now)
    async with db.write() as tx:
        await erase_posts(tx, [post_id], now_iso)
        await tx.execute(
            """INSERT INTO post_tombstones (post_id, space_id, thread_id, message_id, date_utc, deleted_at,
                   deleted_by, deleted_by_label) VALUES (?,?,?,?,?,?,?,?)""",
            (post_id, space.id, row["thread_id"], row["message_id"], row["date_utc"], now_iso, actor.member_id,
             actor.label))
        await record(tx, actor, "post.delete", f"post:{post_id}",
                     {"space": space.slug, "thread_id": row["thread_id"], "subject": row["subject"],
                      "reason": reason, "post_date": row["date_utc"]})
    await collect_garbage(db, blobs)
    return Tombstone(post_id, row["thread_id"], row["date_utc"], now_iso, actor.label)


async def tombstones(db: Database, thread_id: int) -> list[Tombstone]:
    """The deleted posts of a thread, in the thread's order."""
    rows = await db.fetchall(
        "SELECT * FROM post_tombstones WHERE thread_id = ? ORDER BY date_utc, post_id", (thread_id,))
    return [Tombstone(r["post_id"], r["thread_id"], r["date_utc"], r["deleted_at"], r["deleted_by_label"])
            for r in rows]


async def deleted_message_ids(db: Database, space_id: int, message_ids: list[str]) -> set[str]:
    """Which of these Message-IDs were deleted from the space (an import must not bring them back)."""
    if not message_ids:
        return set()
    marks = ",".join("?" * len(message_ids))
    rows = await db.fetchall(
        f"SELECT message_id FROM post_tombstones WHERE space_id = ? AND message_id IN ({marks})",
        (space_id, *message_ids))
    return {r[0] for r in rows}
