"""Sender assurance over real SMTP on loopback: each client binds its own 127.0.0.x address.

The gateway listens on 127.0.0.1; 127.0.0.2 is 青葉市's trusted relay, 127.0.0.3 a machine of
nobody's, 127.0.0.4 a host the SPF record allows, 127.0.0.1 the trusted hop (a Postfix in
front). DKIM keys and SPF records come from a real DNS server the test starts on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import smtplib
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path

import dkim
import pytest

from archive.admin.audit import SYSTEM
from archive.assurance.policy import evidence_of, set_policy
from archive.export import space_document
from archive.spaces import get_space
from bridge.assurance.settings import AssuranceSettings
from bridge.ingest.worker import IngestWorker
from kairan.config import HostPort
from kairan.listeners import Listeners, start_gateway
from tests.conftest import DOMAIN, mail
from tests.dns_server import LocalDns

ZEIMU = f"zeimu@{DOMAIN}"
SUZUKI = "suzuki@city.aoba.lg.jp"
AOBA = "city.aoba.lg.jp"
RELAY, STRANGER, SPF_HOST, HOP = "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.1"
KEY = (Path(__file__).parent / "dkim_test_key.pem").read_bytes()


def public_key() -> str:
    """The key's public half, base64 DER, as a DKIM TXT record's p= carries it (made once with openssl)."""
    return (Path(__file__).parent / "dkim_test_key.pub.b64").read_text().strip()


@pytest.fixture(scope="module")
def dns_server():
    server = LocalDns({(f"sel._domainkey.{AOBA}", "TXT"): [f"v=DKIM1; k=rsa; p={public_key()}"],
                      (AOBA, "TXT"): [f"v=spf1 ip4:{SPF_HOST} -all"],
                      ("other.example.jp", "TXT"): ["v=spf1 -all"],
                      ("sel._domainkey.other.example.jp", "TXT"): [f"v=DKIM1; k=rsa; p={public_key()}"]})
    yield server
    server.stop()


class Gate:
    def __init__(self, ctx, port: int, lmtp_port: int):
        self.ctx, self.port, self.lmtp_port = ctx, port, lmtp_port
        self.ingest = IngestWorker(ctx.db, ctx.blobs, ctx.settings.domain)

    def send_sync(self, message: EmailMessage | bytes, source: str, mail_from: str = SUZUKI) -> tuple[int, str]:
        """(code, text) of the answer to DATA, sent from `source` over a real socket."""
        raw = message if isinstance(message, bytes) else message.as_bytes()
        with smtplib.SMTP("127.0.0.1", self.port, source_address=(source, 0), timeout=30) as client:
            client.ehlo("client.test")
            client.mail(mail_from)
            client.rcpt(ZEIMU)
            code, text = client.data(raw)
            return code, text.decode()

    async def send(self, message, source: str, mail_from: str = SUZUKI) -> tuple[int, str]:
        return await asyncio.to_thread(self.send_sync, message, source, mail_from)

    async def posts(self) -> list[tuple[str, str, dict]]:
        """(subject, sender_assurance, evidence) of every stored post, in order."""
        await self.ingest.drain()
        rows = await self.ctx.db.fetchall("SELECT subject, sender_assurance, assurance_evidence FROM posts ORDER BY id")
        return [(r["subject"], r["sender_assurance"], evidence_of(r["assurance_evidence"])) for r in rows]

    async def policy(self, settle: bool = False, **changes) -> None:
        await set_policy(self.ctx.db, "aoba", SYSTEM, **changes)
        if settle:
            await asyncio.sleep(1.05)       # the gateway reuses a policy answer it gave for one second


async def open_gate(seeded, dns_address: str, **assurance) -> tuple[Gate, list]:
    checks = AssuranceSettings(resolvers=(dns_address,), dns_timeout=0.5, help_url="http://kairan.test/help/sender",
                               **assurance)
    seeded.settings = replace(seeded.settings, sender_checks=checks)
    any_port = HostPort("127.0.0.1", 0)
    servers = await start_gateway(seeded, Listeners(any_port, any_port, lmtp=any_port), lambda: None)
    return Gate(seeded, servers[0].sockets[0].getsockname()[1], servers[1].sockets[0].getsockname()[1]), servers


@pytest.fixture
async def gate(seeded, dns_server):
    gate, servers = await open_gate(seeded, dns_server.address, trusted_hops=(f"{HOP}/32",),
                                    authserv_ids=("mx.lgwan.example",))
    await set_policy(seeded.db, "aoba", SYSTEM, relays=[f"{RELAY}/32"], level="none")
    yield gate
    for server in servers:
        server.close()
        await server.wait_closed()


def message(subject: str, body: str = "本文です。\n", sender: str = SUZUKI, **headers) -> EmailMessage:
    return mail(f"鈴木 裕子 <{sender}>", ZEIMU, subject, body, **headers)


def signed(msg: EmailMessage, domain: str = AOBA) -> bytes:
    raw = msg.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    return dkim.sign(raw, b"sel", domain.encode(), KEY, include_headers=[b"from", b"to", b"subject"]) + raw


async def test_a_trusted_relay_is_relay_and_another_address_is_none(gate):
    assert (await gate.send(message("中継から"), RELAY))[0] == 250
    assert (await gate.send(message("よそから"), STRANGER))[0] == 250
    posts = await gate.posts()
    assert [(s, m) for s, m, _ in posts] == [("中継から", "relay"), ("よそから", "none")]
    assert posts[0][2]["relay"] == f"{RELAY}/32" and posts[0][2]["client"] == RELAY
    assert posts[1][2]["client"] == STRANGER and "relay" not in posts[1][2]


async def test_require_refuses_the_stranger_in_the_session_and_takes_the_relay(gate):
    await gate.policy(level="require")
    code, text = await gate.send(message("よそから"), STRANGER)
    assert code == 550 and text.startswith("5.7.1")
    assert "could not verify" in text and "aoba" in text and "/help/sender" in text
    assert (await gate.send(message("中継から"), RELAY))[0] == 250
    assert [(s, m) for s, m, _ in await gate.posts()] == [("中継から", "relay")]
    refusal = await gate.ctx.db.fetchone("SELECT decided_by, reply FROM refusals ORDER BY id DESC")
    assert refusal["decided_by"] == "sender_unverified" and refusal["reply"].startswith("550 5.7.1")


async def test_mark_accepts_the_stranger_and_marks_the_post(gate):
    await gate.policy(level="mark")
    assert (await gate.send(message("よそから"), STRANGER))[0] == 250
    [(_, method, evidence)] = await gate.posts()
    assert method == "none" and evidence["policy"] == "mark"
    doc = await space_document(gate.ctx.db, await get_space(gate.ctx.db, "zeimu"), DOMAIN)
    assert doc["threads"][0]["posts"][0]["sender_assurance"] == "none"


async def test_dkim_valid_is_dkim(gate):
    assert (await gate.send(signed(message("署名あり")), STRANGER))[0] == 250
    [(_, method, evidence)] = await gate.posts()
    assert method == "dkim"
    assert evidence["dkim"] == [{"domain": AOBA, "selector": "sel", "result": "pass", "aligned": True}]


async def test_dkim_body_changed_after_signing_is_none(gate):
    raw = signed(message("署名あり", "元の本文です。\n")).replace("元の本文".encode(), "改変した本文".encode())
    assert (await gate.send(raw, STRANGER))[0] == 250
    [(_, method, evidence)] = await gate.posts()
    assert method == "none" and evidence["dkim"][0]["result"] == "fail"
    assert "body hash" in evidence["dkim"][0]["reason"]


async def test_dkim_of_a_domain_that_is_not_the_from_domain_is_none(gate):
    assert (await gate.send(signed(message("他人の署名"), "other.example.jp"), STRANGER))[0] == 250
    [(_, method, evidence)] = await gate.posts()
    assert method == "none"
    assert evidence["dkim"][0] | {} == {"domain": "other.example.jp", "selector": "sel", "result": "pass",
                                        "aligned": False}


async def test_dkim_with_dns_down_is_451_under_require_and_recorded_as_temporary_under_mark(seeded):
    down = LocalDns({})
    address = down.address
    down.stop()                           # nothing answers there any more
    gate, servers = await open_gate(seeded, address)
    try:
        await set_policy(seeded.db, "aoba", SYSTEM, level="require")
        code, text = await gate.send(signed(message("DNS停止中")), STRANGER)
        assert code == 451 and text.startswith("4.7.0") and "try again" in text
        await gate.policy(level="mark", settle=True)
        assert (await gate.send(signed(message("DNS停止中")), STRANGER))[0] == 250
        [(_, method, evidence)] = await gate.posts()
        assert method == "none" and evidence["dkim"][0]["result"] == "temperror"
        assert "DNS" in evidence["temporary"]
    finally:
        for server in servers:
            server.close()


async def test_spf_pass_for_an_aligned_envelope_domain_is_spf_unless_dkim_is_expected(gate):
    assert (await gate.send(message("SPF許可ホスト"), SPF_HOST))[0] == 250
    await gate.policy(dkim="expected", settle=True)
    assert (await gate.send(message("DKIM必須"), SPF_HOST))[0] == 250
    posts = await gate.posts()
    assert [(s, m) for s, m, _ in posts] == [("SPF許可ホスト", "spf"), ("DKIM必須", "none")]
    assert posts[0][2]["spf"] == {"domain": AOBA, "result": "pass", "aligned": True}


FORGED = "mx.lgwan.example; dkim=pass header.d=city.aoba.lg.jp header.s=sel; dmarc=pass header.from=city.aoba.lg.jp"


async def test_forged_authentication_results_from_an_untrusted_client_are_ignored(gate):
    await gate.policy(level="require")
    code, _ = await gate.send(message("偽の認証結果", Authentication_Results=FORGED), STRANGER)
    assert code == 550
    await gate.policy(level="mark", settle=True)
    await gate.send(message("偽の認証結果", Authentication_Results=FORGED), STRANGER)
    [(_, method, evidence)] = await gate.posts()
    assert method == "none" and evidence["upstream"] == {"ignored": 1, "reason": "not from a trusted hop"}


async def test_authentication_results_from_the_trusted_hop_are_used(gate):
    await gate.policy(level="require")
    code, _ = await gate.send(message("上流で認証済み", Authentication_Results=FORGED), HOP)
    assert code == 250
    [(_, method, evidence)] = await gate.posts()
    assert method == "upstream"
    assert evidence["upstream"] == {"authserv_id": "mx.lgwan.example", "method": "dkim", "domain": AOBA}


async def test_an_unknown_authserv_id_from_the_trusted_hop_is_not_believed(gate):
    header = "other.example; dkim=pass header.d=city.aoba.lg.jp"
    await gate.send(message("知らない認証局", Authentication_Results=header), HOP)
    [(_, method, _)] = await gate.posts()
    assert method == "none"


def lmtp_send(port: int, source: str, raw: bytes, xforward: str | None, reset: bool = False) -> list:
    """Postfix's side of LMTP: LHLO, XFORWARD if offered, one transaction; the replies seen."""
    client = smtplib.LMTP("127.0.0.1", port, source_address=(source, 0))
    try:
        client.ehlo_or_helo_if_needed()
        offered = client.has_extn("xforward")
        answers = [offered]
        if xforward is not None:
            answers.append(client.docmd("XFORWARD", xforward)[0])
        if reset:
            answers.append(client.rset()[0])
        client.mail(SUZUKI)
        client.rcpt(ZEIMU)
        client.putcmd("data")
        client.getreply()
        client.send(raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n") + b"\r\n.\r\n")
        answers.append(client.getreply()[0])
        client.quit()
        return answers
    finally:
        client.close()


async def test_behind_postfix_the_client_address_comes_from_xforward_or_its_received_header(gate):
    received = f"from relay.city.aoba.lg.jp (relay.city.aoba.lg.jp [{RELAY}]) by mx.kairan (Postfix) with ESMTP"
    via_xforward = message("XFORWARD経由", Received=f"from x (x [{HOP}]) by mx.kairan (Postfix)").as_bytes()
    via_received = message("Received経由", Received=received).as_bytes()
    assert await asyncio.to_thread(lmtp_send, gate.lmtp_port, HOP, via_xforward,
                                   f"NAME=relay.city.aoba.lg.jp ADDR={RELAY} HELO=relay") == [True, 250, 250]
    assert await asyncio.to_thread(lmtp_send, gate.lmtp_port, HOP, via_received, None) == [True, 250]
    after_rset = message("RSET後", Received=f"from x (x [{HOP}]) by mx.kairan (Postfix)").as_bytes()
    assert await asyncio.to_thread(lmtp_send, gate.lmtp_port, HOP, after_rset, f"ADDR={RELAY}", True) == [
        True, 250, 250, 250]
    posts = await gate.posts()
    assert [(s, m, e["via"], e["client"]) for s, m, e in posts] == [
        ("XFORWARD経由", "relay", "xforward", RELAY), ("Received経由", "relay", "received", RELAY),
        ("RSET後", "none", "received", HOP)]


async def test_an_untrusted_client_can_neither_xforward_nor_claim_by_received(gate):
    forged = message("偽のReceived", Received=f"from relay (relay [{RELAY}]) by mx.kairan (Postfix)").as_bytes()
    answers = await asyncio.to_thread(lmtp_send, gate.lmtp_port, STRANGER, forged, f"ADDR={RELAY}")
    assert answers == [False, 550, 250]
    [(_, method, evidence)] = await gate.posts()
    assert method == "none" and (evidence["client"], evidence["via"]) == (STRANGER, "peer")


def xclient_send(port: int, raw: bytes, command: str) -> list:
    """A proxy's side of XCLIENT: EHLO, XCLIENT, a new greeting, EHLO again, one message."""
    with smtplib.SMTP("127.0.0.1", port, source_address=(HOP, 0), timeout=30) as client:
        client.ehlo("proxy.test")
        answers = [client.has_extn("xclient"), client.docmd("XCLIENT", command)[0]]
        client.ehlo("proxy.test")
        client.mail(SUZUKI)
        client.rcpt(ZEIMU)
        answers.append(client.data(raw)[0])
        return answers


async def test_a_trusted_proxy_names_its_client_with_xclient_and_a_bad_attribute_is_a_501(gate):
    assert await asyncio.to_thread(xclient_send, gate.port, message("XCLIENT経由").as_bytes(),
                                   f"ADDR={RELAY} NAME=relay.city.aoba.lg.jp") == [True, 220, 250]
    assert await asyncio.to_thread(xclient_send, gate.port, message("壊れたXCLIENT").as_bytes(),
                                   "ADDR") == [True, 501, 250]
    posts = await gate.posts()
    assert [(s, m, e["via"]) for s, m, e in posts] == [("XCLIENT経由", "relay", "xclient"), ("壊れたXCLIENT", "none", "peer")]


async def test_hostile_assurance_headers_are_read_best_effort_and_the_mail_is_kept(gate):
    garbage_signatures = "".join(f"DKIM-Signature: v=1; a=rsa-sha256; d=x{i}.example; s=\x01; b=!!!\r\n"
                                 for i in range(60))
    raw = (garbage_signatures + "Authentication-Results: ;;; (unclosed\r\n"
           "Authentication-Results: mx.lgwan.example; dkim=pass header.d=\r\n"
           f"Received: from [{'9' * 5000}] by nowhere\r\n" + message("壊れたヘッダー").as_string()).encode()
    assert (await gate.send(raw, STRANGER))[0] == 250
    [(_, method, evidence)] = await gate.posts()
    assert method == "none"
    assert len(evidence["dkim"]) == 5 and all(s["result"] == "fail" for s in evidence["dkim"])
