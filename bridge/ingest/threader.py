"""Which thread a message joins, as a person reading the mail would decide.

In order: its reply token; its In-Reply-To/References; Outlook's Thread-Index
(the first 22 bytes name the conversation, each reply appends 5); and only
when the message shows a reply signal -- a reply prefix (Re:, RE:, Ｒｅ：, 返信:,
AW:, SV:, Re[2]: …), reply headers, a Thread-Index of a reply, or a quoted
block or attribution in the body -- its subject (or its Thread-Topic), within
a window and never when the subject is generic (「連絡」「ご報告」「(件名なし)」…).
Without a signal a message starts a thread, however common its subject: two
offices each sending 「研修について」 on one day are two threads.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime, timedelta

from archive.clock import to_iso
from archive.db import Database
from archive.orphans import adopt_replies, find_by_thread_index, remember_parents
from archive.spaces import get_space_by_id
from archive.threads import find_by_message_ids, find_by_subject, find_by_token
from bridge.subjects import has_reply_prefix, is_generic, normalize_subject, thread_subject

SUBJECT_WINDOW = timedelta(days=30)
_ROOT_BYTES = 22        # Thread-Index: a 22-byte header block, then 5 bytes per reply


@dataclass(frozen=True)
class Signals:
    """What a message says about the thread it belongs to."""
    token: str | None = None
    in_reply_to: str = ""
    references: tuple[str, ...] = ()
    subject: str = ""
    thread_index: str = ""      # the raw header (base64)
    thread_topic: str = ""
    quoted: bool = False        # the body quotes earlier mail (an attribution or a quoted block was cut)


def thread_index_root(header: str) -> tuple[str, bool]:
    """(hex of the conversation's 22 bytes, whether this message is a reply in it); ("", False) if unreadable."""
    try:
        data = base64.b64decode("".join(header.split()), validate=True)
    except (binascii.Error, ValueError):
        return "", False
    if len(data) < _ROOT_BYTES:
        return "", False
    return data[:_ROOT_BYTES].hex(), len(data) > _ROOT_BYTES


def is_reply(signals: Signals) -> bool:
    """Any sign that the message answers earlier mail."""
    return bool(signals.in_reply_to or signals.references or signals.quoted or has_reply_prefix(signals.subject)
                or thread_index_root(signals.thread_index)[1])


async def assign_thread(db: Database, space_id: int, signals: Signals, now: datetime,
                        window: timedelta = SUBJECT_WINDOW) -> tuple[int | None, str]:
    """(thread id or None for a new thread, the rule that decided)."""
    if signals.token:
        thread = await find_by_token(db, space_id, signals.token)
        if thread is not None:
            return thread.id, "token"
    parents = [mid for mid in (signals.in_reply_to, *reversed(signals.references)) if mid]
    thread = await find_by_message_ids(db, space_id, parents)
    if thread is not None:
        return thread.id, "headers"
    root, _ = thread_index_root(signals.thread_index)
    thread = await find_by_thread_index(db, space_id, root)
    if thread is not None:
        return thread.id, "thread-index"
    if not is_reply(signals):
        return None, "new"
    for subject in (signals.subject, signals.thread_topic):
        norm = normalize_subject(subject)
        if is_generic(norm):
            continue
        thread = await find_by_subject(db, space_id, norm, to_iso(now - window))
        if thread is not None:
            return thread.id, "subject"
    return None, "new"


async def stored_subject(db: Database, space_id: int, subject: str) -> str:
    """The subject as the archive stores and shows it: no reply prefixes, no `[space title]` tag."""
    return thread_subject(subject, (await get_space_by_id(db, space_id)).title)


async def settle_replies(tx, space_id: int, message_id: str, thread_id: int, signals: Signals, rule: str,
                         subject: str = "") -> list[int]:
    """After a message is stored (live or imported): a reply whose parents were not found leaves
    them awaited, and the replies that were waiting for this message join its thread (see
    archive.orphans). Returns the threads joined into this one."""
    parents = [mid for mid in (signals.in_reply_to, *reversed(signals.references)) if mid]
    if parents and rule not in ("headers", "token"):
        await remember_parents(tx, space_id, thread_id, parents)
    return await adopt_replies(tx, space_id, message_id, thread_id, subject)
