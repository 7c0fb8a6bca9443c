"""A CSV file uploaded on the web, kept between its preview and its apply (one member's, for a day)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from archive.clock import to_iso
from archive.db import Database
from archive.errors import NotFound

KEPT_FOR = timedelta(days=1)


async def keep(db: Database, member_id: int, filename: str, content: bytes) -> str:
    """Store the upload; returns the token its apply form carries. Older uploads are dropped."""
    token = secrets.token_urlsafe(24)
    now = db.clock()
    async with db.write() as tx:
        await tx.execute("DELETE FROM member_uploads WHERE created_at < ?", (to_iso(now - KEPT_FOR),))
        await tx.execute("INSERT INTO member_uploads (token, member_id, created_at, filename, content) "
                         "VALUES (?, ?, ?, ?, ?)", (token, member_id, to_iso(now), filename[:200], content))
    return token


async def fetch(db: Database, member_id: int, token: str) -> tuple[str, bytes]:
    """(filename, content) of this member's upload; NotFound for anyone else's or an old one."""
    row = await db.fetchone("SELECT filename, content FROM member_uploads WHERE token = ? AND member_id = ? "
                            "AND created_at >= ?", (token, member_id, to_iso(db.clock() - KEPT_FOR)))
    if row is None:
        raise NotFound("that upload is gone: upload the file again")
    return row["filename"], bytes(row["content"])


async def drop(db: Database, token: str) -> None:
    async with db.write() as tx:
        await tx.execute("DELETE FROM member_uploads WHERE token = ?", (token,))
