"""The gateway's step at the end of DATA: the verdict on one message's sender, in bounded time.

The blocking checks (DNS, hashing) run in threads of their own pool (a dead resolver
must not starve the spool's and the ingest's threads) and are given `budget_seconds`; a
message whose checks take longer is treated like a DNS failure (temporary), so a slow
resolver delays a session by at most that and loses nothing.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from email.message import Message

from archive.assurance.policy import SenderOrg, sender_org
from archive.db import Database
from bridge.assurance.evaluate import Arrival, Verdict, assess, base_evidence
from bridge.assurance.hops import Forwarded, address, networks, trace, within
from bridge.assurance.resolver import Resolver
from bridge.assurance.settings import AssuranceSettings


THREADS = 8
log = logging.getLogger(__name__)


class SenderCheck:
    def __init__(self, db: Database, settings: AssuranceSettings, cached=None):
        self._pool = ThreadPoolExecutor(THREADS, thread_name_prefix="sender-checks")
        self._db = db
        self._settings = settings
        self._resolver = Resolver(settings.resolvers, settings.dns_timeout)
        self._hops = networks(settings.trusted_hops)
        self._cached = cached               # (key, query, *args) -> answer, e.g. the gateway's RecentAnswers.get

    def trusts_hop(self, peer) -> bool:
        """May this SMTP client speak for its own clients (XFORWARD, XCLIENT, Received)?"""
        host = peer[0] if isinstance(peer, tuple) and peer else str(peer or "")
        return within(address(host), self._hops) is not None

    async def _sender(self, from_address: str) -> SenderOrg | None:
        if self._cached is None:
            return await sender_org(self._db, from_address)
        return await self._cached(("assurance", from_address.lower()), sender_org, self._db, from_address)

    async def verdict(self, raw: bytes, headers: Message, peer: str, forwarded: Forwarded | None, helo: str,
                      from_address: str, mail_from: str) -> Verdict:
        sender = await self._sender(from_address)
        path = trace(peer, forwarded, [str(v) for v in headers.get_all("Received") or []], self._hops, helo)
        if sender is None:                   # not a member: the membership rule refuses it anyway
            return Verdict("none", "none", {"client": path.client, "via": path.via})
        arrival = Arrival(raw, from_address, mail_from, path,
                          tuple(str(v) for v in headers.get_all("Authentication-Results") or []))
        budget = self._settings.budget_seconds(len(raw))
        work = asyncio.get_running_loop().run_in_executor(
            self._pool, assess, arrival, sender, self._resolver, self._settings.authserv_ids)
        try:
            return await asyncio.wait_for(work, budget)
        except asyncio.TimeoutError:
            why = f"the sender checks took longer than {budget:.0f} s (DNS, or a large message)"
        except Exception as error:          # a check's own failure must not refuse mail for good
            log.exception("sender checks failed")
            why = f"the sender checks failed: {type(error).__name__}"
        return Verdict("none", sender.policy.level, base_evidence(sender, path) | {"temporary": why}, why)
