"""Unsubscribe links that work without signing in: signed (not secret) member and space ids.

The token names one membership, or the member's whole daily digest (space None).
It never expires: an unsubscribe link in an old mail should still work. Mail
(bridge) makes the tokens and the web app reads them; both share the secret key.
"""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer

from archive.db import Database
from archive.errors import Invalid
from archive.preferences import set_mode, stop_digest

SALT = "kairan-unsubscribe-v1"
DIGEST = 0          # the "space" of a token that stops the whole daily digest


@dataclass(frozen=True)
class Unsubscribe:
    member_id: int
    space_id: int | None     # None: the daily digest (every digest-mode space)


def make_token(secret_key: str, member_id: int, space_id: int | None) -> str:
    return URLSafeSerializer(secret_key, salt=SALT).dumps([member_id, space_id or DIGEST])


def read_token(secret_key: str, token: str) -> Unsubscribe:
    try:
        member_id, space_id = URLSafeSerializer(secret_key, salt=SALT).loads(token)
    except (BadSignature, ValueError, TypeError) as error:
        raise Invalid("this unsubscribe link is not valid: copy the whole link from the mail") from error
    if not isinstance(member_id, int) or not isinstance(space_id, int):
        raise Invalid("this unsubscribe link is not valid: copy the whole link from the mail")
    return Unsubscribe(member_id, space_id or None)


async def apply(db: Database, request: Unsubscribe) -> int:
    """Stop the mail the token names; returns the number of spaces changed (0: nothing to stop)."""
    if request.space_id is None:
        return await stop_digest(db, request.member_id)
    return int(await set_mode(db, request.member_id, request.space_id, "none"))
