"""The gateway's bounds: sessions per client, slow clients, back-pressure, and DATA read in chunks."""

from __future__ import annotations

import asyncio
import dataclasses
import smtplib
import socket
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bridge.gateway.limits import Backlog, SessionLimits
from kairan.config import HostPort
from kairan.listeners import Listeners, start_gateway
from tests.conftest import DOMAIN

SATO = "sato@pref.yamakawa.lg.jp"
ZEIMU = f"zeimu@{DOMAIN}"


@pytest.fixture
async def bounded(seeded):
    """A gateway on 127.0.0.1:0 with tight `[smtp]` bounds (set per test through `limits`)."""
    servers = []

    async def start(**limits):
        seeded.settings = dataclasses.replace(seeded.settings, smtp_limits=SessionLimits(**limits))
        servers.extend(await start_gateway(seeded, Listeners(HostPort("127.0.0.1", 0), HostPort("127.0.0.1", 0)),
                                           lambda: None))
        return servers[-1].sockets[0].getsockname()[:2]
    yield start
    for server in servers:
        server.close()


def raw_message(body: bytes) -> bytes:
    return (f"From: {SATO}\r\nTo: {ZEIMU}\r\nSubject: test\r\nMessage-ID: <{time.monotonic_ns()}@x>\r\n\r\n"
            .encode() + body)


def read_reply(sock: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\r\n"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


async def test_sessions_past_the_per_client_limit_get_421_before_the_greeting(bounded):
    host, port = await bounded(max_sessions_per_client=2)

    def connect():
        clients = [socket.create_connection((host, port), timeout=10) for _ in range(3)]
        try:
            return [read_reply(c) for c in clients]
        finally:
            for c in clients:
                c.close()
    greetings = await asyncio.to_thread(connect)
    assert [g[:3] for g in greetings] == [b"220", b"220", b"421"]
    assert b"4.7.0" in greetings[2]


async def slow_client(host: str, port: int, lines: list[bytes], interval: float, limit: int = 40) -> bytes:
    """Send `lines`, then one byte every `interval` s, until the server closes; returns all replies."""
    def run() -> bytes:
        with socket.create_connection((host, port), timeout=30) as sock:
            replies = read_reply(sock)
            for line in lines:
                sock.sendall(line)
                replies += read_reply(sock)
            for _ in range(limit):
                try:
                    sock.sendall(b"x")
                except OSError:
                    break
                sock.settimeout(interval)
                try:
                    chunk = sock.recv(4096)
                except socket.timeout:
                    continue
                replies += chunk
                if not chunk or b"421" in chunk:
                    break
            return replies
    return await asyncio.to_thread(run)


async def test_a_client_sending_a_byte_every_3_s_is_closed_at_the_session_deadline(bounded):
    host, port = await bounded(session_seconds=5)
    replies = await slow_client(host, port, [b"EHLO slow.example\r\n"], interval=3)
    assert b"421 4.4.2" in replies


async def test_data_slower_than_the_minimum_rate_is_closed_with_421(bounded):
    host, port = await bounded(min_rate_bytes=1000, rate_grace_seconds=2)
    lines = [b"EHLO slow.example\r\n", f"MAIL FROM:<{SATO}>\r\n".encode(), f"RCPT TO:<{ZEIMU}>\r\n".encode(),
             b"DATA\r\n"]
    replies = await slow_client(host, port, lines, interval=3)
    assert b"354" in replies and b"421 4.4.2 Data arrives too slowly" in replies


async def test_mail_is_deferred_with_451_while_the_spool_holds_too_much_work(bounded, seeded):
    host, port = await bounded(backlog_min_messages=2, backlog_delay_seconds=0.6)

    def send_four() -> list:
        answers = []
        for n in range(4):
            try:
                with smtplib.SMTP(host, port, timeout=30) as client:
                    client.ehlo()
                    began = time.monotonic()
                    client.sendmail(SATO, [ZEIMU], raw_message(f"本文 {n}\r\n".encode()))
                answers.append(250)
            except smtplib.SMTPSenderRefused as refused:
                answers.append((refused.smtp_code, refused.smtp_error, time.monotonic() - began))
        return answers
    answers = await asyncio.to_thread(send_four)
    assert answers[:3] == [250, 250, 250]
    assert answers[3][0] == 451 and b"4.3.2" in answers[3][1]
    assert answers[3][2] >= 0.6                   # the deferred sender waited for its answer
    assert await seeded.db.fetchval("SELECT COUNT(*) FROM spool") == 3


async def spooled_bytes(ctx, spool_id: int) -> tuple[bytes, bool]:
    row = await ctx.db.fetchone("SELECT raw, raw_sha256 FROM spool WHERE id = ?", (spool_id,))
    return (bytes(row["raw"]), True) if row["raw"] is not None else (ctx.blobs.get(row["raw_sha256"]), False)


LINE = st.one_of(st.just(b"."), st.just(b".."), st.just(b""), st.just(b". x"), st.just(b"\r"),
                 st.binary(max_size=30).map(lambda b: b.replace(b"\r", b"").replace(b"\n", b"")))


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(lines=st.lists(LINE, max_size=40), big=st.booleans())
async def test_data_read_in_chunks_is_the_message_sent_byte_for_byte(bounded, seeded, lines, big):
    if not getattr(seeded, "_bounded_address", None):
        seeded._bounded_address = await bounded(spill_kb=64)
    host, port = seeded._bounded_address
    body = b"\r\n".join(lines) + b"\r\n"
    if big:                                          # past spill_kb: streamed to a file, adopted as the blob
        body += b"0123456789abcdef" * 8192 + b"\r\n.\r\n..end\r\n"
    raw = raw_message(body)
    await asyncio.to_thread(lambda: smtplib.SMTP(host, port, timeout=30).sendmail(SATO, [ZEIMU], raw))
    spool_id = await seeded.db.fetchval("SELECT MAX(id) FROM spool")
    stored, inline = await spooled_bytes(seeded, spool_id)
    assert stored == raw and inline == (not big)


def test_mail_counts_as_handled_when_it_is_searchable_not_only_stored():
    """The spool's backlog has the index queue behind it: posts stored but not indexed yet are
    work too, so a lagging indexer defers new mail as surely as a lagging ingest."""
    now = [100.0]
    limits = SessionLimits(backlog_seconds=10, backlog_min_messages=5)
    indexing = Backlog(limits, clock=lambda: now[0])
    backlog = Backlog(limits, clock=lambda: now[0], then=indexing)
    backlog.added(4)
    assert not backlog.full()
    backlog.handled(4)
    indexing.added(6)                             # stored, not searchable yet
    assert backlog.full()
    indexing.handled(6)
    assert not backlog.full()
    for _ in range(20):                           # 2 posts a second indexed: 10 s of work is 20 waiting
        now[0] += 1
        indexing.handled(2)
    indexing.added(15)
    assert not backlog.full()
    indexing.added(10)
    assert backlog.full()
