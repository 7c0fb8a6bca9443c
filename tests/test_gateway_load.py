"""Twelve senders of 48 MB at once: every one is answered (250, or 4xx to retry), nothing answered 250
is lost across a restart, and the server's memory stays within twice the largest message plus
its baseline (messages past [smtp] spill_kb stream to disk, and attachments are written by the
worker processes, not carried back)."""

from __future__ import annotations

import base64
import os
import socket
import threading

from kairan.context import open_context
from kairan.fixtures import DOMAIN, make_data_dir, seed
from tests.serve_support import MemoryWatch, _status_kb, start_serve

SATO = "sato@pref.yamakawa.lg.jp"
ZEIMU = f"zeimu@{DOMAIN}"
SENDERS = 12
MESSAGE_MB = 48


def attachment_body(megabytes: int) -> bytes:
    """A base64 part of about `megabytes` MB (76-character lines; none starts with a dot)."""
    data = base64.encodebytes(os.urandom(1 << 20)).replace(b"\n", b"\r\n")
    return data * (megabytes * (1 << 20) // len(data))


def send(host: str, port: int, n: int, body: bytes, answers: dict) -> None:
    """One SMTP session written by hand, so twelve of them share one 48 MB body in memory."""
    try:
        with socket.create_connection((host, port), timeout=300) as sock:
            reader = sock.makefile("rb")

            def command(line: bytes) -> bytes:
                if line:
                    sock.sendall(line)
                reply = reader.readline()
                while reply[3:4] == b"-":
                    reply = reader.readline()
                return reply
            if not command(b"").startswith(b"220"):
                answers[n] = "no greeting"
                return
            command(b"EHLO load.example\r\n")
            for line in (f"MAIL FROM:<{SATO}>\r\n", f"RCPT TO:<{ZEIMU}>\r\n", "DATA\r\n"):
                reply = command(line.encode())
                if reply[:1] not in (b"2", b"3"):
                    answers[n] = reply.decode().strip()
                    return
            sock.sendall(f"From: {SATO}\r\nTo: {ZEIMU}\r\nSubject: 大きな資料 {n}\r\nMessage-ID: <load-{n}@x>\r\n"
                         "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                         "Content-Type: text/plain; charset=utf-8\r\n\r\n資料です。\r\n--b\r\n"
                         "Content-Type: application/pdf; name=a.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                         .encode())
            view = memoryview(body)
            for start in range(0, len(body), 1 << 20):
                sock.sendall(view[start:start + (1 << 20)])
            answers[n] = command(b"--b--\r\n.\r\n").decode().strip()
            command(b"QUIT\r\n")
    except OSError as error:
        answers[n] = f"error: {error}"


async def spool_rows(data_dir) -> list:
    async with open_context(data_dir) as ctx:
        rows = await ctx.db.fetchall("SELECT id, size, raw, raw_sha256 FROM spool ORDER BY id")
        return [(r["size"], r["raw"] is not None or ctx.blobs.exists(r["raw_sha256"])) for r in rows]


async def test_twelve_48_mb_senders_are_all_answered_none_lost_and_memory_bounded(tmp_path):
    data_dir = make_data_dir(tmp_path / "data")
    async with open_context(data_dir) as ctx:
        await seed(ctx)
    body = attachment_body(MESSAGE_MB)
    serve = start_serve(data_dir)
    answers: dict[int, str] = {}
    try:
        baseline_kb = _status_kb(serve.process.pid, "VmHWM")
        with MemoryWatch(serve) as memory:
            senders = [threading.Thread(target=send, args=(*serve.smtp, n, body, answers)) for n in range(SENDERS)]
            for sender in senders:
                sender.start()
            for sender in senders:
                sender.join(600)
    finally:
        assert serve.stop() == 0
    accepted = [n for n, answer in answers.items() if answer.startswith("250")]
    print(f"\nanswers: {sorted(a[:3] for a in answers.values())}; server main VmHWM {baseline_kb // 1024} MiB "
          f"at start, {memory.main_peak_kb // 1024} MiB peak")
    assert len(answers) == SENDERS and all(a[:1] in ("2", "4") for a in answers.values()), answers
    assert accepted
    restarted = start_serve(data_dir)
    try:
        rows = await spool_rows(data_dir)
    finally:
        assert restarted.stop() == 0
    assert len(rows) == len(accepted) and all(kept and size > MESSAGE_MB * 10**6 for size, kept in rows)
    assert memory.main_peak_kb <= baseline_kb + 2 * MESSAGE_MB * 1024
