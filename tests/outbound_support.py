"""Shared by the outbound tests: a real SMTP sink on 127.0.0.1 port 0, a settable clock, a small world."""

from __future__ import annotations

import asyncio
import email
import email.policy
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.smtp import SMTP

from archive.blobs import BlobStore
from archive.db import Database
from archive.members import add_member
from archive.orgs import add_org
from archive.posts import NewAttachment, NewPost, add_post
from archive.spaces import create_space, set_membership
from bridge.outbound.compose import MailSettings
from bridge.outbound.dispatch import Dispatcher
from bridge.outbound.transport import SmtpRelaySender
from web.urls import WebLinks

DOMAIN = "kairan.test.lg.jp"
SECRET = "test-secret-key"
BASE_URL = "https://kairan.test.lg.jp"
MAIL = MailSettings(domain=DOMAIN, secret_key=SECRET)
LINKS = WebLinks(BASE_URL)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now = self.now + timedelta(**delta)


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.data, policy=email.policy.default)


@dataclass
class SinkHandler:
    """Records what it is sent; can answer 451 to the first DATA commands, or 550 to some recipients."""
    received: list[Received] = field(default_factory=list)
    temporary_failures: int = 0
    refuse: dict[str, str] = field(default_factory=dict)
    before_accept: object = None        # called with the sink at DATA; a reply it returns refuses the message

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return self.refuse[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.temporary_failures > 0:
            self.temporary_failures -= 1
            return "451 4.3.0 Try again later"
        if self.before_accept is not None and (reply := self.before_accept(self)):
            return reply
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [r.message for r in self.received if address in r.rcpt_tos]


async def start_sink(handler: SinkHandler) -> tuple[asyncio.AbstractServer, int]:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, hostname="sink.test"), "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


def read_message(path: Path) -> EmailMessage:
    return email.message_from_bytes(Path(path).read_bytes(), policy=email.policy.default)


def outbox_messages(folder: Path) -> list[EmailMessage]:
    new = Path(folder) / "new"
    return [read_message(p) for p in sorted(new.iterdir())] if new.exists() else []


async def no_sleep(seconds: float) -> None:
    return None


def relay_sender(port: int) -> SmtpRelaySender:
    return SmtpRelaySender("127.0.0.1", port, sleep=no_sleep)


@dataclass
class World:
    db: Database
    blobs: BlobStore
    clock: Clock
    people: dict[str, object]
    spaces: dict[str, object]

    def dispatcher(self, sender, **kwargs) -> Dispatcher:
        return Dispatcher(self.db, sender, MAIL, LINKS, self.clock, **kwargs)

    async def post(self, space: str, author: str, subject: str, text: str, *, thread_id: int | None = None,
                   message_id: str | None = None, in_reply_to: str = "",
                   attachments: tuple[tuple[str, bytes], ...] = ()) -> tuple[int, int]:
        person = self.people[author]
        atts = tuple(NewAttachment(i, name, "application/octet-stream", len(data), self.blobs.put(data, durable=False))
                     for i, (name, data) in enumerate(attachments))
        stored = await add_post(self.db, NewPost(
            space_id=self.spaces[space].id, thread_id=thread_id,
            message_id=message_id or f"<{subject}.{self.clock().timestamp()}.{author}@example.lg.jp>",
            subject=subject, norm_subject=subject.lower(), from_name=person.name, from_address=person.email,
            date_utc=self.clock().strftime("%Y-%m-%dT%H:%M:%SZ"), author_id=person.id, in_reply_to=in_reply_to,
            reply_text=text, body_text=text, attachments=atts))
        return stored.post_id, stored.thread_id


PEOPLE = (
    ("sato", "sato@pref.test.lg.jp", "佐藤 健一", "pref"),
    ("suzuki", "suzuki@city.test.lg.jp", "鈴木 裕子", "city"),
    ("ito", "ito@town.test.lg.jp", "伊藤 翔太", "town"),
    ("tanaka", "tanaka@pref.test.lg.jp", "田中 由美", "pref"),
)


async def make_world(tmp_path: Path, start: datetime | None = None) -> World:
    """Three organizations, four people, spaces zeimu (all four) and bousai (sato, suzuki)."""
    clock = Clock(start or datetime(2026, 11, 26, 1, 0, tzinfo=timezone.utc))      # 10:00 JST
    db = await Database.open(tmp_path / "kairan.db", clock)
    for slug, name in (("pref", "山川県"), ("city", "青葉市"), ("town", "若葉町")):
        await add_org(db, slug, name, [f"{slug}.test.lg.jp"])
    people = {key: await add_member(db, address, name, org) for key, address, name, org in PEOPLE}
    spaces = {
        "zeimu": await create_space(db, "zeimu", "税務担当者連絡会", [p.email for p in people.values()]),
        "bousai": await create_space(db, "bousai", "防災・危機管理", [people["sato"].email, people["suzuki"].email]),
    }
    return World(db, BlobStore(tmp_path / "blobs"), clock, people, spaces)


async def set_mode(world: World, space: str, person: str, mode: str) -> None:
    await set_membership(world.db, space, world.people[person].email, mode=mode)
