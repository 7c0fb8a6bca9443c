"""Hits by topic: posts grouped into their threads, and the facet counts beside them (blocking calls).

Tantivy ranks the posts (its top-k, never every hit) and counts them in the same
pass; the best post of each thread stands for the thread, so a thread answered
three times appears once. Counting is bounded: when the scanned top hits (at
least SAMPLE) are all the hits, facets and match counts come from them; up to
COUNT_BOUND hits, one aggregation over the fast fields gives them exactly; past
that the page says 「1万件以上」 and the facets are the breakdown of the scanned
top hits (it says so), so a common word costs one pass, not three.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

import tantivy
from tantivy import Occur, Query

COUNT_BOUND = 10_000                     # "1万件以上" past this
SCAN_LIMIT = 5_000                       # posts ranked at most to fill a page of threads
SAMPLE = 200                             # top hits scanned at least; their breakdown stands for the facets
                                         # past COUNT_BOUND
PERIODS = (("week", timedelta(days=7)), ("month", timedelta(days=31)), ("year", timedelta(days=365)))
PERIOD_KEYS = tuple(key for key, _ in PERIODS) + ("older",)


@dataclass(frozen=True)
class Ranked:
    """A post standing for its thread: the thread's best-ranked matching post."""
    thread_id: int
    post_id: int
    score: float
    address: object


@dataclass(frozen=True)
class Counts:
    """What the aggregation over every hit gives: per space id, org id and period, and the total (every
    post is in one space). Threads are not counted: that (a cardinality over every hit) would cost as
    much again; the page of threads knows whether more follow."""
    posts: int
    spaces: dict[int, int]
    orgs: dict[int, int]
    periods: dict[str, int]
    sampled: int = 0                     # > 0: the breakdown of this many top hits only (posts > COUNT_BOUND)


def period_query(schema: tantivy.Schema, period: str, now: datetime) -> Query | None:
    """ts within the period ending now ('older': before the last year); None for an unknown key."""
    spans = dict(PERIODS)
    if period in spans:
        return Query.range_query(schema, "ts", tantivy.FieldType.Integer,
                                 lower_bound=int((now - spans[period]).timestamp()))
    if period == "older":
        return Query.range_query(schema, "ts", tantivy.FieldType.Integer,
                                 upper_bound=int((now - PERIODS[-1][1]).timestamp()) - 1)
    return None


def narrowed(query: Query, filters: list[Query]) -> Query:
    if not filters:
        return query
    return Query.boolean_query([(Occur.Must, query)] +
                               [(Occur.Must, Query.const_score_query(f, 0.0)) for f in filters])


@dataclass(frozen=True)
class Scan:
    """The top hits in order, and how many posts match in all; their fast fields are read when asked."""
    total: int
    scores: list[float]
    addresses: list
    searcher: object
    read: dict[str, list[int]]

    def column(self, name: str) -> list[int]:
        if name not in self.read:
            self.read[name] = self.searcher.fast_field_values(name, self.addresses)
        return self.read[name]


def scan(searcher, query: Query, sort: str, limit: int) -> Scan:
    """One pass: the top `limit` hits (best first, newer first among equal scores; or newest first)
    and the count of every hit."""
    if sort == "date":
        result = searcher.search(query, limit, count=True, order_by_field="ts")
        hits = [(0.0, address) for _, address in result.hits]
    else:
        result = searcher.search(query, limit, count=True)
        stamps = searcher.fast_field_values("ts", [a for _, a in result.hits])
        hits = [hit for hit, _ in sorted(zip(result.hits, stamps), key=lambda h: (-round(h[0][0], 4), -(h[1] or 0)))]
    return Scan(result.count or 0, [float(score) for score, _ in hits], [a for _, a in hits], searcher, {})


def rank_threads(searcher, query: Query, sort: str, offset: int, count: int) -> tuple[list[Ranked], bool, Scan]:
    """Threads [offset, offset+count) by their best post, whether more follow, and the scan they came
    from. Tantivy's top-k grows until the page is full or the hits run out."""
    wanted = offset + count + 1
    limit = min(max(wanted * 4, SAMPLE), SCAN_LIMIT)
    while True:
        found = scan(searcher, query, sort, limit)
        seen: dict[int, Ranked] = {}
        post_ids = found.column("post_id")
        for k, thread_id in enumerate(found.column("thread_id")):
            if thread_id not in seen:
                seen[thread_id] = Ranked(thread_id, post_ids[k], found.scores[k], found.addresses[k])
        if len(seen) >= wanted or len(found.addresses) < limit or limit >= SCAN_LIMIT:
            ranked = list(seen.values())
            return ranked[offset:offset + count], len(ranked) > offset + count, found
        limit = min(limit * 4, SCAN_LIMIT)


