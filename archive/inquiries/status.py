"""Who answered an inquiry, when, by whom and what: computed at read time from the posts.

An organization's answer is any post in the thread (the opening post aside) by a
member of that organization; the latest is shown, the earlier ones are kept.
Status per target organization, in the deployment's time zone:

    not_applicable  marked 該当なし, and no answer came after the mark
    answered        it has posted an answer
    overdue         no answer, and the deadline's day has ended
    pending         no answer yet
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from archive.db import Database
from archive.export import local_iso
from archive.clock import Clock
from archive.inquiries.records import Inquiry, Target, find_inquiry
from archive.models import Attachment, Org, Post, Thread
from archive.posts import get_posts

STATUSES = ("answered", "pending", "overdue", "not_applicable")
STATUS_LABELS = {"answered": "回答済", "pending": "未回答", "overdue": "期限超過", "not_applicable": "該当なし"}
OPEN_STATUSES = ("pending", "overdue")
_STATUS_ORDER = {"overdue": 0, "pending": 1, "answered": 2, "not_applicable": 3}
SORT_KEYS = ("org", "status", "answered_at", "by")
EXCERPT_CHARS = 80


@dataclass(frozen=True)
class OrgRow:
    """One line of the matrix: an organization, its status and its answers (oldest first)."""
    org: Org
    status: str
    answers: tuple[Post, ...]
    na_at: str | None = None
    na_by: str | None = None
    late: bool = False                      # answered after the deadline's day

    @property
    def latest(self) -> Post | None:
        return self.answers[-1] if self.answers else None

    @property
    def answered_at(self) -> str | None:
        return self.latest.date_utc if self.latest else None

    @property
    def by(self) -> str | None:
        return self.latest.from_name if self.latest else None

    @property
    def attachments(self) -> tuple[Attachment, ...]:
        """Files of all its answers, newest first: a correction without a file keeps the file in view."""
        return tuple(a for post in reversed(self.answers) for a in post.attachments)

    @property
    def excerpt(self) -> str:
        return excerpt(without_salutation(self.latest.reply_text)) if self.latest else ""


# An answer's opening lines that say nothing of the answer: 「佐藤様」「各位」「お世話になっております。」
_ADDRESSEE = re.compile(r"^.{0,30}(様|殿|各位|御中|さん)[、。,.!！\s]*$")
_GREETING = re.compile(r"^(いつも|大変)?(お|御)(世話|疲れ|つかれ)(に|様|さま)")


def without_salutation(text: str) -> str:
    """The answer from its first line that is not a salutation or greeting (all of it, if that is all)."""
    lines = text.strip().splitlines()
    for i, line in enumerate(lines):
        line = line.strip()
        if line and not _ADDRESSEE.match(line) and not (_GREETING.match(line) and len(line) <= 40):
            return "\n".join(lines[i:])
    return text


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def local_day(moment: datetime, timezone: str) -> date:
    return moment.astimezone(ZoneInfo(timezone)).date()


def org_status(answered_at: str | None, na_at: str | None, deadline: date | None, today: date) -> str:
    """The status rule, on its own: the later of an answer and a 該当なし mark wins."""
    if na_at and (answered_at is None or na_at >= answered_at):
        return "not_applicable"
    if answered_at:
        return "answered"
    if deadline is not None and today > deadline:
        return "overdue"
    return "pending"


async def answers_by_org(db: Database, inquiry: Inquiry) -> dict[int, list[Post]]:
    """Each target organization's answer posts, oldest first. A post answers for the organization its
    author belonged to when posting (the snapshot stored with it), not the one they moved to since."""
    rows = await db.fetchall(
        """SELECT x.id, t.org_id FROM (
               SELECT p.id, p.thread_id, p.date_utc, COALESCE((SELECT o.id FROM orgs o WHERE o.name = p.author_org_name
                      AND p.author_org_name <> '' ORDER BY o.id LIMIT 1), m.org_id) AS org_id
               FROM posts p JOIN members m ON m.id = p.author_id
               WHERE p.thread_id = ? AND p.imported_from = ''
                 AND p.id != (SELECT id FROM posts WHERE thread_id = ? ORDER BY date_utc, id LIMIT 1)
           ) x JOIN inquiry_targets t ON t.thread_id = x.thread_id AND t.org_id = x.org_id
           ORDER BY x.date_utc, x.id""", (inquiry.thread_id, inquiry.thread_id))
    posts = {p.id: p for p in await get_posts(db, [r["id"] for r in rows])}
    found: dict[int, list[Post]] = {}
    for row in rows:
        found.setdefault(row["org_id"], []).append(posts[row["id"]])
    return found


def _row(target: Target, answers: list[Post], deadline: date | None, today: date, timezone: str) -> OrgRow:
    answered_at = answers[-1].date_utc if answers else None
    late = bool(answers and deadline and local_day(datetime.fromisoformat(answered_at), timezone) > deadline)
    return OrgRow(target.org, org_status(answered_at, target.na_at, deadline, today), tuple(answers),
                  target.na_at, target.na_by, late)


async def inquiry_rows(db: Database, inquiry: Inquiry, now: datetime, timezone: str) -> list[OrgRow]:
    """The matrix, one row per target organization, by organization slug."""
    answers = await answers_by_org(db, inquiry)
    today = local_day(now, timezone)
    return [_row(t, answers.get(t.org.id, []), inquiry.deadline, today, timezone) for t in inquiry.targets]


def sort_rows(rows: list[OrgRow], key: str = "org", descending: bool = False) -> list[OrgRow]:
    """Sorted by org (slug), status (overdue first), answered_at (unanswered last) or by (answerer)."""
    if key == "status":
        order = sorted(rows, key=lambda r: (_STATUS_ORDER[r.status], r.org.slug))
    elif key == "answered_at":
        answered = sorted((r for r in rows if r.answered_at), key=lambda r: (r.answered_at, r.org.slug))
        order = answered + sorted((r for r in rows if not r.answered_at), key=lambda r: r.org.slug)
    elif key == "by":
        order = sorted(rows, key=lambda r: (r.by is None, r.by or "", r.org.slug))
    else:
        order = sorted(rows, key=lambda r: r.org.slug)
    return list(reversed(order)) if descending else order


def row_document(row: OrgRow) -> dict:
    """A row in the contract's shape; a 該当なし row says when and by whom it was marked."""
    if row.status == "not_applicable":
        at = row.na_at.replace("Z", "+00:00") if row.na_at else None
        return {"org": row.org.slug, "status": row.status, "answered_at": at, "by": row.na_by}
    latest = row.latest
    return {"org": row.org.slug, "status": row.status,
            "answered_at": local_iso(latest.date_utc, latest.tz_offset_min) if latest else None,
            "by": latest.from_name if latest else None}


async def inquiry_document(db: Database, inquiry: Inquiry, now: datetime, timezone: str) -> dict:
    """`kairan show --json`'s `inquiry`: {asker, deadline, orgs: [{org, status, answered_at, by}]}."""
    rows = await inquiry_rows(db, inquiry, now, timezone)
    return {"asker": inquiry.asker.slug, "deadline": inquiry.deadline.isoformat() if inquiry.deadline else None,
            "orgs": [row_document(r) for r in rows]}


def counts(rows: list[OrgRow]) -> dict[str, int]:
    return {status: sum(1 for r in rows if r.status == status) for status in STATUSES}


def inquiry_reader(db: Database, clock: Clock, timezone: str):
    """`space_document`'s `inquiry_of`: a thread's inquiry document, or None when it is no inquiry."""
    async def inquiry_of(thread: Thread) -> dict | None:
        inquiry = await find_inquiry(db, thread.id)
        return None if inquiry is None else await inquiry_document(db, inquiry, clock(), timezone)
    return inquiry_of
