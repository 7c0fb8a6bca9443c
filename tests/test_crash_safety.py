"""kill -9 while eight clients send: every acknowledged message becomes a post exactly once."""

from __future__ import annotations

import asyncio
import os
import signal
import smtplib
import subprocess
import sys
import threading
import time
from pathlib import Path

from archive.db import Database
from kairan.context import open_context
from tests.conftest import DOMAIN, ROOT, mail, make_data_dir, seed

CLIENTS = 8
MESSAGES = 200
KILL_AFTER_ACKS = 60


def start_server(data_dir: Path) -> tuple[subprocess.Popen, int]:
    process = subprocess.Popen(
        [sys.executable, "-m", "kairan", "serve", "--data", str(data_dir), "--smtp", "127.0.0.1:0",
         "--http", "127.0.0.1:0"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    line = process.stdout.readline()
    if "SMTP on" not in line:
        process.kill()
        raise RuntimeError(f"server did not start: {line}{process.stdout.read()}")
    port = int(line.split("SMTP on ", 1)[1].split(";", 1)[0].rsplit(":", 1)[1])
    return process, port


def message(i: int):
    return mail("佐藤 <sato@pref.yamakawa.lg.jp>", f"zeimu@{DOMAIN}", f"投稿 {i}", f"本文 {i}\n",
                Message_ID=f"<crash-{i}@pref.yamakawa.lg.jp>")


def send_all(port: int, indexes: list[int], acked: set[int], lock: threading.Lock) -> None:
    """One client: a connection, many messages; stops at the first broken connection."""
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=20) as client:
            for i in indexes:
                client.send_message(message(i), "sato@pref.yamakawa.lg.jp", [f"zeimu@{DOMAIN}"])
                with lock:
                    acked.add(i)
    except (smtplib.SMTPException, OSError):
        pass


def run_clients(port: int, indexes: list[int], acked: set[int], kill: subprocess.Popen | None) -> None:
    lock = threading.Lock()
    shares = [indexes[n::CLIENTS] for n in range(CLIENTS)]
    threads = [threading.Thread(target=send_all, args=(port, share, acked, lock)) for share in shares]
    for thread in threads:
        thread.start()
    if kill is not None:
        while len(acked) < KILL_AFTER_ACKS and any(t.is_alive() for t in threads):
            time.sleep(0.005)
        os.kill(kill.pid, signal.SIGKILL)
        kill.wait()
    for thread in threads:
        thread.join()


async def wait_until_processed(db_path: Path) -> dict[str, int]:
    db = await Database.open(db_path)
    try:
        for _ in range(600):
            pending = await db.fetchval("SELECT COUNT(*) FROM spool WHERE status = 'received'")
            if pending == 0:
                break
            await asyncio.sleep(0.1)
        rows = await db.fetchall("SELECT message_id, COUNT(*) AS n FROM posts GROUP BY message_id")
        return {row["message_id"]: row["n"] for row in rows}
    finally:
        await db.close()


async def test_kill_9_during_load_loses_nothing_and_stores_nothing_twice(tmp_path):
    data_dir = make_data_dir(tmp_path / "data")
    async with open_context(data_dir) as ctx:
        await seed(ctx)
    acked: set[int] = set()
    server, port = start_server(data_dir)
    await asyncio.to_thread(run_clients, port, list(range(MESSAGES)), acked, server)
    acked_before_kill = set(acked)
    assert KILL_AFTER_ACKS <= len(acked_before_kill) < MESSAGES

    server, port = start_server(data_dir)
    try:
        stored_after_restart = await wait_until_processed(data_dir / "kairan.db")
        assert {f"<crash-{i}@pref.yamakawa.lg.jp>" for i in acked_before_kill} <= set(stored_after_restart)
        assert set(stored_after_restart.values()) == {1}
        await asyncio.to_thread(run_clients, port, list(range(MESSAGES)), acked, None)   # clients retry all
        stored = await wait_until_processed(data_dir / "kairan.db")
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert len(acked) == MESSAGES
    assert stored == {f"<crash-{i}@pref.yamakawa.lg.jp>": 1 for i in range(MESSAGES)}
