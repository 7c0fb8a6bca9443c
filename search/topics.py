"""Hits by topic: posts grouped into their threads, and the facet counts beside them (blocking calls).

Tantivy ranks the posts (its top-k, never every hit); the best post of each thread
stands for the thread, so a thread answered three times appears once. How many
posts of each shown thread match is one small aggregation over those threads
only. Facets (space, organization, period) and the totals are one aggregation
over the fast fields; the page shows totals past COUNT_BOUND as 「1万件以上」.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import tantivy
from tantivy import Occur, Query

COUNT_BOUND = 10_000                     # "1万件以上" past this
SCAN_LIMIT = 5_000                       # posts ranked at most to fill a page of threads
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


def rank_threads(searcher, query: Query, sort: str, offset: int, count: int) -> tuple[list[Ranked], bool]:
    """Threads [offset, offset+count) by their best post (newer first among equal scores, or newest
    first), and whether more follow. Tantivy's top-k grows until the page is full or hits run out."""
    wanted = offset + count + 1
    limit = min(max(wanted * 4, 200), SCAN_LIMIT)
    while True:
        if sort == "date":
            result = searcher.search(query, limit, count=False, order_by_field="ts")
            hits = [(0.0, address) for _, address in result.hits]
        else:
            result = searcher.search(query, limit, count=False)
            stamps = searcher.fast_field_values("ts", [a for _, a in result.hits])
            hits = [hit for hit, _ in sorted(zip(result.hits, stamps), key=lambda h: (-round(h[0][0], 4), -(h[1] or 0)))]
        addresses = [a for _, a in hits]
        threads = searcher.fast_field_values("thread_id", addresses)
        posts = searcher.fast_field_values("post_id", addresses)
        seen: dict[int, Ranked] = {}
        for (score, address), thread_id, post_id in zip(hits, threads, posts):
            if thread_id not in seen:
                seen[thread_id] = Ranked(thread_id, post_id, float(score), address)
        if len(seen) >= wanted or len(result.hits) < limit or limit >= SCAN_LIMIT:
            ranked = list(seen.values())
            return ranked[offset:offset + count], len(ranked) > offset + count
        limit = min(limit * 4, SCAN_LIMIT)


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
    """Blocking, in one hop off the event loop: the counts, a page of threads and their matches."""
    counts = facet_counts(searcher, query, now)
    ranked, more = rank_threads(searcher, query, sort, offset, count)
    return TopicPage(counts, ranked, more, matches_per_thread(searcher, schema, query, [r.thread_id for r in ranked]))