def counts_of(found: Scan, now: datetime, sampled: bool = False) -> Counts:
    """Facet counts from the scanned hits (all the hits, or when `sampled` the top ones only)."""
    bounds = [int((now - span).timestamp()) for _, span in PERIODS]
    stamps = found.column("ts")
    periods = {key: sum(1 for t in stamps if t >= bound) for (key, _), bound in zip(PERIODS, bounds)}
    periods["older"] = sum(1 for t in stamps if t < bounds[-1])
    return Counts(found.total, dict(Counter(found.column("space_id"))), dict(Counter(found.column("org_id"))),
                  periods, len(found.addresses) if sampled else 0)


def bounded_counts(searcher, query: Query, found: Scan, now: datetime) -> Counts:
    """Exact counts while a bound allows (from the scan, or one aggregation up to COUNT_BOUND hits);
    past it, the top SAMPLE hits' breakdown."""
    if found.total <= len(found.addresses):
        return counts_of(found, now)
    if found.total <= COUNT_BOUND:
        return facet_counts(searcher, query, now)
    return counts_of(found, now, sampled=True)


def matches_per_thread(searcher, schema: tantivy.Schema, query: Query, thread_ids: list[int]) -> dict[int, int]:
    """How many posts of each of these threads match (one aggregation over those threads only)."""
    if not thread_ids:
        return {}
    within = Query.boolean_query([(Occur.Must, query),
                                  (Occur.Must, Query.term_set_query(schema, "thread_id", thread_ids))])
    found = searcher.aggregate(within, {"t": {"terms": {"field": "thread_id", "size": len(thread_ids)}}})
    return {int(b["key"]): int(b["doc_count"]) for b in found["t"]["buckets"]}


def facet_counts(searcher, query: Query, now: datetime) -> Counts:
    """Counts per space, organization and period, and the number of matching posts: one pass."""
    bounds = [int((now - span).timestamp()) for _, span in PERIODS]        # newest first
    ranges = [{"key": "week", "from": bounds[0]}, {"key": "month", "from": bounds[1], "to": bounds[0]},
              {"key": "year", "from": bounds[2], "to": bounds[1]}, {"key": "older", "to": bounds[2]}]
    found = searcher.aggregate(query, {
        "spaces": {"terms": {"field": "space_id", "size": 10_000}},
        "orgs": {"terms": {"field": "org_id", "size": 1_000}},
        "periods": {"range": {"field": "ts", "ranges": ranges, "keyed": True}}})
    spaces = {int(b["key"]): int(b["doc_count"]) for b in found["spaces"]["buckets"]}
    periods_raw = {key: int(v["doc_count"]) for key, v in found["periods"]["buckets"].items()}
    week, month, year = periods_raw.get("week", 0), periods_raw.get("month", 0), periods_raw.get("year", 0)
    periods = {"week": week, "month": week + month, "year": week + month + year, "older": periods_raw.get("older", 0)}
    return Counts(sum(spaces.values()), spaces, {int(b["key"]): int(b["doc_count"]) for b in found["orgs"]["buckets"]},
                  periods)


@dataclass(frozen=True)
class TopicPage:
    counts: Counts
    ranked: list[Ranked]
    more: bool
    matches: dict[int, int]


def topic_page(searcher, schema: tantivy.Schema, query: Query, sort: str, offset: int, count: int,
               now: datetime) -> TopicPage:
    """Blocking, in one hop off the event loop: a page of threads, their matches and the counts."""
    ranked, more, found = rank_threads(searcher, query, sort, offset, count)
    counts = bounded_counts(searcher, query, found, now)
    if found.total <= len(found.addresses):                 # every hit scanned: count them here
        per_thread = Counter(found.column("thread_id"))
        matches = {r.thread_id: per_thread[r.thread_id] for r in ranked}
    else:
        matches = matches_per_thread(searcher, schema, query, [r.thread_id for r in ranked])
    return TopicPage(counts, ranked, more, matches)


def posts_counts(searcher, query: Query, now: datetime) -> Counts:
    """The counts beside a page of single posts: a scan of the top SAMPLE, then as bounded_counts."""
    return bounded_counts(searcher, query, scan(searcher, query, "relevance", SAMPLE), now)
