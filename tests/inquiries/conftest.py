"""An inquiry's world: a prefecture asking three municipalities, a clock the tests move."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytest

from archive.members import add_member
from archive.orgs import add_org
from bridge.ingest.worker import IngestWorker
from archive.spaces import create_space
from kairan.config import HostPort
from kairan.listeners import Listeners, start_gateway
from tests.conftest import DOMAIN, Gateway

JST = timezone(timedelta(hours=9))
START = datetime(2026, 11, 27, 10, 0, tzinfo=JST)        # a Friday

TANAKA = "tanaka@pref.yamakawa.lg.jp"          # asks (pref)
SATO = "sato@pref.yamakawa.lg.jp"              # pref, org admin
TAKAHASHI = "takahashi@city.aoba.lg.jp"        # aoba
SUZUKI = "suzuki@city.aoba.lg.jp"              # aoba, org admin
ITO = "ito@town.wakaba.lg.jp"                  # wakaba, org admin
WATANABE = "watanabe@town.wakaba.lg.jp"        # wakaba
KIMURA = "kimura@vill.midori.lg.jp"            # midori, org admin
YAMADA = "yamada@vill.midori.lg.jp"            # midori, not in the space
BOUSAI = f"bousai@{DOMAIN}"

NAMES = {TANAKA: "田中 由美", SATO: "佐藤 健一", TAKAHASHI: "高橋 誠", SUZUKI: "鈴木 裕子", ITO: "伊藤 翔太",
         WATANABE: "渡辺 明美", KIMURA: "木村 花子", YAMADA: "山田 太郎"}


class Clock:
    """A clock the test sets: the archive, the workers and the web read the same one."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now.astimezone(timezone.utc)


async def seed_world(ctx) -> None:
    for slug, name, domain in (("pref", "山河県", "pref.yamakawa.lg.jp"), ("aoba", "青葉市", "city.aoba.lg.jp"),
                               ("wakaba", "若葉町", "town.wakaba.lg.jp"), ("midori", "緑村", "vill.midori.lg.jp")):
        await add_org(ctx.db, slug, name, [domain])
    admins = {SATO, SUZUKI, ITO, KIMURA}
    for address, name in NAMES.items():
        org = {"pref": "pref", "city": "aoba", "town": "wakaba", "vill": "midori"}[address.split("@")[1].split(".")[0]]
        await add_member(ctx.db, address, name, org, org_admin=address in admins)
    await create_space(ctx.db, "bousai", "防災・危機管理", [a for a in NAMES if a != YAMADA])
    await create_space(ctx.db, "zeimu", "税務", [SATO, SUZUKI, YAMADA])


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
async def world(ctx, clock):
    ctx.db.clock = clock
    ctx.clock = clock
    await seed_world(ctx)
    return ctx


@pytest.fixture
async def inq_gateway(world):
    ingest = IngestWorker(world.db, world.blobs, world.settings.domain)
    servers = await start_gateway(world, Listeners(HostPort("127.0.0.1", 0), HostPort("127.0.0.1", 0)), lambda: None)
    host, port = servers[0].sockets[0].getsockname()[:2]
    yield Gateway(world, host, port, ingest)
    for server in servers:
        server.close()
        await server.wait_closed()


def letter(sender: str, subject: str, body: str, when: datetime, to: str = BOUSAI, parent: str | None = None,
           attachment: tuple[str, bytes, str] | None = None) -> EmailMessage:
    """A mail as staff send it: Japanese name, Date in JST, a reply's In-Reply-To."""
    message = EmailMessage()
    message["From"] = f"{NAMES[sender]} <{sender}>"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(when.astimezone(JST))
    message["Message-ID"] = make_msgid(domain=sender.split("@")[1])
    if parent:
        message["In-Reply-To"] = parent
        message["References"] = parent
    message.set_content(body)
    if attachment:
        name, data, ctype = attachment
        maintype, subtype = ctype.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


async def send(gateway: Gateway, message: EmailMessage) -> str:
    """Over real SMTP, then ingested; returns the Message-ID."""
    sender = message["From"].split("<")[1].rstrip(">")
    assert await gateway.send(message, sender, [message["To"]]) == {}
    await gateway.settle()
    return message["Message-ID"]
