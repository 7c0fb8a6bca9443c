"""API tokens: a random secret shown once; only its SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from archive.admin.audit import SYSTEM, Actor, record
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
    id: str                     # the first ID_CHARS of its SHA-256, for revoke_token
    name: str
    created_at: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


async def _owner_address(tx: Tx, member_id: int) -> str:
    return await tx.fetchval("SELECT address FROM member_addresses WHERE member_id = ? "
                             "ORDER BY is_primary DESC, address LIMIT 1", (member_id,)) or f"member:{member_id}"


async def create_token(db: Database, member_id: int, actor: Actor = SYSTEM, name: str = "") -> str:
    """A new token for the member (token.create, audited); the caller shows it once, it cannot be recovered.
    `name` says what it is for (the profile page lists tokens by it)."""
    token = PREFIX + secrets.token_urlsafe(32)
    name = " ".join(name.split())[:MAX_TOKEN_NAME]
    async with db.write() as conn:
        await conn.execute("INSERT INTO api_tokens (token_sha256, member_id, created_at, name) VALUES (?, ?, ?, ?)",
                           (token_hash(token), member_id, to_iso(db.clock()), name))
        await record(conn, actor, "token.create", await _owner_address(conn, member_id),
                     {"token": token_hash(token)[:ID_CHARS], **({"name": name} if name else {})})
    return token


async def list_tokens(db: Database, member_id: int) -> list[TokenInfo]:
    """The member's tokens, oldest first."""
    rows = await db.fetchall("SELECT token_sha256, name, created_at FROM api_tokens WHERE member_id = ? "
                             "ORDER BY created_at, token_sha256", (member_id,))
    return [TokenInfo(r["token_sha256"][:ID_CHARS], r["name"], r["created_at"]) for r in rows]


async def revoke_token(db: Database, member_id: int, token_sha256_prefix: str, actor: Actor = SYSTEM) -> bool:
    """Revoke one of the member's tokens, named by the start of its SHA-256 (token.revoke, audited)."""
    prefix = token_sha256_prefix.strip().lower()
    if len(prefix) < 8 or any(c not in "0123456789abcdef" for c in prefix):
        return False
    async with db.write() as conn:
        rows = await conn.fetchall("SELECT token_sha256 FROM api_tokens WHERE member_id = ? AND token_sha256 LIKE ?",
                                   (member_id, prefix + "%"))
        if len(rows) != 1:
            return False
        await conn.execute("DELETE FROM api_tokens WHERE token_sha256 = ?", (rows[0]["token_sha256"],))
        await record(conn, actor, "token.revoke", await _owner_address(conn, member_id), {"token": prefix[:12]})
    return True


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
