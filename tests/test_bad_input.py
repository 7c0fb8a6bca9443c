"""Hostile and broken input: the gateway answers sensibly, stays up, loses nothing it acknowledged."""

from __future__ import annotations

import asyncio
import socket
import smtplib

import bridge.ingest.understand as understand
import bridge.gateway.spooler as spooler_module
from archive.spool import list_entries, retry
from bridge.gateway.smtp_handler import GatewaySettings, SpaceMailHandler, smtp_factory
from bridge.gateway.spooler import Spooler
from tests.conftest import DOMAIN, mail

ZEIMU = f"zeimu@{DOMAIN}"
SATO = "sato@pref.yamakawa.lg.jp"


async def posts_count(gateway) -> int:
    return await gateway.ctx.db.fetchval("SELECT COUNT(*) FROM posts")


async def still_accepts_mail(gateway) -> bool:
    refused = await gateway.send(mail(SATO, ZEIMU, "生存確認", "まだ動いています。\n"), SATO, [ZEIMU])
    await gateway.settle()
    return refused == {}


async def test_truncated_mime_is_stored_best_effort(gateway):
    raw = (b"From: sato@pref.yamakawa.lg.jp\r\nTo: " + ZEIMU.encode() + b"\r\nSubject: truncated\r\n"
           b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n--XX\r\n"
           b"Content-Type: text/plain; charset=utf-8\r\n\r\n\xe5\x88\x87\xe3\x82\x8c\r\n--XX\r\n"
           b"Content-Type: application/pdf; name=\"a.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0x")
    await gateway.send(raw, SATO, [ZEIMU])
    await gateway.settle()
    assert await posts_count(gateway) == 1
    assert await still_accepts_mail(gateway)


async def test_missing_from_date_and_message_id_headers(gateway):
    raw = b"To: " + ZEIMU.encode() + b"\r\nSubject: no headers\r\n\r\nbody\r\n"
    try:
        await gateway.send(raw, SATO, [ZEIMU])
        refused_in_session = False
    except smtplib.SMTPDataError as error:
        refused_in_session = error.smtp_code == 550
    assert refused_in_session            # no From: nobody to attribute it to
    raw = b"From: sato@pref.yamakawa.lg.jp\r\nTo: " + ZEIMU.encode() + b"\r\n\r\nno date, no id\r\n"
    await gateway.send(raw, SATO, [ZEIMU])
    await gateway.send(raw, SATO, [ZEIMU])      # the same bytes twice: one post
    await gateway.settle()
    rows = await gateway.ctx.db.fetchall("SELECT message_id, date_utc FROM posts")
    assert len(rows) == 1 and rows[0]["message_id"].endswith("@kairan.invalid>") and rows[0]["date_utc"]


async def test_a_10000_character_line_is_accepted(gateway):
    line = "あ" * 10_000
    await gateway.send(mail(SATO, ZEIMU, "長い行", line + "\n", ), SATO, [ZEIMU])
    raw = (b"From: sato@pref.yamakawa.lg.jp\r\nTo: " + ZEIMU.encode() + b"\r\nSubject: raw long line\r\n\r\n"
           + b"x" * 10_000 + b"\r\n")
    await gateway.send(raw, SATO, [ZEIMU])
    await gateway.settle()
    texts = [r["body_text"] for r in await gateway.ctx.db.fetchall("SELECT body_text FROM posts ORDER BY id")]
    assert line in texts[0] and "x" * 10_000 in texts[1]


async def test_nul_bytes_do_not_break_anything(gateway):
    raw = (b"From: sato@pref.yamakawa.lg.jp\r\nTo: " + ZEIMU.encode() + b"\r\nSubject: nul\x00byte\r\n\r\n"
           b"before\x00after\r\n")
    await gateway.send(raw, SATO, [ZEIMU])
    await gateway.settle()
    assert await posts_count(gateway) == 1
    assert await still_accepts_mail(gateway)


