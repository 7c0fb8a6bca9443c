"""A space's posts as an mboxrd file: every post's original raw bytes, oldest first.

mboxrd quoting (`From ` → `>From `, `>From ` → `>>From ` …) is undone exactly by
bridge.importing.sources, so the export imported into an empty space gives the same
posts, threads and attachments. Deleted posts are gone from it, like from everything.
"""

from __future__ import annotations

import asyncio
import re
from typing import AsyncIterator, BinaryIO

from archive.blobs import BlobStore
from archive.clock import from_iso
from archive.db import Database
from archive.models import Space

_FROM_LINE = re.compile(rb"^(>*From )", re.MULTILINE)
PAGE = 500


async def raw_posts(db: Database, space: Space) -> AsyncIterator[tuple[int, str, str]]:
    """(post id, date, raw SHA-256) of every post, oldest first, read a page at a time."""
    after = ("", 0)
    while True:
        rows = await db.fetchall(
            """SELECT id, date_utc, raw_sha256 FROM posts WHERE space_id = ? AND (date_utc, id) > (?, ?)
               ORDER BY date_utc, id LIMIT ?""", (space.id, after[0], after[1], PAGE))
        for row in rows:
            yield row["id"], row["date_utc"], row["raw_sha256"]
        if len(rows) < PAGE:
            return
        after = (rows[-1]["date_utc"], rows[-1]["id"])


def mbox_entry(raw: bytes, date_utc: str) -> bytes:
    """One message in mboxrd form: the separator line, the quoted bytes, an empty line."""
    stamp = from_iso(date_utc).strftime("%a %b %d %H:%M:%S %Y")
    body = _FROM_LINE.sub(rb">\1", raw)
    if not body.endswith(b"\n"):
        body += b"\n"
    return b"From MAILER-DAEMON " + stamp.encode("ascii") + b"\n" + body + b"\n"


async def write_mbox(db: Database, blobs: BlobStore, space: Space, out: BinaryIO) -> int:
    """Returns how many posts were written (a post whose raw blob is missing is skipped)."""
    count = 0
    async for _, date_utc, sha in raw_posts(db, space):
        if not sha:
            continue
        try:
            raw = await asyncio.to_thread(blobs.get, sha)
        except (OSError, ValueError):
            continue
        out.write(mbox_entry(raw, date_utc))
        count += 1
    return count
