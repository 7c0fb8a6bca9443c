"""Read models for the web pages: summaries that join several aggregates in one query.

Callers pass spaces they have already checked through `archive.access`.
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.db import Database
from archive.models import Space, Thread
from archive.threads import thread_from_row


@dataclass(frozen=True)
class SpaceSummary:
    space: Space
    thread_count: int
    last_activity: str | None
    unread: int


@dataclass(frozen=True)
class ThreadRow:
    thread: Thread
    unread: int
    first_from: str
    last_from: str
    excerpt: str


@dataclass(frozen=True)
class Author:
    org_name: str
    dept: str


async def space_summaries(db: Database, member_id: int, spaces: list[Space]) -> list[SpaceSummary]:
    """Thread count, last activity and unread posts per space; most recently active first."""
    if not spaces:
        return []
    by_id = {s.id: s for s in spaces}
    marks = ",".join("?" * len(by_id))
    rows = await db.fetchall(
        f"""SELECT t.space_id, COUNT(*) AS n, MAX(t.last_post_at) AS last,
                   SUM(MAX(t.post_count - COALESCE(r.read_count, 0), 0)) AS unread
            FROM threads t LEFT JOIN thread_reads r ON r.thread_id = t.id AND r.member_id = ?
            WHERE t.space_id IN ({marks}) GROUP BY t.space_id""", (member_id, *by_id))
    stats = {r["space_id"]: r for r in rows}
    out = [SpaceSummary(s, stats[s.id]["n"] if s.id in stats else 0, stats[s.id]["last"] if s.id in stats else None,
                        stats[s.id]["unread"] if s.id in stats else 0) for s in spaces]
    return sorted(out, key=lambda x: x.last_activity or "", reverse=True)


async def thread_rows(db: Database, member_id: int, space_id: int, limit: int, offset: int) -> list[ThreadRow]:
    """One page of a space's threads, newest activity first, with who wrote first and last."""
    rows = await db.fetchall(
        """SELECT t.*, COALESCE(r.read_count, 0) AS seen,
                  (SELECT from_name FROM posts p WHERE p.thread_id = t.id ORDER BY date_utc, id LIMIT 1) AS first_from,
                  (SELECT id FROM posts p WHERE p.thread_id = t.id ORDER BY date_utc DESC, id DESC LIMIT 1) AS last_id
           FROM threads t LEFT JOIN thread_reads r ON r.thread_id = t.id AND r.member_id = ?
           WHERE t.space_id = ? ORDER BY t.last_post_at DESC, t.id DESC LIMIT ? OFFSET ?""",
        (member_id, space_id, limit, offset))
    last_ids = [r["last_id"] for r in rows if r["last_id"] is not None]
    marks = ",".join("?" * len(last_ids))
    last = {p["id"]: p for p in await db.fetchall(
        f"SELECT id, from_name, from_address, substr(reply_text, 1, 160) AS excerpt FROM posts WHERE id IN ({marks})",
        tuple(last_ids))} if last_ids else {}
    out = []
    for r in rows:
        post = last.get(r["last_id"])
        out.append(ThreadRow(thread_from_row(r), max(r["post_count"] - r["seen"], 0), r["first_from"] or "",
                             (post["from_name"] or post["from_address"]) if post else "",
                             " ".join(post["excerpt"].split()) if post else ""))
    return out


async def authors(db: Database, member_ids: set[int]) -> dict[int, Author]:
    """Organization and department of the members who wrote posts on a page."""
    if not member_ids:
        return {}
    marks = ",".join("?" * len(member_ids))
    rows = await db.fetchall(
        f"SELECT m.id, o.name AS org_name, m.dept FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.id IN ({marks})",
        tuple(member_ids))
    return {r["id"]: Author(r["org_name"], r["dept"]) for r in rows}


@dataclass(frozen=True)
class RecentPost:
    post_id: int
    thread_id: int
    space_id: int
    subject: str               # the thread's subject
    from_name: str
    date_utc: str
    excerpt: str


async def recent_posts(db: Database, space_ids: list[int], limit: int = 10) -> list[RecentPost]:
    """The newest posts across these spaces, newest first: `limit` per space by arrival (each an index
    range on posts(space_id, created_at)), then the newest by date among them."""
    if not space_ids:
        return []
    per_space = " UNION ALL ".join(
        ["SELECT id FROM (SELECT id FROM posts WHERE space_id = ? ORDER BY created_at DESC LIMIT ?)"] * len(space_ids))
    args = [value for space_id in space_ids for value in (space_id, limit)]
    rows = await db.fetchall(
        f"""SELECT p.id, p.thread_id, p.space_id, t.subject, p.from_name, p.from_address, p.date_utc,
                   substr(p.reply_text, 1, 160) AS excerpt
            FROM posts p JOIN threads t ON t.id = p.thread_id
            WHERE p.id IN ({per_space}) ORDER BY p.date_utc DESC, p.id DESC LIMIT ?""", (*args, limit))
    return [RecentPost(r["id"], r["thread_id"], r["space_id"], r["subject"], r["from_name"] or r["from_address"],
                       r["date_utc"], " ".join(r["excerpt"].split())) for r in rows]


async def thread_subjects(db: Database, thread_ids: list[int]) -> dict[int, str]:
    """Thread id -> the thread's subject, for a page of search hits."""
    if not thread_ids:
        return {}
    ids = sorted(set(thread_ids))
    rows = await db.fetchall(f"SELECT id, subject FROM threads WHERE id IN ({','.join('?' * len(ids))})", tuple(ids))
    return {r["id"]: r["subject"] for r in rows}


async def org_names(db: Database) -> dict[int, tuple[str, str]]:
    """Org id -> (slug, name), for the search page's organization facet."""
    return {r["id"]: (r["slug"], r["name"]) for r in await db.fetchall("SELECT id, slug, name FROM orgs")}
