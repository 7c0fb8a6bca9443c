"""Shared fixtures: a real data folder, a real database, a real gateway on 127.0.0.1:0."""

from __future__ import annotations

import asyncio
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import pytest

from archive.members import add_member
from archive.orgs import add_org
from archive.spaces import create_space
from bridge.ingest import IngestWorker
from kairan.config import HostPort, config_text
from kairan.context import Context, open_context
from kairan.listeners import Listeners, start_gateway
from tests.outbound_support import SinkHandler, start_sink
from tests.world import build_world, seed_mail

pytest_plugins = ["tests.browser"]        # the browser and page fixtures

DOMAIN = "kairan.test.lg.jp"
ROOT = Path(__file__).resolve().parents[1]


def make_data_dir(path: Path, domain: str = DOMAIN) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    (path / "kairan.toml").write_text(config_text(domain, secret_key="test-secret"), encoding="utf-8")
    for folder in ("blobs", "index", "outbox"):
        (path / folder).mkdir(exist_ok=True)
    return path


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return make_data_dir(tmp_path / "data")


@pytest.fixture
async def ctx(data_dir: Path):
    async with open_context(data_dir) as context:
        yield context


async def seed(ctx: Context) -> None:
    """Three organizations, five members, two spaces (zeimu: pref+aoba+wakaba, bousai: pref+aoba)."""
    await add_org(ctx.db, "pref", "山河県", ["pref.yamakawa.lg.jp"])
    await add_org(ctx.db, "aoba", "青葉市", ["city.aoba.lg.jp"])
    await add_org(ctx.db, "wakaba", "若葉町", ["town.wakaba.lg.jp"])
    await add_member(ctx.db, "sato@pref.yamakawa.lg.jp", "佐藤 健一", "pref", "税務課")
    await add_member(ctx.db, "suzuki@city.aoba.lg.jp", "鈴木 裕子", "aoba", "資産税課")
    await add_member(ctx.db, "ito@town.wakaba.lg.jp", "伊藤 翔太", "wakaba", "税務住民課")
    await add_member(ctx.db, "takahashi@city.aoba.lg.jp", "高橋 誠", "aoba", "危機管理課")
    await add_member(ctx.db, "outsider@town.wakaba.lg.jp", "部外 者", "wakaba")
    await create_space(ctx.db, "zeimu", "税務担当者連絡会",
                       ["sato@pref.yamakawa.lg.jp", "suzuki@city.aoba.lg.jp", "ito@town.wakaba.lg.jp"])
    await create_space(ctx.db, "bousai", "防災", ["sato@pref.yamakawa.lg.jp", "takahashi@city.aoba.lg.jp"])


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
