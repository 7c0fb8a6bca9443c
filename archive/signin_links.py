"""One-time sign-in links sent by mail. Only a hash of the token is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from archive.admin.audit import SYSTEM, Actor, record
from archive.clock import to_iso
from archive.db import Database

LINK_LIFETIME = timedelta(minutes=15)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


async def create_link(db: Database, member_id: int, lifetime: timedelta = LINK_LIFETIME,
                      actor: Actor = SYSTEM) -> str:
    """A fresh token for the member (signin.link, audited); the caller mails it and forgets it."""
    token = secrets.token_urlsafe(32)
    now = db.clock()
    async with db.write() as conn:
        await conn.execute(
            "INSERT INTO signin_links (token_sha256, member_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
            (_digest(token), member_id, to_iso(now), to_iso(now + lifetime)))
        address = await conn.fetchval("SELECT address FROM member_addresses WHERE member_id = ? "
                                      "ORDER BY is_primary DESC, address LIMIT 1", (member_id,))
        await record(conn, actor, "signin.link", address or f"member:{member_id}", {"expires_at": to_iso(now + lifetime)})
    return token


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
