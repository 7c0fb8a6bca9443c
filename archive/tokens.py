"""API tokens: a random secret shown once; only its SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets

from archive.clock import to_iso
from archive.db import Database, Tx
from archive.members import get_member
from archive.models import Member

PREFIX = "kairan_"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


async def insert_token(tx: Tx, member_id: int) -> str:
    """Inside a write transaction: a new token for the member. The one caller is
    archive.admin.credentials.create_token, which records it in the audit log in the same transaction."""
    token = PREFIX + secrets.token_urlsafe(32)
    await tx.execute("INSERT INTO api_tokens (token_sha256, member_id, created_at) VALUES (?, ?, ?)",
                     (token_hash(token), member_id, to_iso(tx.clock())))
    return token


async def member_for_token(db: Database, token: str) -> Member | None:
    """The active member the token belongs to, or None (unknown token, inactive member)."""
    token = token.strip()
    if not token or len(token) > 200:
        return None
    member_id = await db.fetchval("SELECT member_id FROM api_tokens WHERE token_sha256 = ?", (token_hash(token),))
    if member_id is None:
        return None
    member = await get_member(db, member_id)
    return member if member.active else None
