"""The mailto: side of List-Unsubscribe: mail to unsubscribe@DOMAIN whose Subject is the signed token.

Mail clients send it without asking the user what to write, so the token in
the subject is the only authority (as for the HTTPS link); the sender's
address is not trusted for anything.
"""

from __future__ import annotations

from email.parser import BytesHeaderParser
from email.policy import compat32

from archive.db import Database
from archive.errors import Invalid
from archive.unsubscribe import apply, read_token
from bridge.addresses import split_address

UNSUBSCRIBE_LOCAL = "unsubscribe"
REPLY_UNSUBSCRIBED = "250 2.0.0 Unsubscribed: no more of this mail will be sent to you"
REPLY_BAD_TOKEN = ("550 5.7.1 This unsubscribe request has no valid token in its subject: "
                   "use the unsubscribe link in the mail instead")


def is_unsubscribe_address(address: str, domain: str) -> bool:
    local, their_domain = split_address(address)
    return local == UNSUBSCRIBE_LOCAL and their_domain == domain.lower()


async def handle_unsubscribe_mail(db: Database, secret_key: str, raw: bytes) -> str:
    """Apply the request; the SMTP reply to give."""
    subject = str(BytesHeaderParser(policy=compat32).parsebytes(raw).get("Subject", "")).strip()
    try:
        target = read_token(secret_key, subject.split()[-1] if subject else "")
    except Invalid:
        return REPLY_BAD_TOKEN
    await apply(db, target)
    return REPLY_UNSUBSCRIBED
