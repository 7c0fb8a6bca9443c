"""The Postfix policy service speaks check_policy_service and answers exactly as the gateway's RCPT."""

from __future__ import annotations

import asyncio
import smtplib

import pytest

from bridge.gateway.postfix_policy import PolicyService, start_policy_service
from tests.conftest import DOMAIN

BASE_URL = "http://127.0.0.1:8080"


def request(**attributes: str) -> bytes:
    base = {"request": "smtpd_access_policy", "protocol_state": "RCPT", "protocol_name": "ESMTP",
            "client_address": "192.0.2.1", "sender": "", "recipient": ""}
    return "".join(f"{k}={v}\n" for k, v in {**base, **attributes}.items()).encode() + b"\n"


@pytest.fixture
async def policy(seeded):
    server = await start_policy_service(PolicyService(seeded.db, DOMAIN, BASE_URL), "127.0.0.1", 0)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.sockets[0].getsockname()[1])

    async def ask(raw: bytes) -> str:
        writer.write(raw)
        await writer.drain()
        answer = await asyncio.wait_for(reader.readuntil(b"\n\n"), 10)
        return answer.decode().removeprefix("action=").rstrip("\n")
    yield ask
    writer.close()
    server.close()


def smtp_rcpt_reply(gateway, sender: str, recipient: str) -> str:
    with smtplib.SMTP(gateway.host, gateway.port, timeout=30) as client:
        client.ehlo()
        client.mail(sender)
        code, text = client.rcpt(recipient)
    return f"{code} {text.decode()}"


@pytest.mark.parametrize("sender, recipient", [
    ("outsider@town.wakaba.lg.jp", f"zeimu@{DOMAIN}"),          # not a member
    ("sato@pref.yamakawa.lg.jp", f"nosuch@{DOMAIN}"),           # unknown space
    ("sato@pref.yamakawa.lg.jp", f"zeimu+zzzz9999@{DOMAIN}"),   # unknown thread
])
async def test_a_refusal_is_the_gateways_sentence_at_rcpt(policy, gateway, sender, recipient):
    smtp = await asyncio.to_thread(smtp_rcpt_reply, gateway, sender, recipient)
    assert smtp.startswith("550 ") and "/help/refused/" in smtp
    assert await policy(request(sender=sender, recipient=recipient)) == smtp


async def test_members_other_domains_and_other_stages_get_no_opinion_on_one_connection(policy):
    assert await policy(request(sender="sato@pref.yamakawa.lg.jp", recipient=f"zeimu@{DOMAIN}")) == "DUNNO"
    assert await policy(request(sender="outsider@town.wakaba.lg.jp", recipient="someone@city.aoba.lg.jp")) == "DUNNO"
    assert await policy(request(protocol_state="END-OF-MESSAGE", sender="outsider@town.wakaba.lg.jp",
                                recipient=f"zeimu@{DOMAIN}")) == "DUNNO"
    assert await policy(request(request="something_else")) == "DUNNO"


async def test_garbage_closes_the_connection_and_the_service_goes_on(seeded):
    server = await start_policy_service(PolicyService(seeded.db, DOMAIN, BASE_URL), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"\x00\xffnot an attribute\n\n")
    await writer.drain()
    assert await asyncio.wait_for(reader.read(), 10) == b""
    writer.close()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request(sender="outsider@town.wakaba.lg.jp", recipient=f"zeimu@{DOMAIN}"))
    await writer.drain()
    assert (await asyncio.wait_for(reader.readuntil(b"\n\n"), 10)).startswith(b"action=550 5.7.1 ")
    writer.close()
    server.close()
