"""From a parsed query to Tantivy Query objects (no user text ever reaches Tantivy's parser)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Callable
from zoneinfo import ZoneInfo

import tantivy
from tantivy import Occur, Query

from search.analysis import Slot, query_slots
from search.index import TEXT_FIELDS
from search.querylang import Clause, Filter, ParsedQuery, Text

# space: values become space ids; the service resolves them among the member's spaces only.
SpaceResolver = Callable[[str], list[int]]


@dataclass(frozen=True)
class Built:
    query: Query | None          # None: nothing to search for (blank query)
    scored: bool                 # False when only filters/negations: every hit scores alike


def text_query(schema: tantivy.Schema, field: str, slots: list[Slot]) -> Query:
    """The slots as a term, a prefix, or an exact phrase over one field."""
    if len(slots) == 1:
        slot = slots[0]
        if slot.prefix:
            return Query.regex_query(schema, field, re.escape(slot.term) + ".?")
        return Query.term_query(schema, field, slot.term)
    if any(slot.prefix for slot in slots):
        words = [(s.position, re.escape(s.term) + (".?" if s.prefix else "")) for s in slots]
        return Query.regex_phrase_query(schema, field, words)
    return Query.phrase_query(schema, field, [(s.position, s.term) for s in slots])


def across_fields(schema: tantivy.Schema, slots: list[Slot]) -> Query:
    """A word or phrase anywhere a plain word looks, each field with its weight."""
    per_field = [Query.boost_query(text_query(schema, field, slots), weight)
                 for field, weight in TEXT_FIELDS.items()]
    return Query.disjunction_max_query(per_field, tie_breaker=0.2)


def day_start(iso_day: str, zone: ZoneInfo) -> int:
    return int(datetime.combine(date.fromisoformat(iso_day), time(0), zone).timestamp())


def filter_query(schema: tantivy.Schema, item: Filter, resolve_space: SpaceResolver, zone: ZoneInfo) -> Query:
    if item.field in ("from", "org"):
        slots = query_slots(item.value)
        if not slots:
            return Query.empty_query()
        return text_query(schema, "people" if item.field == "from" else "org", slots)
    if item.field == "space":
        ids = resolve_space(item.value)
        return Query.term_set_query(schema, "space_id", ids) if ids else Query.empty_query()
    if item.field == "has":
        return Query.term_query(schema, "has", item.value)
    start = day_start(item.value, zone)
    if item.field == "after":
        return Query.range_query(schema, "ts", tantivy.FieldType.Integer, lower_bound=start)
    return Query.range_query(schema, "ts", tantivy.FieldType.Integer, upper_bound=start - 1)


def clause_query(schema, clause: Clause, resolve_space: SpaceResolver, zone: ZoneInfo) -> Query | None:
    item = clause.item
    if isinstance(item, Filter):
        return filter_query(schema, item, resolve_space, zone)
    slots = query_slots(item.text)
    return across_fields(schema, slots) if slots else None


def build_query(schema: tantivy.Schema, parsed: ParsedQuery, resolve_space: SpaceResolver,
                zone: ZoneInfo = ZoneInfo("Asia/Tokyo")) -> Built:
    must, must_not, scored = [], [], False
    for group in parsed.groups:
        parts = [(c, q) for c in group if (q := clause_query(schema, c, resolve_space, zone)) is not None]
        if not parts:
            continue
        scored = scored or any(isinstance(c.item, Text) and not c.negated for c, _ in parts)
        if len(parts) == 1 and parts[0][0].negated:
            must_not.append(parts[0][1])
        elif len(parts) == 1:
            must.append(_unscored(parts[0]))
        else:
            must.append(Query.boolean_query([(Occur.Should, _unscored(p)) for p in parts]))
    if not must and not must_not:
        return Built(None, False)
    if not must:
        must.append(Query.all_query())
    subqueries = [(Occur.Must, q) for q in must] + [(Occur.MustNot, q) for q in must_not]
    return Built(Query.boolean_query(subqueries), scored)


def _unscored(part: tuple[Clause, Query]) -> Query:
    """Filters narrow the results but must not change their order."""
    clause, query = part
    return query if isinstance(clause.item, Text) else Query.const_score_query(query, 0.0)


def restrict(query: Query, space_ids: list[int], schema: tantivy.Schema) -> Query:
    """The member's readable spaces as part of the query itself: totals and snippets can't leak."""
    allowed = Query.const_score_query(Query.term_set_query(schema, "space_id", space_ids), 0.0)
    return Query.boolean_query([(Occur.Must, allowed), (Occur.Must, query)])
