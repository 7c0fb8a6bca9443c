"""Who is asking: until the web's sign-in lands, a member is known by the JSON API's Bearer token.

`WebServices.current_member` is the seam: the sign-in (sessions) replaces this resolver.
"""

from __future__ import annotations

import hashlib

from starlette.requests import Request

from archive.db import Database
from archive.members import get_member
from archive.models import Member


async def bearer_member(db: Database, request: Request) -> Member | None:
    """The member whose API token is in `Authorization: Bearer TOKEN`, or None."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    digest = hashlib.sha256(token.strip().encode("utf-8")).hexdigest()
    member_id = await db.fetchval("SELECT member_id FROM api_tokens WHERE token_sha256 = ?", (digest,))
    return None if member_id is None else await get_member(db, member_id)
