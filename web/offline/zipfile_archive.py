"""The offline archive: a .zip of static pages that opens from the file system.

    index.html               the threads, newest activity first
    threads/ID.html          one page per thread: posts oldest first, attachments beside them
    files/ID/NAME            the attachments
    eml/ID.eml               every post's original message
    posts.csv                one row per post (UTF-8 with BOM, so Excel reads the Japanese)

Japanese, plain HTML and CSS: no JavaScript, nothing fetched, relative links only.
"""

from __future__ import annotations

import asyncio
import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO
from urllib.parse import quote
from zoneinfo import ZoneInfo

import jinja2

from archive.blobs import BlobStore
from archive.clock import from_iso
from archive.db import Database
from archive.formats import human_size, japanese_datetime
from archive.models import Attachment, Post, Space, Thread
from archive.posts import list_posts
from archive.threads import count_threads, list_threads
from web.mailhtml import clean_filename

CSV_FIELDS = ("post_id", "thread_id", "thread_subject", "date", "from_name", "from_address", "subject",
              "attachments", "eml")
THREAD_PAGE = 200


@dataclass(frozen=True)
class PostEntry:
    post: Post
    date: str
    text: str
    full: str
    eml: str
    files: list[tuple[Attachment, str, str]]      # (attachment, href, size)


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("web", "templates/offline"), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    return env


def file_path(attachment: Attachment) -> str:
    return f"files/{attachment.id}/{clean_filename(attachment.filename)}"


class OfflineArchive:
    def __init__(self, db: Database, blobs: BlobStore, space: Space, zone: str, now: datetime):
        self._db = db
        self._blobs = blobs
        self._space = space
        self._zone = ZoneInfo(zone)
        self._now = now
        self._env = _env()

    def _local(self, date_utc: str) -> str:
        return japanese_datetime(from_iso(date_utc).astimezone(self._zone))

    async def _read(self, sha256: str) -> bytes | None:
        try:
            return await asyncio.to_thread(self._blobs.get, sha256)
        except (OSError, ValueError):
            return None

    def _entry(self, post: Post) -> PostEntry:
        files = [(a, "../" + quote(file_path(a)), human_size(a.size)) for a in post.attachments]
        return PostEntry(post, self._local(post.date_utc), post.reply_text.strip() or post.body_text.strip(),
                         post.body_text.strip(), f"../eml/{post.id}.eml", files)

    async def write(self, out: BinaryIO) -> int:
        """Returns how many posts went in."""
        rows = io.StringIO()
        table = csv.writer(rows)
        table.writerow(CSV_FIELDS)
        index, count = [], 0
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            total = await count_threads(self._db, self._space.id)
            for offset in range(0, total, THREAD_PAGE):
                for thread in await list_threads(self._db, self._space.id, limit=THREAD_PAGE, offset=offset):
                    posts = await list_posts(self._db, thread.id)
                    await self._thread(archive, thread, posts, table)
                    index.append((thread, len(posts), self._local(thread.last_post_at)))
                    count += len(posts)
            archive.writestr("index.html", self._env.get_template("index.html").render(
                space=self._space, threads=index, made=japanese_datetime(self._now.astimezone(self._zone)),
                posts=count))
            archive.writestr("posts.csv", "\ufeff" + rows.getvalue())
        return count

    async def _thread(self, archive: zipfile.ZipFile, thread: Thread, posts: list[Post], table) -> None:
        entries = [self._entry(p) for p in posts]
        archive.writestr(f"threads/{thread.id}.html", self._env.get_template("thread.html").render(
            space=self._space, thread=thread, posts=entries))
        for post in posts:
            raw = await self._read(post.raw_sha256) if post.raw_sha256 else None
            if raw is not None:
                archive.writestr(f"eml/{post.id}.eml", raw)
            for attachment in post.attachments:
                data = await self._read(attachment.sha256)
                if data is not None:
                    archive.writestr(file_path(attachment), data)
            table.writerow([post.id, thread.id, thread.subject, self._local(post.date_utc), post.from_name,
                            post.from_address, post.subject, len(post.attachments),
                            f"eml/{post.id}.eml" if raw is not None else ""])
