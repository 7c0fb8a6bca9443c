"""The SMTP (and LMTP) gateway: refuse during the session, acknowledge only what is durable."""

from __future__ import annotations

import asyncio
import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from email.parser import BytesHeaderParser
from email.policy import compat32

from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import Envelope, Session

from archive.access import readers_among
from archive.clock import to_iso
from archive.db import Database
from archive.spool import record_refusal
from bridge.addresses import parse_space_address
from bridge.assurance.check import SenderCheck
from bridge.assurance.settings import AssuranceSettings
from bridge.gateway.forwarding import advertise
from bridge.gateway.sender_rule import sender_unverified
from bridge.parsing.headers import first_address
from bridge.gateway.help_links import with_help
from bridge.gateway.policy import MailFacts, SpaceFacts, decide
from bridge.gateway.recipients import REPLY_OK_RCPT, RecentAnswers, decide_recipient
from bridge.gateway.limits import Backlog, SessionLimits
from bridge.gateway.protocol import Bounds, KairanLMTP, KairanSMTP
from bridge.gateway.spooler import Spooler
from bridge.gateway.unsubscribe_mail import handle_unsubscribe_mail, is_unsubscribe_address

log = logging.getLogger(__name__)

REPLY_ACCEPTED = "250 2.0.0 Message accepted"
REPLY_TOO_MANY_RCPTS = "452 4.5.3 Too many recipients: send the rest in another message"
REPLY_TEMPORARY = "451 4.3.0 Temporary failure: please try again later"
REPLY_BACKLOG = "451 4.3.2 System busy storing mail: please try again later"


@dataclass(frozen=True)
class GatewaySettings:
    domain: str
    max_message_bytes: int = 50 * 1024 * 1024
    max_recipients: int = 100
    timeout_seconds: float = 300
    data_line_limit: int = 1024 * 1024       # liberal: real mail breaks the 998-byte rule
    secret_key: str = ""                      # reads List-Unsubscribe mailto: tokens (none: not accepted)
    # Membership answers are reused this long: a session's many messages cost one lookup.
    membership_cache_seconds: float = 1.0
    # kairan's web address: each refusal names the page that explains it (bridge.gateway.help_links).
    base_url: str = ""
    assurance: AssuranceSettings = field(default_factory=AssuranceSettings)      # the sender checks

    @property
    def loop_marker(self) -> str:
        return f"kairan@{self.domain}"


