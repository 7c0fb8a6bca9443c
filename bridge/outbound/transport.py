"""Sending mail: through the SMTP relay of kairan.toml, or into the Maildir outbox when there is none.

    send(message) -> SendResult          accepted, refused (5xx) and deferred (4xx) recipients
        raises TemporaryFailure          no connection, or the whole transaction got a 4xx,
                                         after a few quick retries

Every recipient gets its own answer: a 550 for one address is recorded for
that address and the others still get the mail. Longer outages are retried
by the delivery ledger (bridge.outbound.dispatch), which keeps each mail's Message-ID.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path
from typing import Awaitable, Callable, Protocol

import aiosmtplib

Sleep = Callable[[float], Awaitable[None]]
QUICK_RETRY_DELAYS = (1.0, 4.0)


class TemporaryFailure(Exception):
    """The mail may go through later (4xx, connection refused or lost, timeout)."""


@dataclass(frozen=True)
class SendResult:
    accepted: tuple[str, ...] = ()
    refused: dict[str, str] = field(default_factory=dict)      # address -> the relay's permanent answer
    deferred: dict[str, str] = field(default_factory=dict)     # address -> a temporary answer (retry later)


class Sender(Protocol):
    async def send(self, message: EmailMessage, recipients: tuple[str, ...] | None = None) -> SendResult: ...


def recipients_of(message: EmailMessage) -> tuple[str, ...]:
    values = [str(v) for name in ("To", "Cc", "Bcc") for v in message.get_all(name, [])]
    return tuple(address for _, address in getaddresses(values) if "@" in address)


def envelope_sender(message: EmailMessage) -> str:
    """Bounces go to the address that sent the mail (a space, or kairan itself)."""
    pairs = getaddresses([str(message.get("Sender") or message.get("From") or "")])
    return pairs[0][1] if pairs else ""


class MaildirSender:
    """Writes each message into DATA/outbox (a Maildir): a demo needs no mail server.

    The file is named after the Message-ID and the recipients, so writing the same mail again
    (a retry after a crash) leaves one copy: delivery here is exactly once. (The notifications
    of one post share a Message-ID, so the recipients are part of the name: each gets a copy.)
    """

    def __init__(self, folder: Path):
        self._folder = Path(folder)

    def _deliver(self, message: EmailMessage, recipients: tuple[str, ...] = ()) -> None:
        for sub in ("tmp", "new", "cur"):
            (self._folder / sub).mkdir(parents=True, exist_ok=True)
        ident = (str(message.get("Message-ID") or "") or repr(os.urandom(16))) + "\n" + ",".join(recipients)
        name = "kairan-" + hashlib.sha256(ident.encode("utf-8", "replace")).hexdigest()[:32]
        if (self._folder / "new" / name).exists() or any((self._folder / "cur").glob(name + ":*")):
            return
        tmp = self._folder / "tmp" / name
        with open(tmp, "wb") as out:
            out.write(message.as_bytes())
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, self._folder / "new" / name)
        folder = os.open(self._folder / "new", os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)

    async def send(self, message: EmailMessage, recipients: tuple[str, ...] | None = None) -> SendResult:
        accepted = recipients or recipients_of(message)
        await asyncio.to_thread(self._deliver, message, tuple(accepted))
        return SendResult(accepted=accepted)

    async def close(self) -> None:
        return None


class SmtpRelaySender:
    """Sends through an SMTP relay (STARTTLS and AUTH as configured), reusing one connection."""

    def __init__(self, host: str, port: int = 25, *, starttls: bool = False, username: str = "",
                 password: str = "", timeout: float = 60, sleep: Sleep = asyncio.sleep,
                 retry_delays: tuple[float, ...] = QUICK_RETRY_DELAYS):
        self._options = dict(hostname=host, port=port, start_tls=starttls, timeout=timeout,
                             username=username or None, password=password or None)
        self._sleep = sleep
        self._delays = retry_delays
        self._client: aiosmtplib.SMTP | None = None

    async def send(self, message: EmailMessage, recipients: tuple[str, ...] | None = None) -> SendResult:
        recipients = recipients or recipients_of(message)
        data = message.as_bytes()
        pending, accepted, refused = list(recipients), [], {}
        delays = list(self._delays)
        while True:
            try:
                ok, temporary, permanent = await self._attempt(envelope_sender(message), pending, data)
            except TemporaryFailure:
                if not delays:
                    raise
                await self._sleep(delays.pop(0))
                continue
            accepted += ok
            refused.update(permanent)
            pending = list(temporary)
            if not pending or not delays:
                return SendResult(tuple(accepted), refused, temporary)
            await self._sleep(delays.pop(0))

    async def _attempt(self, sender: str, recipients: list[str], data: bytes):
        """One SMTP transaction: (accepted, {address: temporary answer}, {address: permanent answer})."""
        try:
            client = await self._connected()
            errors, _ = await client.sendmail(sender, recipients, data)
        except aiosmtplib.SMTPRecipientsRefused as error:
            answers = {r.recipient: (r.code, r.message) for r in error.recipients}
            return [], _answers(answers, temporary=True), _answers(answers, temporary=False)
        except aiosmtplib.SMTPResponseException as error:
            await self.close()
            if 400 <= error.code < 500:
                raise TemporaryFailure(f"{error.code} {error.message}") from error
            return [], {}, {r: f"{error.code} {error.message}" for r in recipients}
        except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError) as error:
            await self.close()
            raise TemporaryFailure(f"relay unreachable: {type(error).__name__}: {error}") from error
        answers = {address: (response.code, response.message) for address, response in errors.items()}
        ok = [r for r in recipients if r not in answers]
        return ok, _answers(answers, temporary=True), _answers(answers, temporary=False)

    async def _connected(self) -> aiosmtplib.SMTP:
        if self._client is None or not self._client.is_connected:
            client = aiosmtplib.SMTP(**self._options)
            await client.connect()
            self._client = client
        return self._client

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is not None and client.is_connected:
            try:
                await client.quit()
            except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError):
                client.close()


def _answers(answers: dict[str, tuple[int, str]], temporary: bool) -> dict[str, str]:
    return {address: f"{code} {text}" for address, (code, text) in answers.items() if (400 <= code < 500) == temporary}


def sender_for(relay_host: str, relay_port: int, outbox: Path, *, starttls: bool = False, username: str = "",
               password: str = "") -> MaildirSender | SmtpRelaySender:
    """The relay when one is configured, else the Maildir outbox (the embedded default)."""
    if not relay_host:
        return MaildirSender(outbox)
    return SmtpRelaySender(relay_host, relay_port, starttls=starttls, username=username, password=password)
