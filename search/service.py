"""Search as a member: the narrow interface the web pages, the API and the CLI use.

The member's readable spaces are part of the Tantivy query itself, so counts,
hits and snippets only ever come from spaces the member may read. Hits are
best first (newer first among equals) or newest first; texts and snippets
come from the archive, cut from the original text.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from archive.access import readable_spaces
from archive.blobs import BlobStore
from archive.db import Database
from archive.export import local_iso
from tantivy import Query

from archive.clock import Clock, system_clock
from archive.listings import org_names, thread_subjects
from archive.models import Member, Post, Space
from archive.posts import get_posts
from search.analysis import normalize
from search.index import SearchIndex
from search.query import build_query, restrict
from search.querylang import parse_query
from search.snippets import Snippet, highlight, make_snippet, patterns
from search.topics import COUNT_BOUND, Counts, narrowed, period_query, posts_counts, topic_page

MAX_PER_PAGE = 100
MAX_RESULTS = 10_000            # pages reach this deep into the ranking
SORTS = ("relevance", "date")
NO_SNIPPET = Snippet("", "", False)
TIE_MARGIN = 50                 # hits fetched past the page so equal scores can be ordered by date


@dataclass(frozen=True)
class SearchHit:
    space: str
    space_title: str
    thread_id: int
    post_id: int
    subject: str
    from_name: str
    date: str                   # ISO-8601 in the sender's offset, as archive.export.local_iso gives
    snippet: str                # plain text
    snippet_html: str           # HTML-escaped text with the matches in <mark>…</mark>
    score: float
    subject_html: str = ""      # the subject, escaped, matches marked
    from_address: str = ""
    snippet_source: str = "body"   # body | attachment:FILENAME | subject


@dataclass(frozen=True)
class ThreadHit:
    """A thread among the hits: its best-matching post's hit, and how many of its posts match."""
    best: SearchHit
    matches: int
    subject: str                # the thread's subject (as stored for the thread)


@dataclass(frozen=True)
class FacetValue:
    key: str                    # space slug, org slug, or period key (week|month|year|older)
    label: str
    count: int


@dataclass(frozen=True)
class Facets:
    spaces: list[FacetValue]
    orgs: list[FacetValue]
    periods: list[FacetValue]
    sampled: int = 0            # > 0: counts of this many top hits only (past COUNT_BOUND), not of every hit


@dataclass(frozen=True)
class SearchResults:
    total: int
    hits: list[SearchHit]
    page: int
    per_page: int
    threads: list[ThreadHit] = field(default_factory=list)     # by_thread: the page of threads
    facets: Facets | None = None                               # facets=True
    more: bool = False                                         # by_thread: another page follows

    @property
    def bounded(self) -> bool:
        """True when the total is past COUNT_BOUND and shown as a bound (「1万件以上」)."""
        return self.total >= COUNT_BOUND


def results_document(results: SearchResults) -> dict:
    """The shape of `kairan search --json` and `GET /api/search`: best first."""
    return {"total": results.total,
            "hits": [{"space": h.space, "thread_id": h.thread_id, "post_id": h.post_id, "subject": h.subject,
                      "from_name": h.from_name, "date": h.date, "snippet": h.snippet} for h in results.hits]}


@dataclass(frozen=True)
class _Found:
    post_id: int
    score: float
    address: object              # tantivy.DocAddress, for the stored attachment text


