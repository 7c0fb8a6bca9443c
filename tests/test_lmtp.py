"""Behind Postfix: the same gateway over LMTP answers once per recipient after DATA."""

from __future__ import annotations

import asyncio
import smtplib

from bridge.ingest.worker import IngestWorker
from kairan.config import HostPort
from kairan.listeners import Listeners, start_gateway
from tests.conftest import DOMAIN, mail


async def test_lmtp_delivers_to_each_space_with_a_reply_per_recipient(seeded):
    ingest = IngestWorker(seeded.db, seeded.blobs, seeded.settings.domain)
    any_port = HostPort("127.0.0.1", 0)
    servers = await start_gateway(seeded, Listeners(any_port, any_port, lmtp=any_port), lambda: None)
    lmtp_port = servers[1].sockets[0].getsockname()[1]
    rcpts = [f"zeimu@{DOMAIN}", f"bousai@{DOMAIN}"]

    def send() -> list[int]:
        """smtplib reads one reply after DATA, so speak LMTP (RFC 2033) by hand."""
        client = smtplib.LMTP("127.0.0.1", lmtp_port)
        client.ehlo_or_helo_if_needed()
        client.mail("sato@pref.yamakawa.lg.jp")
        for rcpt in rcpts:
            client.rcpt(rcpt)
        message = mail("sato@pref.yamakawa.lg.jp", ", ".join(rcpts), "LMTP", "本文\n").as_bytes()
        client.putcmd("data")
        client.getreply()
        client.send(message.replace(b"\n", b"\r\n") + b"\r\n.\r\n")
        codes = [client.getreply()[0] for _ in rcpts]
        client.quit()
        return codes
    try:
        codes = await asyncio.to_thread(send)
        await ingest.drain()
    finally:
        for server in servers:
            server.close()
    assert codes == [250, 250]
    spaces = await seeded.db.fetchall("SELECT s.slug FROM posts p JOIN spaces s ON s.id = p.space_id ORDER BY 1")
    assert [r["slug"] for r in spaces] == ["bousai", "zeimu"]
