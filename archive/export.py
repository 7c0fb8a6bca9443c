"""A space as one document: the shape of `kairan show --json` and `GET /api/spaces/SLUG`."""

from __future__ import annotations

from datetime import timedelta, timezone
from typing import Awaitable, Callable

from archive.clock import from_iso
from archive.db import Database
from archive.models import Attachment, Post, Space, Thread
from archive.posts import list_posts
from archive.threads import list_threads

AttachmentUrl = Callable[[Space, Thread, Attachment], str]
InquiryOf = Callable[[Thread], Awaitable[dict | None]]


def local_iso(date_utc: str, offset_minutes: int) -> str:
    """The instant in the sender's own offset, as they wrote it: 2026-11-27T10:00:00+09:00."""
    zone = timezone(timedelta(minutes=offset_minutes))
    return from_iso(date_utc).astimezone(zone).isoformat()


def attachment_document(attachment: Attachment, url: str | None = None) -> dict:
    doc = {"filename": attachment.filename, "size": attachment.size,
           "content_type": attachment.content_type, "sha256": attachment.sha256}
    if url is not None:
        doc["url"] = url
    return doc


def post_document(space: Space, thread: Thread, post: Post, attachment_url: AttachmentUrl | None) -> dict:
    return {
        "id": post.id, "message_id": post.message_id, "from_name": post.from_name,
        "from_address": post.from_address, "date": local_iso(post.date_utc, post.tz_offset_min),
        "reply_text": post.reply_text, "sender_assurance": post.sender_assurance,
        "attachments": [attachment_document(a, attachment_url(space, thread, a) if attachment_url else None)
                        for a in post.attachments],
    }


async def _no_inquiry(thread: Thread) -> dict | None:
    return None


async def space_document(db: Database, space: Space, domain: str, *, attachment_url: AttachmentUrl | None = None,
                         inquiry_of: InquiryOf = _no_inquiry, limit: int = 1_000_000) -> dict:
    """Threads newest activity first, posts oldest first."""
    threads = []
    for thread in await list_threads(db, space.id, limit=limit):
        posts = await list_posts(db, thread.id)
        threads.append({
            "id": thread.id, "subject": thread.subject,
            "reply_address": f"{space.slug}+{thread.token}@{domain}",
            "inquiry": await inquiry_of(thread),
            "posts": [post_document(space, thread, p, attachment_url) for p in posts],
        })
    return {"space": {"slug": space.slug, "title": space.title, "address": space.address(domain)},
            "threads": threads}
