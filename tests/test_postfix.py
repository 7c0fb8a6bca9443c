"""kairan behind a real Postfix (Debian's), as docs/postfix.md sets it up: no backscatter.

Postfix asks kairan's policy service at its own RCPT stage and delivers what it
accepts over LMTP. A member's mail arrives in the space; a non-member is refused
by Postfix during the sender's session, with kairan's sentence; Postfix bounces
nothing and keeps nothing queued.
"""

from __future__ import annotations

import asyncio
import smtplib

import pytest

from archive.spool import list_entries
from bridge.ingest.worker import IngestWorker
from bridge.gateway.postfix_policy import PolicyService, start_policy_service
from kairan.config import HostPort
from kairan.listeners import Listeners, start_gateway
from tests.conftest import DOMAIN, mail
from tests.postfix_support import PrivatePostfix

MEMBER, OUTSIDER = "sato@pref.yamakawa.lg.jp", "outsider@town.wakaba.lg.jp"
SPACE = f"zeimu@{DOMAIN}"
BASE_URL = "http://127.0.0.1:8080"


def send(port: int, sender: str, subject: str, **headers: str) -> dict:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        return client.send_message(mail(sender, SPACE, subject, "本文です。\n", **headers), from_addr=sender,
                                   to_addrs=[SPACE])


async def wait_for(predicate, seconds: float = 30.0):
    for _ in range(int(seconds / 0.05)):
        value = await predicate()
        if value:
            return value
        await asyncio.sleep(0.05)
    return await predicate()


async def test_postfix_delivers_members_over_lmtp_and_refuses_others_at_rcpt(seeded):
    ctx = seeded
    servers = await start_gateway(ctx, Listeners(HostPort("127.0.0.1", 0), HostPort("127.0.0.1", 0),
                                                 lmtp=HostPort("127.0.0.1", 0)), lambda: None)
    policy = await start_policy_service(PolicyService(ctx.db, DOMAIN, BASE_URL), "127.0.0.1", 0)
    lmtp_port = servers[1].sockets[0].getsockname()[1]
    policy_port = policy.sockets[0].getsockname()[1]
    postfix = PrivatePostfix(DOMAIN, lmtp_port, policy_port, ctx.settings.max_message_mb * 1024 * 1024)
    try:
        await asyncio.to_thread(postfix.start)
        assert await asyncio.to_thread(send, postfix.smtp_port, MEMBER, "Postfix 経由の投稿") == {}
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            await asyncio.to_thread(send, postfix.smtp_port, OUTSIDER, "部外者の投稿")
        code, text = refused.value.recipients[SPACE]
        assert code == 550
        assert (f"{OUTSIDER} is not a member of space zeimu: ask the space's admin to add you "
                f"(see {BASE_URL}/help/refused/not-member)") in text.decode()
        with pytest.raises(smtplib.SMTPDataError) as auto_reply:          # docs/postfix.md's header_checks
            await asyncio.to_thread(send, postfix.smtp_port, MEMBER, "不在です", Auto_Submitted="auto-replied")
        assert auto_reply.value.smtp_code == 550
        assert b"Automatic replies and bulk mail are not accepted by spaces" in auto_reply.value.smtp_error
        spooled = await wait_for(lambda: list_entries(ctx.db))
        assert [e.mail_from for e in spooled] == [MEMBER]
        await wait_for(lambda: asyncio.sleep(0, "status=sent" in postfix.log() and "removed" in postfix.log()))
    finally:
        await asyncio.to_thread(postfix.stop)
        policy.close()
        for server in servers:
            server.close()
    log, queued = postfix.log(), postfix.queued()
    postfix.remove()
    assert queued == []
    await IngestWorker(ctx.db, ctx.blobs, DOMAIN).drain()
    posts = await ctx.db.fetchall("SELECT p.from_address, p.subject FROM posts p JOIN spaces s ON s.id = p.space_id "
                                  "WHERE s.slug = 'zeimu'")
    assert [tuple(row) for row in posts] == [(MEMBER, "Postfix 経由の投稿")]
    assert "status=sent" in log and f"relay=127.0.0.1[127.0.0.1]:{lmtp_port}" in log
    assert "NOQUEUE: reject: RCPT" in log and "is not a member of space zeimu" in log
    assert "status=bounced" not in log and "sender non-delivery notification" not in log
