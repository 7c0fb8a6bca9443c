"""Shared fixtures: a real data folder, a real database, a real gateway on 127.0.0.1:0."""

from __future__ import annotations

import asyncio
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import pytest

from bridge.ingest.worker import IngestWorker
from kairan.config import HostPort
from kairan.context import Context, open_context
from kairan.fixtures import DOMAIN, make_data_dir, seed  # noqa: F401  (tests import them from here)
from kairan.listeners import Listeners, start_gateway
from tests.outbound_support import SinkHandler, start_sink
from tests.world import build_world, seed_mail

pytest_plugins = ["tests.browser"]        # the browser and page fixtures

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return make_data_dir(tmp_path / "data")


@pytest.fixture
async def ctx(data_dir: Path):
    async with open_context(data_dir) as context:
        yield context


@pytest.fixture
async def seeded(ctx: Context) -> Context:
    await seed(ctx)
    return ctx


@dataclass
class Gateway:
    ctx: Context
    host: str
    port: int
    ingest: IngestWorker

    def send_sync(self, message: EmailMessage | bytes, mail_from: str, rcpts: list[str]) -> dict:
        """Send over a real socket; returns smtplib's refused-recipients dict or raises its error."""
        with smtplib.SMTP(self.host, self.port, timeout=30) as client:
            if isinstance(message, EmailMessage):
                return client.send_message(message, from_addr=mail_from, to_addrs=rcpts)
            return client.sendmail(mail_from, rcpts, message)

    async def send(self, message: EmailMessage | bytes, mail_from: str, rcpts: list[str]) -> dict:
        return await asyncio.to_thread(self.send_sync, message, mail_from, rcpts)

    async def settle(self) -> None:
        """Process everything spooled so far."""
        await self.ingest.drain()


@pytest.fixture
async def gateway(seeded: Context):
    ingest = IngestWorker(seeded.db, seeded.blobs, seeded.settings.domain)
    servers = await start_gateway(seeded, Listeners(HostPort("127.0.0.1", 0), HostPort("127.0.0.1", 0)), lambda: None)
    host, port = servers[0].sockets[0].getsockname()[:2]
    yield Gateway(seeded, host, port, ingest)
    for server in servers:
        server.close()
        await server.wait_closed()


@pytest.fixture
async def sink():
    """A real SMTP server on 127.0.0.1:0 that records what it is sent (a relay for outbound tests)."""
    handler = SinkHandler()
    server, port = await start_sink(handler)
    handler.port = port
    yield handler
    server.close()


def mail(sender: str, to: str, subject: str, body: str, **headers: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Show the extraction score table in the terminal summary."""
    table = getattr(config, "_extraction_scores", None)
    if table:
        terminalreporter.section("extraction scores")
        terminalreporter.write_line(table)


@pytest.fixture
async def world(tmp_path):
    """The web tests' deployment (tests/world.py): members with passwords, two spaces, mail ingested."""
    w = await build_world(tmp_path)
    w.ids = await seed_mail(w)
    yield w
    await w.db.close()
