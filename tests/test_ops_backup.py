"""`kairan backup` while `kairan serve` takes mail from eight clients, then `restore`, `check`, `search`.

Every message acknowledged (250) before the backup started must be in the
restored folder; the restored folder checks clean and answers searches.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import smtplib
import subprocess
import sys
import threading
import time
from pathlib import Path

from kairan.cli import main
from kairan.context import open_context
from tests.conftest import DOMAIN, ROOT, mail, make_data_dir, seed
from tests.test_crash_safety import start_server

CLIENTS = 8
MEMBER = "sato@pref.yamakawa.lg.jp"


def kairan(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kairan", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "KAIRAN_DATA": ""}, timeout=300)


def client(port: int, number: int, acked: list[tuple[float, str]], stop: threading.Event) -> None:
    """One client, one connection: messages until told to stop; each acknowledgement timed."""
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        n = 0
        while not stop.is_set() and n < 400:
            message_id = f"<backup-{number}-{n}@pref.yamakawa.lg.jp>"
            smtp.send_message(mail(f"佐藤 <{MEMBER}>", f"zeimu@{DOMAIN}", f"運用試験 {number}-{n}", f"本文 {n}\n",
                                   Message_ID=message_id), MEMBER, [f"zeimu@{DOMAIN}"])
            acked.append((time.monotonic(), message_id))
            n += 1


async def restored_message_ids(data_dir: Path) -> set[str]:
    async with open_context(data_dir) as ctx:
        return {row[0] for row in await ctx.db.fetchall("SELECT message_id FROM posts")}


async def test_backup_while_eight_clients_send_then_restore_check_and_search(tmp_path):
    data, backup, restored = make_data_dir(tmp_path / "data"), tmp_path / "backup", tmp_path / "restored"
    async with open_context(data) as ctx:
        await seed(ctx)
    server, port = await asyncio.to_thread(start_server, data)
    acked: list[tuple[float, str]] = []
    stop = threading.Event()
    threads = [threading.Thread(target=client, args=(port, n, acked, stop)) for n in range(CLIENTS)]
    try:
        for thread in threads:
            thread.start()
        while len(acked) < 80:
            await asyncio.sleep(0.01)
        started = time.monotonic()
        before = {message_id for at, message_id in list(acked) if at < started}
        result = await asyncio.to_thread(kairan, "backup", str(backup), "--data", str(data))
        during = len(acked)
        await asyncio.sleep(0.3)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    assert result.returncode == 0, result.stderr
    assert f"backup of {data} in {backup}" in result.stdout
    # mail kept being acknowledged while the backup ran (after it, back-pressure may defer the rest)
    assert during > len(before) >= 80
    manifest = json.loads((backup / "BACKUP.json").read_text())
    assert manifest["posts"] + manifest["spooled"] >= len(before)     # as posts, or still in the spool
    assert not (backup / "index").exists()

    result = await asyncio.to_thread(kairan, "restore", str(backup), "--data", str(restored))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "check: 0 problems" in result.stdout
    assert before <= await restored_message_ids(restored)

    result = await asyncio.to_thread(kairan, "check", "--data", str(restored))
    assert result.returncode == 0 and "no problems" in result.stdout, result.stdout + result.stderr
    result = await asyncio.to_thread(kairan, "search", "運用試験", "--as", MEMBER, "--data", str(restored), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["total"] >= len(before)


def test_backup_refuses_a_folder_that_is_not_empty_and_restore_a_folder_that_is_no_backup(tmp_path, capsys):
    data = make_data_dir(tmp_path / "data")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    assert main(["backup", str(tmp_path / "full"), "--data", str(data)]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "not empty: choose a new folder" in error
    assert main(["restore", str(tmp_path / "full"), "--data", str(tmp_path / "new")]) == 1
    assert "not a kairan backup" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()
