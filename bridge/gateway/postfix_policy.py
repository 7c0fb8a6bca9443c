"""A Postfix policy service (`check_policy_service`): the gateway's RCPT decision, at Postfix's RCPT.

Behind Postfix, a refusal that kairan gives only after Postfix has accepted the
mail turns into a bounce to whoever the envelope sender claims to be
(backscatter). Asked by Postfix at its own RCPT stage, this service answers
with the one decision the SMTP/LMTP handler makes (`decide_recipient`): the
same refusals, the same sentence, while the sender's session is still open.

The protocol (Postfix's SMTPD_POLICY_README): Postfix sends `name=value`
lines ended by an empty line; the answer is `action=...` and an empty line;
a connection carries many requests. Recipients of other domains, and every
stage but RCPT, get `DUNNO` (no opinion).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from archive.db import Database
from bridge.addresses import split_address
from bridge.gateway.help_links import with_help
from bridge.gateway.recipients import RecentAnswers, decide_recipient
from bridge.gateway.unsubscribe_mail import is_unsubscribe_address

log = logging.getLogger(__name__)

NO_OPINION = "DUNNO"
TEMPORARY = "451 4.3.0 Temporary failure: please try again later"
MAX_ATTRIBUTES = 200
LINE_LIMIT = 16 * 1024
IDLE_SECONDS = 600.0


class BadRequest(Exception):
    """Not the policy protocol: the connection is closed."""


class PolicyService:
    def __init__(self, db: Database, domain: str, base_url: str = "", recent: RecentAnswers | None = None):
        self._db = db
        self._domain = domain.lower()
        self._base_url = base_url
        self._recent = recent or RecentAnswers(1.0)

    async def answer(self, request: dict[str, str]) -> str:
        """The action for one request: DUNNO, or the gateway's refusal as `NNN X.Y.Z sentence`."""
        if request.get("request") != "smtpd_access_policy" or request.get("protocol_state", "").upper() != "RCPT":
            return NO_OPINION
        recipient = request.get("recipient", "")
        if split_address(recipient)[1] != self._domain or is_unsubscribe_address(recipient, self._domain):
            return NO_OPINION
        decision = await decide_recipient(self._db, self._recent, self._domain, request.get("sender", ""), recipient)
        return NO_OPINION if decision.accepted else with_help(decision.reply, decision.rule, self._base_url)

    async def serve_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while (request := await asyncio.wait_for(read_request(reader), IDLE_SECONDS)) is not None:
                try:
                    action = await self.answer(request)
                except Exception:
                    log.exception("policy request failed; answering with a temporary failure")
                    action = TEMPORARY
                writer.write(f"action={action}\n\n".encode("ascii", "replace"))
                await writer.drain()
        except (BadRequest, asyncio.TimeoutError, ConnectionError, asyncio.IncompleteReadError, ValueError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await writer.wait_closed()


async def read_request(reader: asyncio.StreamReader) -> dict[str, str] | None:
    """One request's attributes; None at a clean end of the connection."""
    attributes: dict[str, str] = {}
    while True:
        line = await reader.readline()
        if not line:
            if attributes:
                raise BadRequest("connection ended inside a request")
            return None
        line = line.rstrip(b"\r\n")
        if not line:
            return attributes
        name, sep, value = line.decode("utf-8", "replace").partition("=")
        if not sep or len(attributes) >= MAX_ATTRIBUTES:
            raise BadRequest("not name=value")
        attributes[name.strip()] = value


async def start_policy_service(service: PolicyService, host: str, port: int) -> asyncio.AbstractServer:
    return await asyncio.start_server(service.serve_connection, host, port, limit=LINE_LIMIT)
