"""A small deployment for web tests: three organizations, members, two spaces, mail through ingest.

Mail enters the way it does in production (spool → ingest worker), so pages
show what parsing and reply extraction really stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import httpx

from archive.blobs import BlobStore
from archive.clock import to_iso
from archive.db import Database
from archive.members import add_member, set_password_hash
from archive.models import Member
from archive.orgs import add_org
from archive.passwords import hash_password
from archive.spaces import create_space
from bridge.ingest.worker import IngestWorker
from bridge.gateway.spooler import Spooler
from search.indexer import Indexer
from search.service import SearchService
from web.app import create_app
from web.services import WebServices

DOMAIN = "kairan.example.lg.jp"
PASSWORD = "correct-horse-2026"
NOW = datetime(2026, 11, 27, 1, 0, tzinfo=timezone.utc)      # 10:00 in Tokyo
JST = timezone(timedelta(hours=9))
_HASH: list[str] = []


def password_hash() -> str:
    if not _HASH:
        _HASH.append(hash_password(PASSWORD))
    return _HASH[0]


@dataclass
class World:
    db: Database
    blobs: BlobStore
    services: WebServices
    members: dict[str, Member]
    sent: list[EmailMessage] = field(default_factory=list)
    stored: list[int] = field(default_factory=list)
    ids: dict[str, int] = field(default_factory=dict)          # seeded posts by name (seed_mail)

    def app(self):
        return create_app(self.services)

    def client(self, app=None) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app or self.app(), raise_app_exceptions=False)
        return httpx.AsyncClient(transport=transport, base_url="http://testserver", follow_redirects=False)

    async def index(self) -> None:
        """Index everything queued, with the real indexer (as `kairan serve`'s worker does)."""
        indexer = Indexer(self.db, self.services.search.index, self.blobs)
        try:
            await indexer.drain()
        finally:
            await indexer.close()

    async def deliver(self, msg: EmailMessage, to: str = "zeimu") -> list[int]:
        """Spool and ingest one message to a space, as the SMTP gateway and worker would."""
        if "To" not in msg:
            msg["To"] = f"{to}@{DOMAIN}"
        spooler = Spooler(self.db, self.blobs)
        await spooler.accept(msg.as_bytes(), received_at=to_iso(NOW), mail_from="x@example.jp",
                             rcpts=(f"{to}@{DOMAIN}",), peer="test")
        stored: list[int] = []
        worker = IngestWorker(self.db, self.blobs, DOMAIN, on_stored=stored.extend)
        await worker.drain()
        return stored


def mail(sender: str, subject: str, body: str, hours_ago: float = 1, message_id: str | None = None,
         in_reply_to: str | None = None, name: str = "") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"{name} <{sender}>" if name else sender
    msg["Subject"] = subject
    msg["Date"] = format_datetime((NOW - timedelta(hours=hours_ago)).astimezone(JST))
    if message_id:
        msg["Message-ID"] = message_id
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    msg.set_content(body)
    return msg


async def build_world(tmp: Path, with_search: bool = False) -> World:
    db = await Database.open(tmp / "kairan.db", clock=lambda: NOW)
    blobs = BlobStore(tmp / "blobs")
    search = SearchService(db, tmp / "index", blobs) if with_search else None
    for slug, name, domain in (("pref", "山河県", "pref.yamakawa.lg.jp"), ("aoba", "青葉市", "city.aoba.lg.jp"),
                               ("wakaba", "若葉町", "town.wakaba.lg.jp")):
        await add_org(db, slug, name, [domain])
    people = {
        "sato": ("sato-k@pref.yamakawa.lg.jp", "佐藤 健一", "pref", "総務部 税務課"),
        "suzuki": ("suzuki-h@city.aoba.lg.jp", "鈴木 裕子", "aoba", "財務部 資産税課"),
        "ito": ("ito-s@town.wakaba.lg.jp", "伊藤 翔太", "wakaba", "税務住民課"),
        "outsider": ("watanabe-a@town.wakaba.lg.jp", "渡辺 明美", "wakaba", "総務課"),
        "gone": ("takahashi-m@city.aoba.lg.jp", "高橋 誠", "aoba", "総務部"),
    }
    hashed = await asyncio.to_thread(password_hash)
    members = {}
    for key, (email, name, org, dept) in people.items():
        member = await add_member(db, email, name, org, dept)
        await set_password_hash(db, member.id, hashed)
        members[key] = member
    emails = {k: v[0] for k, v in people.items()}
    await create_space(db, "zeimu", "税務担当者連絡会", [emails["sato"], emails["suzuki"], emails["ito"], emails["gone"]])
    await create_space(db, "bousai", "防災・危機管理", [emails["outsider"], emails["sato"]])
    world = World(db, blobs, None, members)  # type: ignore[arg-type]

    async def send(message: EmailMessage) -> None:
        world.sent.append(message)

    world.services = WebServices(db=db, blobs=blobs, domain=DOMAIN, base_url="http://testserver",
                                 secret_key="test-secret-key", clock=lambda: NOW, send_mail=send, search=search,
                                 on_stored=world.stored.extend)
    return world


async def seed_mail(world: World) -> dict[str, int]:
    """A thread with a quoted reply and an attachment; returns post ids by name."""
    first = mail("suzuki-h@city.aoba.lg.jp", "固定資産税の減免申請について",
                 "佐藤様\n\n被災家屋の減免割合について、県の目安はありますか。\n\n鈴木\n", hours_ago=5,
                 message_id="<z1@city.aoba.lg.jp>", name="鈴木 裕子")
    reply = mail("ito-s@town.wakaba.lg.jp", "Re: 固定資産税の減免申請について",
                 "若葉町では準半壊を3割減免としています。要綱を添付します。\n\n"
                 "2026年11月27日(金) 5:00 鈴木 裕子 <suzuki-h@city.aoba.lg.jp>:\n"
                 "> 被災家屋の減免割合について、県の目安はありますか。\n", hours_ago=2,
                 message_id="<z2@town.wakaba.lg.jp>", in_reply_to="<z1@city.aoba.lg.jp>", name="伊藤 翔太")
    reply.add_attachment("第3条 準半壊の家屋は10分の3を減免する。\n".encode(), maintype="text", subtype="plain",
                         filename="減免要綱（抜粋）.txt")
    other = mail("sato-k@pref.yamakawa.lg.jp", "避難所の備蓄について", "備蓄状況を教えてください。\n",
                 hours_ago=3, message_id="<b1@pref.yamakawa.lg.jp>", name="佐藤 健一")
    ids = {}
    ids["first"], = await world.deliver(first)
    ids["reply"], = await world.deliver(reply)
    ids["bousai"], = await world.deliver(other, to="bousai")
    return ids


CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


async def csrf_of(client: httpx.AsyncClient, path: str = "/signin") -> str:
    """The CSRF token of this client's session, from a page's forms (following redirects)."""
    page = await client.get(path, follow_redirects=True)
    return CSRF.search(page.text).group(1)


async def sign_in(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    token = await csrf_of(client)
    return await client.post("/signin", data={"csrf": token, "email": email, "password": password, "next": "/"})


@contextlib.asynccontextmanager
async def signed_in(world: World, email: str, **headers: str):
    """A web client signed in as `email` (with any extra request headers), closed afterwards."""
    client = world.client()
    client.headers.update(headers)
    try:
        assert (await sign_in(client, email)).status_code == 303
        yield client
    finally:
        await client.aclose()


async def make_admin(world: World, email: str) -> None:
    """Make the member a system admin, directly in the database."""
    async with world.db.write() as tx:
        await tx.execute("UPDATE members SET is_admin = 1 WHERE id = "
                         "(SELECT member_id FROM member_addresses WHERE address = ?)", (email,))
