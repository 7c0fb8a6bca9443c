"""When digests go out: planning the day's digests into the ledger, rendering batches, the scheduler.

Planning is set-based — the due members, the new posts and the digest-mode
memberships of the spaces that have any are three queries, whatever the number
of members — and is recorded in one transaction: each due member's slot for the
day is used up (so a digest with nothing new is not sent later that day) and
each digest with something new becomes a due delivery with its Message-ID.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from archive.clock import Clock, to_iso
from archive.db import Database
from archive.deliveries import Delivery
from archive.digests import (DueMember, digest_memberships, digest_posts, digest_spaces_of, due_members, members_by_id,
                             post_heads, post_id_at, record_digests, spaces_by_id)
from bridge.outbound.compose import MailSettings, digest_message_id, template_env
from bridge.outbound.digest import DigestMaterial, ExtraSections, build_daily_digest, no_extra_sections
from bridge.outbound.links import Links
from bridge.outbound.mimewriter import OutgoingMail

FIRST_DIGEST_LOOKBACK = timedelta(days=7)


@dataclass(frozen=True)
class PlannedDigest:
    member_id: int
    from_post_id: int
    posts: int


@dataclass(frozen=True)
class DigestPlan:
    day: str                                # the members' local date
    to_post_id: int
    due_member_ids: list[int]
    digests: list[PlannedDigest]            # only members with something new


async def plan_digests(db: Database, settings: MailSettings, default_hour: int, as_of: datetime) -> DigestPlan:
    local = as_of.astimezone(settings.zone)
    day = local.date().isoformat()
    due = await due_members(db, day, local.hour, default_hour)
    if not due:
        return DigestPlan(day, 0, [], [])
    to_id = await post_id_at(db, to_iso(as_of))
    froms = await _windows_start(db, due, as_of)
    heads = await post_heads(db, min(froms.values()), to_id)
    ids_by_space: dict[int, list[int]] = defaultdict(list)
    own: dict[tuple[int, int], list[int]] = defaultdict(list)
    for head in heads:
        ids_by_space[head.space_id].append(head.id)
        if head.author_id is not None:
            own[(head.space_id, head.author_id)].append(head.id)
    counts: dict[int, int] = defaultdict(int)
    for member_id, space_id in await digest_memberships(db, list(ids_by_space)):
        low = froms.get(member_id)
        if low is None:
            continue
        ids = ids_by_space[space_id]
        mine = own.get((space_id, member_id), ())
        counts[member_id] += (len(ids) - bisect.bisect_right(ids, low)) - (len(mine) - bisect.bisect_right(mine, low))
    digests = [PlannedDigest(m, froms[m], counts[m]) for m in sorted(counts) if counts[m] > 0]
    return DigestPlan(day, to_id, sorted(froms), digests)


async def _windows_start(db: Database, due: list[DueMember], as_of: datetime) -> dict[int, int]:
    """Where each member's window starts: after their last digest; a first digest covers the posts
    since they were added (at most FIRST_DIGEST_LOOKBACK). One query per distinct start, not per member."""
    floor = to_iso(as_of - FIRST_DIGEST_LOOKBACK)
    starts = {max(d.created_at, floor) for d in due if d.from_post_id is None}
    first = {start: await post_id_at(db, start, inclusive=False) for start in sorted(starts)}
    return {d.member_id: d.from_post_id if d.from_post_id is not None else first[max(d.created_at, floor)]
            for d in due}


async def record_plan(db: Database, settings: MailSettings, plan: DigestPlan, now: datetime) -> int:
    """The plan into the ledger (one transaction); returns how many digests became due."""
    if not plan.due_member_ids:
        return 0
    due = [(d.member_id, digest_message_id(settings, plan.day, d.member_id), d.from_post_id) for d in plan.digests]
    await record_digests(db, plan.day, plan.to_post_id, plan.due_member_ids, due, to_iso(now))
    return len(due)


@dataclass(frozen=True)
class Window:
    member_id: int
    from_post_id: int
    to_post_id: int
    message_id: str


def window_of(delivery: Delivery) -> Window:
    return Window(delivery.member_id, delivery.from_post_id or 0, delivery.to_post_id or 0, delivery.message_id)


async def prepare_digests(db: Database, settings: MailSettings, links: Links, windows: list[Window], now: datetime,
                          extra_sections: ExtraSections = no_extra_sections) -> Callable[[Window], OutgoingMail | None]:
    """Read a batch's material at once; returns what builds one member's digest (None: nothing to say).

    Mails are built one at a time as they are sent, so a batch never holds more than one in memory."""
    if not windows:
        return lambda window: None
    posts_by_space: dict[int, list] = defaultdict(list)
    for post in await digest_posts(db, min(w.from_post_id for w in windows), max(w.to_post_id for w in windows)):
        posts_by_space[post.space_id].append(post)
    member_ids = [w.member_id for w in windows]
    members = await members_by_id(db, member_ids)
    spaces_of: dict[int, list[int]] = defaultdict(list)
    for member_id, space_id in await digest_spaces_of(db, member_ids):
        spaces_of[member_id].append(space_id)
    material = DigestMaterial(dict(posts_by_space), await spaces_by_id(db, list(posts_by_space)))
    extras = await extra_sections(list(members.values()), now)
    env = template_env()

    def build(w: Window) -> OutgoingMail | None:
        member = members.get(w.member_id)
        return None if member is None else build_daily_digest(
            material, member, spaces_of.get(w.member_id, []), (w.from_post_id, w.to_post_id),
            extras.get(w.member_id, []), settings=settings, links=links, message_id=w.message_id, now=now, env=env)
    return build


class DigestWorker:
    """`once()`: plan the digests whose hour has come and send them (`kairan serve` ticks it each minute)."""

    def __init__(self, db: Database, settings: MailSettings, default_hour: int, dispatcher, clock: Clock):
        self._db = db
        self._settings = settings
        self._default_hour = default_hour
        self._dispatcher = dispatcher
        self._clock = clock

    async def once(self) -> int:
        now = self._clock()
        planned = await record_plan(self._db, self._settings,
                                    await plan_digests(self._db, self._settings, self._default_hour, now), now)
        await self._dispatcher.dispatch(kinds=("digest",))
        return planned
