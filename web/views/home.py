"""Home: what needs me first — 回答待ちの照会 for my organization, then the newest posts across my
spaces, then my spaces with their unread counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from starlette.requests import Request
from starlette.routing import Route

from archive.access import readable_spaces
from archive.inquiries.status import local_day
from archive.inquiries.waiting import Waiting, waiting_for
from archive.listings import RecentPost, recent_posts, space_summaries
from archive.models import Space
from web.auth import require_member
from web.templating import render
from web.views.common import services_of

RECENT_POSTS = 10


@dataclass(frozen=True)
class WaitingRow:
    """One inquiry my organization still owes, as the home page lists it."""
    thread_id: int
    subject: str
    space_slug: str
    space_title: str
    asker: str
    deadline: date | None
    days_left: int              # negative: days overdue (0 without a deadline)
    status: str                 # pending | overdue


@dataclass(frozen=True)
class RecentRow:
    post_id: int
    thread_id: int
    space_slug: str
    space_title: str
    subject: str
    from_name: str
    date_utc: str
    excerpt: str


def waiting_rows(found: list[Waiting], spaces: dict[str, Space], today: date) -> list[WaitingRow]:
    """Overdue first, then by deadline (undated last): the order waiting_for gives, kept stable."""
    rows = [WaitingRow(w.inquiry.thread_id, w.subject, w.space_slug,
                       spaces[w.space_slug].title if w.space_slug in spaces else w.space_slug,
                       w.inquiry.asker.name, w.inquiry.deadline,
                       (w.inquiry.deadline - today).days if w.inquiry.deadline else 0, w.status)
            for w in found if w.space_slug in spaces]
    return sorted(rows, key=lambda r: r.status != "overdue")


def recent_rows(found: list[RecentPost], spaces: dict[int, Space]) -> list[RecentRow]:
    return [RecentRow(r.post_id, r.thread_id, spaces[r.space_id].slug, spaces[r.space_id].title, r.subject,
                      r.from_name, r.date_utc, r.excerpt) for r in found if r.space_id in spaces]


async def home(request: Request):
    member = require_member(request)
    services = services_of(request)
    db = services.db
    spaces = await readable_spaces(db, member)
    now = services.clock()
    owed = (await waiting_for(db, [member.id], now, services.timezone, told_only=False)).get(member.id, [])
    return render(request, "home.html", {
        "waiting": waiting_rows(owed, {s.slug: s for s in spaces}, local_day(now, services.timezone)),
        "recent": recent_rows(await recent_posts(db, [s.id for s in spaces], RECENT_POSTS), {s.id: s for s in spaces}),
        **open_and_closed(await space_summaries(db, member.id, spaces))})


def open_and_closed(summaries: list) -> dict:
    """My spaces, closed ones apart (read-only: their archive stays, no new posts)."""
    return {"summaries": [s for s in summaries if not s.space.closed],
            "closed": [s for s in summaries if s.space.closed]}


routes = [Route("/", home, name="home")]
