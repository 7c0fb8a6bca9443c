"""Sending mail: a Maildir outbox when no relay is configured (the embedded default)."""

from __future__ import annotations

import asyncio
import mailbox
from email.message import EmailMessage
from pathlib import Path


class MaildirSender:
    """Writes each message into DATA/outbox (a Maildir): a demo needs no mail server."""

    def __init__(self, folder: Path):
        self._folder = Path(folder)

    def _deliver(self, message: EmailMessage) -> None:
        box = mailbox.Maildir(self._folder, create=True)
        box.add(message)

    async def send(self, message: EmailMessage) -> None:
        await asyncio.to_thread(self._deliver, message)
