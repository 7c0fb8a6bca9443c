"""API tokens and sign-in links as they are handed out and taken back: each in one transaction with
its audit entry (token.create, token.revoke, signin.link). The rows themselves are archive.tokens'
and archive.signin_links'; a token's secret is never recorded, only the start of its SHA-256."""

from __future__ import annotations

from datetime import timedelta

from archive.admin.audit import SYSTEM, Actor, record
from archive.db import Database, Tx
from archive.signin_links import LINK_LIFETIME, insert_link
from archive.tokens import insert_token, token_hash


async def _owner(tx: Tx, member_id: int) -> str:
    return await tx.fetchval("SELECT address FROM member_addresses WHERE member_id = ? "
                             "ORDER BY is_primary DESC, address LIMIT 1", (member_id,)) or f"member:{member_id}"


async def create_token(db: Database, member_id: int, actor: Actor = SYSTEM) -> str:
    """A new API token for the member; the caller shows it once, it cannot be recovered."""
    async with db.write() as tx:
        token = await insert_token(tx, member_id)
        await record(tx, actor, "token.create", await _owner(tx, member_id), {"token": token_hash(token)[:12]})
    return token


async def revoke_token(db: Database, member_id: int, token_sha256_prefix: str, actor: Actor = SYSTEM) -> bool:
    """Revoke one of the member's tokens, named by the start (≥ 8 hex digits) of its SHA-256."""
    prefix = token_sha256_prefix.strip().lower()
    if len(prefix) < 8 or any(c not in "0123456789abcdef" for c in prefix):
        return False
    async with db.write() as tx:
        rows = await tx.fetchall("SELECT token_sha256 FROM api_tokens WHERE member_id = ? AND token_sha256 LIKE ?",
                                 (member_id, prefix + "%"))
        if len(rows) != 1:
            return False
        await tx.execute("DELETE FROM api_tokens WHERE token_sha256 = ?", (rows[0]["token_sha256"],))
        await record(tx, actor, "token.revoke", await _owner(tx, member_id), {"token": prefix[:12]})
    return True


async def create_link(db: Database, member_id: int, lifetime: timedelta = LINK_LIFETIME,
                      actor: Actor = SYSTEM) -> str:
    """A one-time sign-in link's token for the member; the caller mails it and forgets it."""
    async with db.write() as tx:
        token, expires_at = await insert_link(tx, member_id, lifetime)
        await record(tx, actor, "signin.link", await _owner(tx, member_id), {"expires_at": expires_at})
    return token
