"""API tokens: a random secret shown once; only its SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from archive.clock import to_iso
from archive.db import Database, Tx
from archive.members import get_member
from archive.models import Member

PREFIX = "kairan_"
MAX_TOKEN_NAME = 80
ID_CHARS = 12                   # a token is named by the start of its SHA-256 (never by the token)


@dataclass(frozen=True)
class TokenInfo:
    """What its owner sees of a token: never the token, which only its hash stands for."""
    id: str                     # the first ID_CHARS of its SHA-256 (archive.admin.credentials.revoke_token)
    name: str
    created_at: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_name(name: str) -> str:
    """What a token is for, as its owner wrote it: one line, at most MAX_TOKEN_NAME characters."""
    return " ".join(name.split())[:MAX_TOKEN_NAME]


async def insert_token(tx: Tx, member_id: int, name: str = "") -> str:
    """Inside a write transaction: a new token for the member. The one caller is
    archive.admin.credentials.create_token, which records it in the audit log in the same transaction."""
    token = PREFIX + secrets.token_urlsafe(32)
    await tx.execute("INSERT INTO api_tokens (token_sha256, member_id, created_at, name) VALUES (?, ?, ?, ?)",
                     (token_hash(token), member_id, to_iso(tx.clock()), token_name(name)))
    return token


async def list_tokens(db: Database, member_id: int) -> list[TokenInfo]:
    """The member's tokens, oldest first (the profile page lists them)."""
    rows = await db.fetchall("SELECT token_sha256, name, created_at FROM api_tokens WHERE member_id = ? "
                             "ORDER BY created_at, token_sha256", (member_id,))
    return [TokenInfo(r["token_sha256"][:ID_CHARS], r["name"], r["created_at"]) for r in rows]


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
