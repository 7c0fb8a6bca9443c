"""A reply to a notification, sent back over real SMTP to the kairan gateway, joins its thread."""

from __future__ import annotations

import asyncio
from email.message import EmailMessage

import aiosmtplib
import pytest

from archive.spaces import get_membership
from archive.threads import get_thread
from bridge.ingest.worker import IngestWorker
from bridge.outbound.notify import plan_queued
from bridge.gateway.smtp_handler import GatewaySettings, SpaceMailHandler, smtp_factory
from bridge.gateway.spooler import Spooler
from tests.outbound_support import DOMAIN, MAIL, SECRET, SinkHandler, make_world, relay_sender, set_mode, start_sink


@pytest.fixture
async def world(tmp_path):
    w = await make_world(tmp_path)
    await set_mode(w, "zeimu", "suzuki", "each")
    yield w
    await w.db.close()


@pytest.fixture
async def gateway(world):
    settings = GatewaySettings(domain=DOMAIN, secret_key=SECRET)
    handler = SpaceMailHandler(world.db, Spooler(world.db, world.blobs), settings)
    server = await asyncio.get_running_loop().create_server(smtp_factory(handler, settings), "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1]
    server.close()


async def notification_for_suzuki(world):
    handler = SinkHandler()
    server, port = await start_sink(handler)
    try:
        post_id, thread_id = await world.post("zeimu", "sato", "減免申請について", "ご教示ください。",
                                              message_id="<root@pref.test.lg.jp>")
        await plan_queued(world.db, MAIL, world.clock())
        await world.dispatcher(relay_sender(port)).dispatch()
    finally:
        server.close()
    return handler.received[0].message, thread_id


def reply_to(notification, to: str, subject: str | None = None) -> EmailMessage:
    reply = EmailMessage()
    reply["From"] = "鈴木 裕子 <suzuki@city.test.lg.jp>"
    reply["To"] = to
    reply["Subject"] = subject or "RE: " + str(notification["Subject"])
    reply["Message-ID"] = "<reply-1@city.test.lg.jp>"
    reply["In-Reply-To"] = notification["Message-ID"]
    reply["References"] = f"{notification['References']} {notification['Message-ID']}"
    reply.set_content("青葉市では5割としています。\n\n> ご教示ください。\n")
    return reply


async def thread_of_reply(world) -> int:
    await IngestWorker(world.db, world.blobs, DOMAIN).drain()
    return await world.db.fetchval("SELECT thread_id FROM posts WHERE message_id = '<reply-1@city.test.lg.jp>'")


async def test_a_reply_to_the_reply_address_joins_the_thread(world, gateway):
    notification, thread_id = await notification_for_suzuki(world)
    await aiosmtplib.send(reply_to(notification, str(notification["Reply-To"])), hostname="127.0.0.1",
                          port=gateway, start_tls=False)
    assert await thread_of_reply(world) == thread_id


async def test_a_reply_to_the_space_address_joins_the_thread_by_its_references(world, gateway):
    notification, thread_id = await notification_for_suzuki(world)
    reply = reply_to(notification, f"zeimu@{DOMAIN}", subject="回答（青葉市）")     # the subject can't thread it
    await aiosmtplib.send(reply, hostname="127.0.0.1", port=gateway,
                          start_tls=False)
    assert await thread_of_reply(world) == thread_id
    assert (await get_thread(world.db, thread_id)).post_count == 2


async def test_the_gateway_refuses_a_notification_that_comes_back(world, gateway):
    notification, _ = await notification_for_suzuki(world)
    with pytest.raises(aiosmtplib.SMTPDataError) as refused:
        await aiosmtplib.send(notification, sender="suzuki@city.test.lg.jp", recipients=[f"zeimu@{DOMAIN}"],
                              hostname="127.0.0.1", port=gateway, start_tls=False)
    assert refused.value.code == 554


async def test_the_list_unsubscribe_mailto_sets_the_space_to_none(world, gateway):
    notification, _ = await notification_for_suzuki(world)
    mailto = notification["List-Unsubscribe"].split(", ")[1].strip("<>")
    address, _, query = mailto.removeprefix("mailto:").partition("?subject=")
    request = EmailMessage()
    request["From"] = "suzuki@city.test.lg.jp"
    request["To"] = address
    request["Subject"] = query
    request.set_content("unsubscribe")
    await aiosmtplib.send(request, hostname="127.0.0.1", port=gateway, start_tls=False)
    membership = await get_membership(world.db, world.spaces["zeimu"].id, world.people["suzuki"].id)
    assert membership.mode == "none"
