"""Which thread a message joins: its reply token, then its headers, then its subject."""

from __future__ import annotations

from datetime import datetime, timedelta

from archive.clock import to_iso
from archive.db import Database
from archive.threads import find_by_message_ids, find_by_subject, find_by_token

SUBJECT_WINDOW = timedelta(days=30)


async def assign_thread(db: Database, space_id: int, token: str | None, in_reply_to: str,
                        references: tuple[str, ...], norm_subject: str, now: datetime,
                        window: timedelta = SUBJECT_WINDOW) -> tuple[int | None, str]:
    """(thread id or None for a new thread, the rule that decided)."""
    if token:
        thread = await find_by_token(db, space_id, token)
        if thread is not None:
            return thread.id, "token"
    parents = [mid for mid in (in_reply_to, *reversed(references)) if mid]
    thread = await find_by_message_ids(db, space_id, parents)
    if thread is not None:
        return thread.id, "headers"
    thread = await find_by_subject(db, space_id, norm_subject, to_iso(now - window))
    if thread is not None:
        return thread.id, "subject"
    return None, "new"
