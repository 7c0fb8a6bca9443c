"""One-time sign-in links sent by mail. Only a hash of the token is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from archive.clock import to_iso
from archive.db import Database, Tx

LINK_LIFETIME = timedelta(minutes=15)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


async def insert_link(tx: Tx, member_id: int, lifetime: timedelta = LINK_LIFETIME) -> tuple[str, str]:
    """Inside a write transaction: (a fresh token for the member, when it expires). The one caller is
    archive.admin.credentials.create_link, which records it in the audit log in the same transaction."""
    token = secrets.token_urlsafe(32)
    now = tx.clock()
    await tx.execute(
        "INSERT INTO signin_links (token_sha256, member_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
        (_digest(token), member_id, to_iso(now), to_iso(now + lifetime)))
    return token, to_iso(now + lifetime)


async def link_is_valid(db: Database, token: str) -> bool:
    """True while the link is unused and unexpired (for the confirmation page; does not use it)."""
    row = await db.fetchone(
        "SELECT 1 FROM signin_links WHERE token_sha256 = ? AND used_at IS NULL AND expires_at > ?",
        (_digest(token), to_iso(db.clock())))
    return row is not None


async def use_link(db: Database, token: str) -> int | None:
    """The member id, once: marks the link used in the same transaction that checks it."""
    now = to_iso(db.clock())
    async with db.write() as conn:
        rows = await conn.execute_fetchall(
            "SELECT member_id FROM signin_links WHERE token_sha256 = ? AND used_at IS NULL AND expires_at > ?",
            (_digest(token), now))
        if not rows:
            return None
        await conn.execute("UPDATE signin_links SET used_at = ? WHERE token_sha256 = ?", (now, _digest(token)))
    return rows[0]["member_id"]
