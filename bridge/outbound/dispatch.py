"""Sending what the ledger says is due, and recording every answer.

    due ──send──▶ sent
     │  └─ 5xx for the recipient ─▶ failed (the relay's answer kept in `error`)
     └─ 4xx / relay unreachable ─▶ due again later (backoff), failed after the last try

A mail is built from the archive when it is sent, with the Message-ID stored
when it became due, so a retry is the same mail. One pass at a time (a lock):
notifications and digests share one sender.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Awaitable, Callable

from archive.access import can_read
from archive.clock import Clock, to_iso
from archive.db import Database
from archive.deliveries import KINDS, Delivery, due_deliveries, mark_failed, mark_retry, mark_sent
from archive.digests import members_by_id
from archive.errors import NotFound
from archive.models import Member
from bridge.outbound.compose import MailSettings, template_env
from bridge.outbound.digest import ExtraSections, no_extra_sections
from bridge.outbound.digest_run import prepare_digests, window_of
from bridge.outbound.links import Links
from bridge.outbound.mimewriter import OutgoingMail
from bridge.outbound.notify import PostContext, build_notification, post_context
from bridge.outbound.transport import Sender, TemporaryFailure

log = logging.getLogger(__name__)
RETRY_AFTER = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1),
               timedelta(hours=3), timedelta(hours=6), timedelta(hours=12), timedelta(hours=24))


@dataclass
class DispatchReport:
    sent: int = 0
    failed: int = 0
    deferred: int = 0


class NothingToSend(Exception):
    """Raised by a builder when the delivery is owed no more; the message is recorded as the reason."""


# Builds the mail of a delivery of another kind (inquiry reminders), or raises NothingToSend.
BuildMail = Callable[[Delivery, Member, datetime], Awaitable["OutgoingMail | EmailMessage"]]


class Dispatcher:
    def __init__(self, db: Database, sender: Sender, settings: MailSettings, links: Links, clock: Clock,
                 extra_sections: ExtraSections = no_extra_sections, batch: int = 200,
                 builders: dict[str, BuildMail] | None = None):
        self._db = db
        self._sender = sender
        self._settings = settings
        self._links = links
        self._clock = clock
        self._extra_sections = extra_sections
        self._batch = batch
        self._builders = builders or {}
        self._lock = asyncio.Lock()
        self._env = template_env()

    async def dispatch(self, kinds: tuple[str, ...] = KINDS) -> DispatchReport:
        """Send every delivery due now; stops early when the relay is unreachable (retried later)."""
        report = DispatchReport()
        async with self._lock:
            try:
                after = 0
                while rows := await due_deliveries(self._db, to_iso(self._clock()), kinds, self._batch, after):
                    after = rows[-1].id
                    if not await self._send_batch(rows, report):
                        break
            finally:
                await self._sender.close()
        return report

    async def _send_batch(self, rows: list[Delivery], report: DispatchReport) -> bool:
        now = self._clock()
        digest = await prepare_digests(self._db, self._settings, self._links,
                                       [window_of(r) for r in rows if r.kind == "digest"], now, self._extra_sections)
        members = await members_by_id(self._db, list({r.member_id for r in rows}))
        contexts: dict[int, PostContext | None] = {}
        for row in rows:
            member = members.get(row.member_id)
            if member is None or not member.active or not member.email:
                await self._fail(row, "the member is inactive or has no address", report)
                continue
            if row.kind == "digest":
                message = digest(window_of(row))
            elif row.kind == "notify":
                message = await self._notification(row, member, contexts, now)
            elif row.kind in self._builders:
                try:
                    message = await self._builders[row.kind](row, member, now)
                except NothingToSend as reason:
                    await self._fail(row, str(reason), report)
                    continue
            else:
                message = None
            if message is None:
                await self._fail(row, "nothing left to send (the post or the member's spaces changed)", report)
            elif not await self._send_one(row, message, member.email, report):
                return False
        return True

    async def _notification(self, row: Delivery, member, contexts: dict, now) -> OutgoingMail | None:
        """The notification, if the post still exists and the member may still read its space."""
        if row.post_id not in contexts:
            try:
                contexts[row.post_id] = await post_context(self._db, self._settings, row.post_id)
            except NotFound:
                contexts[row.post_id] = None
        ctx = contexts[row.post_id]
        if ctx is None or not await can_read(self._db, member, ctx.space):
            return None
        return build_notification(ctx, member, self._settings, self._links, row.message_id, now, self._env)

    async def _send_one(self, row: Delivery, message, address: str, report: DispatchReport) -> bool:
        """False when the relay is unreachable: the rest of the pass waits for the next one."""
        try:
            result = await self._sender.send(message, (address,))
        except TemporaryFailure as error:
            await self._defer(row, str(error), report)
            return False
        if address in result.refused:
            await self._fail(row, result.refused[address], report)
        elif address in result.deferred:
            await self._defer(row, result.deferred[address], report)
        else:
            await mark_sent(self._db, row.id, to_iso(self._clock()))
            report.sent += 1
        return True

    async def _fail(self, row: Delivery, error: str, report: DispatchReport) -> None:
        log.warning("%s mail #%s to member #%s failed: %s", row.kind, row.id, row.member_id, error)
        await mark_failed(self._db, row.id, error)
        report.failed += 1

    async def _defer(self, row: Delivery, error: str, report: DispatchReport) -> None:
        if row.attempts >= len(RETRY_AFTER):
            await self._fail(row, f"gave up after {row.attempts + 1} attempts: {error}", report)
            return
        retry_at = to_iso(self._clock() + RETRY_AFTER[row.attempts])
        log.warning("%s mail #%s to member #%s not sent (attempt %s), trying again at %s: %s", row.kind, row.id,
                    row.member_id, row.attempts + 1, retry_at, error)
        await mark_retry(self._db, row.id, error, retry_at)
        report.deferred += 1
