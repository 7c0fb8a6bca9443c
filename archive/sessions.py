"""Web sessions the server knows, so that ending one is the server's decision, not the cookie's.

A signed cookie alone stays valid until it expires, wherever it was copied to. Each signed-in
session's id is recorded here (as its SHA-256: the table gives nothing to replay); a request's
session counts only while its row exists. Sign-out removes the row; deactivation and a password
change remove all of a member's rows (but the one that changed the password, if it says so).
"""

from __future__ import annotations

import hashlib

from archive.clock import to_iso
from archive.db import Database, Tx


def _hash(sid: str) -> str:
    return hashlib.sha256(sid.encode("utf-8")).hexdigest()


async def start_session(db: Database, member_id: int, sid: str) -> None:
    async with db.write() as tx:
        await tx.execute("INSERT OR REPLACE INTO web_sessions (sid_hash, member_id, created_at) VALUES (?,?,?)",
                         (_hash(sid), member_id, to_iso(db.clock())))


async def session_valid(db: Database, member_id: int, sid: str) -> bool:
    if not sid:
        return False
    return bool(await db.fetchval("SELECT 1 FROM web_sessions WHERE sid_hash = ? AND member_id = ?",
                                  (_hash(sid), member_id)))


async def end_session(db: Database, sid: str) -> None:
    if sid:
        async with db.write() as tx:
            await tx.execute("DELETE FROM web_sessions WHERE sid_hash = ?", (_hash(sid),))


async def end_member_sessions(tx: Tx, member_id: int, keep_sid: str = "") -> None:
    """Inside the caller's transaction (deactivation, password change): every session but `keep_sid` ends."""
    await tx.execute("DELETE FROM web_sessions WHERE member_id = ? AND sid_hash != ?",
                     (member_id, _hash(keep_sid) if keep_sid else ""))
