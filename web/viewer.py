"""A member known by the JSON API's Bearer token (scripts; the inquiry CSV/XLSX for tools).

Only an active member's token counts: `archive.tokens.member_for_token` decides, as for the API.
"""

from __future__ import annotations

from starlette.requests import Request

from archive.db import Database
from archive.models import Member
from archive.tokens import member_for_token


def bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def bearer_member(db: Database, request: Request) -> Member | None:
    """The active member whose API token is in `Authorization: Bearer TOKEN`, or None."""
    token = bearer_token(request)
    return None if token is None else await member_for_token(db, token)