async def test_500_recipients_are_capped_with_452(gateway):
    rcpts = [ZEIMU] + [f"zeimu+nosuch{i}@{DOMAIN}" for i in range(499)]

    def send() -> dict:
        with smtplib.SMTP(gateway.host, gateway.port, timeout=30) as client:
            client.ehlo()
            client.mail(SATO)
            return {code for code, _ in (client.rcpt(r) for r in rcpts)}
    codes = await asyncio.to_thread(send)
    assert 250 in codes and codes <= {250, 550, 452}
    assert await still_accepts_mail(gateway)


async def test_too_many_valid_recipients_get_452(gateway):
    def send() -> list[int]:
        with smtplib.SMTP(gateway.host, gateway.port, timeout=30) as client:
            client.ehlo()
            client.mail(SATO)
            return [client.rcpt(ZEIMU)[0] for _ in range(101)]
    codes = await asyncio.to_thread(send)
    assert codes[:100] == [250] * 100 and codes[100] == 452


async def test_a_silent_client_does_not_block_others(gateway):
    silent = socket.create_connection((gateway.host, gateway.port))
    try:
        assert await still_accepts_mail(gateway)
    finally:
        silent.close()


async def test_a_silent_client_is_disconnected_after_the_timeout(seeded):
    settings = GatewaySettings(domain=DOMAIN, timeout_seconds=0.3)
    handler = SpaceMailHandler(seeded.db, Spooler(seeded.db, seeded.blobs), settings)
    server = await asyncio.get_running_loop().create_server(smtp_factory(handler, settings), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]

    def read_until_closed() -> bytes:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            received = b""
            while chunk := sock.recv(4096):
                received += chunk
            return received
    try:
        greeting_and_goodbye = await asyncio.to_thread(read_until_closed)
    finally:
        server.close()
    assert greeting_and_goodbye.startswith(b"220 ")


async def test_a_client_that_disconnects_mid_data_stores_nothing(gateway):
    def half_send() -> None:
        sock = socket.create_connection((gateway.host, gateway.port), timeout=10)
        reader = sock.makefile("rb")
        reader.readline()
        for command in (b"EHLO x\r\n", b"MAIL FROM:<sato@pref.yamakawa.lg.jp>\r\n",
                        b"RCPT TO:<" + ZEIMU.encode() + b">\r\n", b"DATA\r\n"):
            sock.sendall(command)
            while True:
                line = reader.readline()
                if line[3:4] != b"-":
                    break
        sock.sendall(b"From: sato@pref.yamakawa.lg.jp\r\nSubject: half\r\n\r\nhalf a mess")
        sock.close()
    await asyncio.to_thread(half_send)
    await asyncio.sleep(0.2)
    assert await list_entries(gateway.ctx.db, "all") == []
    assert await still_accepts_mail(gateway)
    assert await posts_count(gateway) == 1


async def test_unparseable_message_is_kept_as_failed_and_can_be_retried(gateway, monkeypatch):
    def broken(raw: bytes):
        raise ValueError("parser exploded")
    monkeypatch.setattr(understand, "parse_message", broken)
    await gateway.send(mail(SATO, ZEIMU, "壊れた", "x\n"), SATO, [ZEIMU])
    await gateway.settle()
    [failed] = await list_entries(gateway.ctx.db, "failed")
    assert "parser exploded" in failed.error
    monkeypatch.undo()
    assert await retry(gateway.ctx.db) == 1
    await gateway.settle()
    assert await list_entries(gateway.ctx.db, "failed") == []
    assert await posts_count(gateway) == 1


async def test_a_failure_to_spool_answers_451_and_nothing_is_acknowledged(gateway, monkeypatch):
    async def disk_full(tx, message):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(spooler_module, "insert_incoming", disk_full)
    try:
        await gateway.send(mail(SATO, ZEIMU, "容量不足", "x\n"), SATO, [ZEIMU])
        answered = None
    except smtplib.SMTPDataError as error:
        answered = (error.smtp_code, error.smtp_error)
    assert answered is not None and answered[0] == 451 and b"No space" not in answered[1]
    monkeypatch.undo()
    assert await list_entries(gateway.ctx.db, "all") == []
    assert await still_accepts_mail(gateway)