class SearchService:
    def __init__(self, db: Database, index_dir: Path, blobs: BlobStore, *, index: SearchIndex | None = None,
                 timezone: str = "Asia/Tokyo", clock: Clock = system_clock):
        self._db = db
        self._blobs = blobs
        self._index = index if index is not None else SearchIndex.open(index_dir)
        self._zone = ZoneInfo(timezone)
        self._clock = clock

    @property
    def index(self) -> SearchIndex:
        """The index this service reads; the indexer in the same process writes to it (and reloads it)."""
        return self._index

    async def search(self, member: Member | None, query: str, *, space: str | None = None,
                     sort: str = "relevance", page: int = 1, per_page: int = 20,
                     snippets: bool = True, org: str | None = None, period: str | None = None,
                     by_thread: bool = False, facets: bool = False) -> SearchResults:
        """Hits among the spaces `member` may read (`space`: only that one; unknown or unreadable: none).
        `snippets=False` leaves snippets empty (for callers that only list subjects). `org` (slug) and
        `period` (week|month|year|older) narrow further; `by_thread` fills `threads` with a page of
        threads instead of posts; `facets` adds the counts per space, organization and period."""
        per_page = max(1, min(int(per_page), MAX_PER_PAGE))
        page = max(1, min(int(page), MAX_RESULTS // per_page))
        empty = SearchResults(0, [], page, per_page)
        spaces = {s.id: s for s in await readable_spaces(self._db, member)}
        if space is not None:
            spaces = {i: s for i, s in spaces.items() if s.slug == space.strip().lower()}
        parsed = parse_query(query)
        if not spaces or parsed.empty:
            return empty
        built = build_query(self._index.schema, parsed, lambda value: _space_ids(spaces, value), self._zone)
        if built.query is None:
            return empty
        searcher = self._index.searcher()
        orgs = await org_names(self._db)
        filters = self._filters(org, period, orgs)
        if filters is None:
            return empty
        restricted = narrowed(restrict(built.query, sorted(spaces), self._index.schema), filters)
        order = sort if sort in SORTS and built.scored else "date"      # filters alone: newest first
        compiled = patterns(parsed.texts()) if snippets else None
        if by_thread:
            return await self._by_thread(searcher, restricted, order, page, per_page, spaces, compiled, orgs, facets)
        counts = await asyncio.to_thread(posts_counts, searcher, restricted, self._now()) if facets else None
        total, found = await asyncio.to_thread(_run, searcher, restricted, order, page, per_page, counts is None)
        hits = await self._hits_of(searcher, found, spaces, compiled, thread_subject=facets)
        return SearchResults(counts.posts if counts else total, hits, page, per_page,
                             facets=_facets(counts, spaces, orgs) if facets and counts else None)

    def _now(self) -> datetime:
        return self._clock()

    def _filters(self, org: str | None, period: str | None, orgs: dict[int, tuple[str, str]]) -> list | None:
        """Tantivy filters for the org and period choices; None when a choice matches nothing."""
        filters = []
        schema = self._index.schema
        if org:
            ids = [i for i, (slug, _) in orgs.items() if slug == org.strip().lower()]
            if not ids:
                return None
            filters.append(Query.term_set_query(schema, "org_id", ids))
        if period:
            found = period_query(schema, period, self._now())
            if found is None:
                return None
            filters.append(found)
        return filters

    async def _hits_of(self, searcher, found: list[_Found], spaces: dict[int, Space], compiled,
                       thread_subject: bool = False) -> list[SearchHit]:
        """The hits with snippets; `thread_subject`: each shows its thread's subject (as the thread page
        does: no reply prefixes), not the post's own."""
        posts = {p.id: p for p in await get_posts(self._db, [f.post_id for f in found])}
        kept = [(posts[f.post_id], f) for f in found if f.post_id in posts and posts[f.post_id].space_id in spaces]
        if thread_subject:
            subjects = await thread_subjects(self._db, [post.thread_id for post, _ in kept])
            kept = [(replace(post, subject=subjects.get(post.thread_id, post.subject)), f) for post, f in kept]
        return await asyncio.to_thread(_hits, searcher, kept, spaces, compiled)

    async def _by_thread(self, searcher, query, order: str, page: int, per_page: int, spaces: dict[int, Space],
                         compiled, orgs: dict[int, tuple[str, str]], facets: bool) -> SearchResults:
        found = await asyncio.to_thread(topic_page, searcher, self._index.schema, query, order, (page - 1) * per_page,
                                        per_page, self._now())
        hits = await self._hits_of(searcher, [_Found(r.post_id, r.score, r.address) for r in found.ranked], spaces,
                                   compiled, thread_subject=True)
        threads = [ThreadHit(h, found.matches.get(h.thread_id, 1), h.subject) for h in hits]
        return SearchResults(found.counts.posts, hits, page, per_page, threads=threads,
                             facets=_facets(found.counts, spaces, orgs) if facets else None, more=found.more)


def _run(searcher, query, sort: str, page: int, per_page: int, count: bool = True) -> tuple[int, list[_Found]]:
    """Blocking: the page of hits, best first with newer first among equal scores, or newest first
    (`count` False when the facet aggregation gives the total)."""
    offset = (page - 1) * per_page
    if sort == "date":
        result = searcher.search(query, per_page, count=count, order_by_field="ts", offset=offset)
        ranked = [(0.0, address) for _, address in result.hits]
    else:
        result = searcher.search(query, offset + per_page + TIE_MARGIN, count=count)
        stamps = searcher.fast_field_values("ts", [address for _, address in result.hits])
        order = sorted(zip(result.hits, stamps), key=lambda h: (-round(h[0][0], 4), -(h[1] or 0)))
        ranked = [hit for hit, _ in order][offset:offset + per_page]
    post_ids = searcher.fast_field_values("post_id", [address for _, address in ranked])
    return result.count or 0, [_Found(pid, float(score), address) for (score, address), pid in zip(ranked, post_ids)]


def _hits(searcher, kept: list[tuple[Post, _Found]], spaces: dict[int, Space], compiled) -> list[SearchHit]:
    """Blocking: snippets for a page of hits."""
    return [_hit(post, spaces[post.space_id], found, compiled, searcher) for post, found in kept]


PERIOD_LABELS = {"week": "1週間以内", "month": "1か月以内", "year": "1年以内", "older": "1年より前"}


def _facets(counts: Counts, spaces: dict[int, Space], orgs: dict[int, tuple[str, str]]) -> Facets:
    """Facet values with their counts, most first (periods in their own order); labels in Japanese,
    the page translates the period labels."""
    by_space = sorted(((spaces[i], n) for i, n in counts.spaces.items() if i in spaces), key=lambda x: (-x[1], x[0].slug))
    by_org = sorted(((orgs[i], n) for i, n in counts.orgs.items() if i in orgs), key=lambda x: (-x[1], x[0][0]))
    return Facets([FacetValue(s.slug, s.title, n) for s, n in by_space],
                  [FacetValue(slug, name, n) for (slug, name), n in by_org],
                  [FacetValue(key, PERIOD_LABELS[key], counts.periods.get(key, 0)) for key in PERIOD_LABELS],
                  counts.sampled)


def _space_ids(spaces: dict[int, Space], value: str) -> list[int]:
    """`space:` matches a readable space by slug, or by a part of its title."""
    wanted = normalize(value.strip())
    by_slug = [i for i, s in spaces.items() if s.slug == wanted]
    return by_slug or [i for i, s in spaces.items() if wanted in normalize(s.title)]


def _snippet(post: Post, found: _Found, compiled, searcher) -> tuple[Snippet, str]:
    """From the reply text; from an attachment's text when only that matched."""
    body = make_snippet(post.reply_text or post.body_text, compiled)
    if body.matched or not compiled or not post.attachments:
        return body, "body"
    stored = searcher.doc(found.address).get_first("attachments")
    for filename, text in json.loads(stored) if stored else []:
        snippet = make_snippet(text, compiled)
        if snippet.matched:
            return snippet, f"attachment:{filename}"
    return body, "body"


def _hit(post: Post, space: Space, found: _Found, compiled, searcher) -> SearchHit:
    """`compiled` None: no snippet wanted."""
    snippet, source = _snippet(post, found, compiled, searcher) if compiled is not None else (NO_SNIPPET, "")
    return SearchHit(space=space.slug, space_title=space.title, thread_id=post.thread_id, post_id=post.id,
                     subject=post.subject, from_name=post.from_name,
                     date=local_iso(post.date_utc, post.tz_offset_min), snippet=snippet.text,
                     snippet_html=snippet.html, score=found.score,
                     subject_html=highlight(post.subject, compiled or []),
                     from_address=post.from_address, snippet_source=source)
