"""The RCPT decision: which recipients a session may name, with the reply to give.

One function, so the SMTP/LMTP handler and anything else that must answer the same way at
RCPT time (a Postfix policy service) give the same decision and the same sentence.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from archive.access import recipient_facts
from archive.db import Database
from archive.spool import record_refusal
from bridge.addresses import parse_space_address

REPLY_OK_RCPT = "250 2.1.5 Recipient OK"
REPLY_NO_SUCH_SPACE = "550 5.1.1 No such space here: check the address (SPACE@{domain})"
REPLY_NO_SUCH_THREAD = "550 5.1.1 No such thread in this space: reply to the space address instead"
REPLY_SENDER_NOT_MEMBER = "550 5.7.1 {address} is not a member of space {slug}: ask the space's admin to add you"


@dataclass(frozen=True)
class RcptDecision:
    accepted: bool
    reply: str                  # the SMTP reply line, ASCII
    rule: str = ""              # what refused it (names the help page: bridge.gateway.help_links)


class RecentAnswers:
    """Answers of the access queries, kept for a second: under load, the same sender writing to the
    same space is asked about hundreds of times a second. A membership change shows within `ttl`."""

    def __init__(self, ttl: float, clock=time.monotonic, limit: int = 10_000):
        self._ttl = ttl
        self._clock = clock
        self._limit = limit
        self._answers: dict[tuple, tuple[float, object]] = {}

    def __len__(self) -> int:
        return len(self._answers)

    async def get(self, key: tuple, query, *args):
        now = self._clock()
        hit = self._answers.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        if len(self._answers) >= self._limit:
            self._answers = {k: v for k, v in self._answers.items() if v[0] > now}
        answer = await query(*args)
        if self._ttl > 0:
            self._answers[key] = (now + self._ttl, answer)
        return answer


async def decide_recipient(db: Database, recent: RecentAnswers, domain: str, sender: str,
                           address: str) -> RcptDecision:
    """Accept `address` for `sender`, or refuse it (recorded with its rule) with the sentence to send."""
    target = parse_space_address(address, domain)
    exists, token_ok, sender_ok = (False, False, False) if target is None else await recent.get(
        ("rcpt", target.slug, target.token, sender), recipient_facts, db, target.slug, target.token, sender)
    if not exists:
        await record_refusal(db, sender, address, "no_such_space", "550 5.1.1")
        return RcptDecision(False, REPLY_NO_SUCH_SPACE.format(domain=domain), "no_such_space")
    if not token_ok:
        return RcptDecision(False, REPLY_NO_SUCH_THREAD, "no_such_thread")
    if not sender_ok:
        await record_refusal(db, sender, address, "envelope_not_member", "550 5.7.1")
        return RcptDecision(False, REPLY_SENDER_NOT_MEMBER.format(address=sender or "<>", slug=target.slug),
                            "envelope_not_member")
    return RcptDecision(True, REPLY_OK_RCPT)