class SpaceMailHandler:
    """aiosmtpd handler: RCPT resolves spaces; DATA applies the policy, then spools."""

    def __init__(self, db: Database, spooler: Spooler, settings: GatewaySettings, backlog: Backlog | None = None):
        self._db = db
        self._spooler = spooler
        self._settings = settings
        self._recent = RecentAnswers(settings.membership_cache_seconds)
        self._backlog = backlog
        self._senders = SenderCheck(db, settings.assurance, cached=self._recent.get)
        self._whole_reads = asyncio.Semaphore(1)     # messages read back from disk for the sender checks

    async def handle_MAIL(self, server, session: Session, envelope: Envelope, address: str, mail_options):
        """Back-pressure: while the spool holds more work than the workers can catch up on soon,
        new mail is deferred (the sender's server tries again), so acceptance never starves storage."""
        if self._backlog is not None and self._backlog.full():
            await asyncio.sleep(self._backlog.delay)
            return REPLY_BACKLOG
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    def trusts_hop(self, peer) -> bool:
        return self._senders.trusts_hop(peer)

    async def handle_EHLO(self, server, session: Session, envelope: Envelope, hostname: str, responses: list[str]):
        session.host_name = hostname
        return advertise(responses, self.trusts_hop(session.peer))

    async def handle_RSET(self, server, session: Session, envelope: Envelope) -> str:
        session.forwarded = None            # XFORWARD speaks for one transaction only
        return "250 OK"

    async def handle_RCPT(self, server, session: Session, envelope: Envelope, address: str, rcpt_options):
        if len(envelope.rcpt_tos) >= self._settings.max_recipients:
            return with_help(REPLY_TOO_MANY_RCPTS, "too_many_recipients", self._settings.base_url)
        unsubscribe = bool(self._settings.secret_key) and is_unsubscribe_address(address, self._settings.domain)
        if envelope.rcpt_tos and (unsubscribe or is_unsubscribe_address(envelope.rcpt_tos[0], self._settings.domain)):
            return REPLY_TOO_MANY_RCPTS          # an unsubscribe request travels alone
        if unsubscribe:
            envelope.rcpt_tos.append(address)
            return REPLY_OK_RCPT
        decision = await decide_recipient(self._db, self._recent, self._settings.domain,
                                          envelope.mail_from or "", address)
        if not decision.accepted:
            return with_help(decision.reply, decision.rule, self._settings.base_url)
        envelope.rcpt_tos.append(address)
        return decision.reply

    async def handle_DATA(self, server, session: Session, envelope: Envelope):
        received = getattr(envelope, "received", None)
        message = received if received is not None and received.raw is None else (envelope.original_content or b"")
        head = received.head if received is not None else message
        if any(is_unsubscribe_address(r, self._settings.domain) for r in envelope.rcpt_tos):
            raw = message if isinstance(message, bytes) else await asyncio.to_thread(message.path.read_bytes)
            reply = await handle_unsubscribe_mail(self._db, self._settings.secret_key, raw)
            return self._per_recipient(server, envelope, reply)
        headers = BytesHeaderParser(policy=compat32).parsebytes(_header_block(head))
        facts = await self._facts(headers, received.size if received is not None else len(message), envelope)
        decision = decide(facts)
        forwarded, session.forwarded = getattr(session, "forwarded", None), None    # one transaction's worth
        if decision is None:
            verdict = await self._verdict(message, headers, session, forwarded, facts)
            decision = sender_unverified(verdict, facts.from_address, self._settings.assurance.help_url)
        if decision is not None:
            await record_refusal(self._db, envelope.mail_from or "", ",".join(envelope.rcpt_tos),
                                 decision.rule, decision.reply)
            return self._per_recipient(server, envelope, with_help(decision.reply, decision.rule,
                                                                   self._settings.base_url))
        await self._spooler.accept(message, received_at=to_iso(self._db.clock()), mail_from=envelope.mail_from or "",
                                   rcpts=tuple(envelope.rcpt_tos), peer=_peer(session), assurance=verdict.stored())
        if self._backlog is not None:
            self._backlog.added()
        return self._per_recipient(server, envelope, REPLY_ACCEPTED)

    async def _verdict(self, message, headers, session: Session, forwarded, facts: MailFacts):
        """The sender checks read the whole message only for DKIM's body hash. One that was streamed to
        disk is read back for that one at a time, so memory holds at most one such message."""
        args = (headers, _host(session), forwarded, session.host_name or "", facts.from_address,
                facts.envelope_sender)
        if isinstance(message, bytes):
            return await self._senders.verdict(message, *args)
        if not (self._settings.assurance.resolvers and headers.get("DKIM-Signature")):
            # Only DKIM reads the body, and it can't run here: the header block is all that is needed.
            return await self._senders.verdict(message.head, *args)
        async with self._whole_reads:
            return await self._senders.verdict(await asyncio.to_thread(message.path.read_bytes), *args)

    async def handle_exception(self, error: Exception) -> str:
        log.exception("SMTP session failed", exc_info=error)
        return REPLY_TEMPORARY

    async def _facts(self, headers, size: int, envelope: Envelope) -> MailFacts:
        from_address = first_address(headers.get("From", ""))[1]
        slugs = sorted({parse_space_address(r, self._settings.domain).slug for r in envelope.rcpt_tos})
        readers = await self._recent.get(("data", tuple(slugs), from_address, envelope.mail_from or ""),
                                         readers_among, self._db, slugs, [from_address, envelope.mail_from or ""])
        spaces = [SpaceFacts(slug, *readers.get(slug, (False, False))) for slug in slugs]
        return MailFacts(
            size=size, size_limit=self._settings.max_message_bytes,
            envelope_sender=envelope.mail_from or "", from_address=from_address,
            auto_submitted=str(headers.get("Auto-Submitted", "")), precedence=str(headers.get("Precedence", "")),
            x_loops=tuple(str(v) for v in headers.get_all("X-Loop") or []),
            message_id=str(headers.get("Message-ID", "")).strip(), our_domain=self._settings.domain,
            our_loop_marker=self._settings.loop_marker, spaces=tuple(spaces))

    @staticmethod
    def _per_recipient(server, envelope: Envelope, reply: str) -> str:
        """LMTP answers once per recipient after DATA; SMTP once."""
        if isinstance(server, LMTP):
            return "\r\n".join([reply] * len(envelope.rcpt_tos))
        return reply


def _header_block(raw: bytes) -> bytes:
    """The header section only: the policy needs no body, and a 50 MB body needn't be decoded for it."""
    end = raw.find(b"\r\n\r\n")
    if end < 0:
        end = raw.find(b"\n\n")
    return raw if end < 0 else raw[:end + 2]


def _host(session: Session) -> str:
    peer = session.peer
    return str(peer[0]) if isinstance(peer, tuple) and peer else str(peer or "")


def _peer(session: Session) -> str:
    peer = session.peer
    return f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) and len(peer) >= 2 else str(peer)


def smtp_factory(handler: SpaceMailHandler, settings: GatewaySettings, lmtp: bool = False,
                 bounds: Bounds | None = None):
    """A protocol factory for loop.create_server: the gateway runs on the caller's loop; every
    session it builds shares `bounds` (session counts, DATA memory, back-pressure)."""
    protocol = KairanLMTP if lmtp else KairanSMTP
    limit = settings.max_message_bytes + 1024 * 1024
    bounds = bounds or Bounds(SessionLimits(), Path(tempfile.gettempdir()) / "kairan-incoming", limit)

    def build():
        return protocol(handler, bounds=bounds, data_size_limit=limit, timeout=settings.timeout_seconds,
                        hostname=settings.domain, enable_SMTPUTF8=True)
    return build
