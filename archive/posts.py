"""Posts and their attachments, stored with their queue rows in one transaction."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from archive.clock import to_iso
from archive.db import Database, Tx
from archive.errors import NotFound
from archive.ids import next_id
from archive.models import Attachment, Post
from archive.threads import new_token


IMPORTED_KINDS = ("mbox", "maildir", "eml", "msg")     # what `kairan import` reads; a post's imported_from


@dataclass(frozen=True)
class NewAttachment:
    position: int
    filename: str | None
    content_type: str
    size: int | None
    sha256: str
    content_id: str = ""


@dataclass(frozen=True)
class NewPost:
    """A post to store. `thread_id` None starts a thread titled `subject`."""
    space_id: int
    thread_id: int | None
    message_id: str
    subject: str
    norm_subject: str
    from_name: str
    from_address: str
    date_utc: str
    author_id: int | None = None
    tz_offset_min: int = 0
    in_reply_to: str = ""
    refs: str = ""
    body_text: str = ""
    body_html: str = ""
    reply_text: str = ""
    quoted_text: str = ""
    signature: str = ""
    raw_sha256: str = ""
    spool_id: int | None = None
    source: str = "mail"
    defects: str = ""
    attachments: tuple[NewAttachment, ...] = field(default=())
    sender_assurance: str = "none"      # how the sender was verified (archive/assurance); 'web' for the web
    assurance_evidence: str = ""        # JSON object
    imported_from: str = ""        # one of IMPORTED_KINDS: from a past mailbox (never notified)
    confidence: str = "high"
    confidence_reasons: tuple[str, ...] = ()
    thread_index: str = ""


@dataclass(frozen=True)
class Stored:
    post_id: int
    thread_id: int
    created: bool          # False when this (space, Message-ID) was stored before


async def insert_post(conn: Tx, post: NewPost, now_iso: str) -> Stored:
    """Inside a write transaction: thread, post, attachments, queue rows. Idempotent."""
    existing = await conn.execute_fetchall(
        "SELECT id, thread_id FROM posts WHERE space_id = ? AND message_id = ?", (post.space_id, post.message_id))
    if existing:
        return Stored(existing[0]["id"], existing[0]["thread_id"], created=False)
    thread_id = post.thread_id
    if thread_id is None:
        cur = await conn.execute(
            """INSERT INTO threads (id, space_id, subject, norm_subject, token, created_at, last_post_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (await next_id(conn, "threads"), post.space_id, post.subject or "(件名なし)", post.norm_subject,
             new_token(), now_iso, post.date_utc))
        thread_id = cur.lastrowid
    org_name, dept = await author_snapshot(conn, post.author_id)
    cur = await conn.execute(
        """INSERT INTO posts (id, space_id, thread_id, message_id, in_reply_to, refs, author_id, from_name,
               from_address, date_utc, tz_offset_min, subject, body_text, body_html, reply_text, quoted_text,
               signature, raw_sha256, spool_id, source, defects, created_at, author_org_name, author_dept,
               sender_assurance, assurance_evidence, confidence, confidence_reasons, thread_index)
           VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
        (await next_id(conn, "posts"), post.space_id, thread_id, post.message_id, post.in_reply_to, post.refs,
         post.author_id, post.from_name,
         post.from_address, post.date_utc, post.tz_offset_min, post.subject, post.body_text, post.body_html,
         post.reply_text, post.quoted_text, post.signature, post.raw_sha256, post.spool_id, post.source,
         post.defects, now_iso, org_name, dept, post.sender_assurance, post.assurance_evidence, post.confidence,
         "\n".join(post.confidence_reasons), post.thread_index))
    post_id = cur.lastrowid
    if post.imported_from:
        await conn.execute("UPDATE posts SET imported_from = ? WHERE id = ?", (post.imported_from, post_id))
    for att in post.attachments:
        await conn.execute(
            """INSERT INTO attachments (post_id, position, filename, content_type, size, sha256, content_id)
               VALUES (?,?,?,?,?,?,?)""",
            (post_id, att.position, att.filename, att.content_type, att.size, att.sha256, att.content_id))
    await conn.execute(
        """UPDATE threads SET post_count = post_count + 1, last_post_at = MAX(last_post_at, ?) WHERE id = ?""",
        (post.date_utc, thread_id))
    await conn.execute("INSERT INTO index_queue (post_id, enqueued_at) VALUES (?, ?)", (post_id, now_iso))
    if not post.imported_from:
        await conn.execute("INSERT INTO notify_queue (post_id, enqueued_at) VALUES (?, ?)", (post_id, now_iso))
    return Stored(post_id, thread_id, created=True)


async def author_snapshot(conn: Tx, author_id: int | None) -> tuple[str, str]:
    """The author's organization name and department as they are now, stored on the post so it
    keeps showing who they were when posting (after a move, a rename or a deactivation)."""
    if author_id is None:
        return "", ""
    rows = await conn.execute_fetchall("SELECT o.name, m.dept FROM members m JOIN orgs o ON o.id = m.org_id "
                                       "WHERE m.id = ?", (author_id,))
    return (rows[0]["name"], rows[0]["dept"]) if rows else ("", "")


async def add_post(db: Database, post: NewPost) -> Stored:
    """The one way a post enters the archive, from mail or from the web."""
    async with db.write() as conn:
        return await insert_post(conn, post, to_iso(db.clock()))


def attachment_from_row(row: sqlite3.Row) -> Attachment:
    return Attachment(row["id"], row["post_id"], row["position"], row["filename"], row["content_type"],
                      row["size"], row["sha256"], row["content_id"])


def post_from_row(row: sqlite3.Row, attachments: tuple[Attachment, ...] = ()) -> Post:
    return Post(id=row["id"], space_id=row["space_id"], thread_id=row["thread_id"], message_id=row["message_id"],
                in_reply_to=row["in_reply_to"], refs=row["refs"], author_id=row["author_id"],
                from_name=row["from_name"], from_address=row["from_address"], date_utc=row["date_utc"],
                tz_offset_min=row["tz_offset_min"], subject=row["subject"], body_text=row["body_text"],
                body_html=row["body_html"], reply_text=row["reply_text"], quoted_text=row["quoted_text"],
                signature=row["signature"], raw_sha256=row["raw_sha256"], source=row["source"],
                created_at=row["created_at"], attachments=attachments, author_org_name=row["author_org_name"],
                author_dept=row["author_dept"], sender_assurance=row["sender_assurance"],
                assurance_evidence=row["assurance_evidence"], confidence=row["confidence"],
                confidence_reasons=tuple(r for r in row["confidence_reasons"].split("\n") if r),
                thread_index=row["thread_index"],
                imported_from=row["imported_from"] if "imported_from" in row.keys() else "")


async def _with_attachments(db: Database, rows: list[sqlite3.Row]) -> list[Post]:
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    marks = ",".join("?" * len(ids))
    by_post: dict[int, list[Attachment]] = {}
    for a in await db.fetchall(f"SELECT * FROM attachments WHERE post_id IN ({marks}) ORDER BY post_id, position",
                               tuple(ids)):
        by_post.setdefault(a["post_id"], []).append(attachment_from_row(a))
    return [post_from_row(r, tuple(by_post.get(r["id"], ()))) for r in rows]


async def list_posts(db: Database, thread_id: int) -> list[Post]:
    """Oldest first."""
    rows = await db.fetchall("SELECT * FROM posts WHERE thread_id = ? ORDER BY date_utc, id", (thread_id,))
    return await _with_attachments(db, rows)


async def get_posts(db: Database, post_ids: list[int]) -> list[Post]:
    if not post_ids:
        return []
    marks = ",".join("?" * len(post_ids))
    rows = await db.fetchall(f"SELECT * FROM posts WHERE id IN ({marks}) ORDER BY id", tuple(post_ids))
    return await _with_attachments(db, rows)


async def get_post(db: Database, post_id: int) -> Post:
    posts = await get_posts(db, [post_id])
    if not posts:
        raise NotFound(f"no post #{post_id}")
    return posts[0]


async def get_attachment(db: Database, attachment_id: int) -> Attachment:
    row = await db.fetchone("SELECT * FROM attachments WHERE id = ?", (attachment_id,))
    if row is None:
        raise NotFound(f"no attachment #{attachment_id}")
    return attachment_from_row(row)
