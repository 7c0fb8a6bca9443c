"""`kairan serve --demo` as the README tells it: the banner once, the README's first mail notifies someone.

A real `kairan serve --demo` (its own process) on free ports: base_url follows
--http, the banner (addresses, password) is printed when the demo is created
and written down in DATA/demo.txt, and the README's example mail makes a
notification in DATA/outbox/ for the space's member in `each` mode.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from email import message_from_bytes, policy
from pathlib import Path

from kairan.commands.serve import following_http
from kairan.config import HostPort, Settings
from tests.conftest import ROOT
from tests.postfix_support import free_port


def start_demo(data: Path, smtp_port: int, http_port: int) -> tuple[subprocess.Popen, list[str]]:
    """The server and the lines it printed up to its demo banner (or its first line, on a later run)."""
    process = subprocess.Popen([sys.executable, "-m", "kairan", "serve", "--demo", "--data", str(data),
                                "--smtp", f"127.0.0.1:{smtp_port}", "--http", f"127.0.0.1:{http_port}"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "KAIRAN_DATA": ""})
    lines = []
    while line := process.stdout.readline():
        lines.append(line.rstrip("\n"))
        if "written down in" in line or line.startswith("kairan: SMTP on") and "sign-in details" in "".join(lines):
            break
    return process, lines


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)


def post_notifications(outbox: Path) -> list:
    """The outbox's one-mail-per-post notifications (from the space's address), not its digests."""
    found = [message_from_bytes(p.read_bytes(), policy=policy.default) for p in outbox.iterdir()] \
        if outbox.exists() else []
    return [m for m in found if str(m["From"]).endswith("<zeimu@kairan.example.lg.jp>")]


def readme_first_mail() -> str:
    """The README's Python example, exactly as printed there."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", readme, re.S).group(1)
    return "\n".join(line[3:] if line.startswith("   ") else line for line in block.splitlines())


def test_demo_banner_once_and_the_readme_mail_lands_as_a_notification(tmp_path):
    data = tmp_path / "data"
    assert subprocess.run([sys.executable, "-m", "kairan", "init", "--if-missing", "--data", str(data)],
                          cwd=ROOT, capture_output=True).returncode == 0
    smtp_port, http_port = free_port(), free_port()
    process, lines = start_demo(data, smtp_port, http_port)
    try:
        banner = "\n".join(lines)
        assert "kairan-demo-2026" in banner and "sato-k@pref.yamakawa.lg.jp" in banner
        assert f"sign in on http://127.0.0.1:{http_port}/" in banner
        assert "suzuki-h@city.aoba.lg.jp [each]" in banner and "[none]" in banner and "[digest]" in banner
        assert f"written down in {data / 'demo.txt'}" in banner
        assert "kairan-demo-2026" in (data / "demo.txt").read_text(encoding="utf-8")
        code = readme_first_mail()
        assert 'smtplib.SMTP("127.0.0.1", 2525)' in code
        exec(compile(code.replace("2525", str(smtp_port)), "README.md", "exec"), {})
        outbox = data / "outbox" / "new"
        for _ in range(600):                    # digests of the demo's posts may be due too (after 08:00 JST)
            notifications = post_notifications(outbox)
            if notifications:
                break
            time.sleep(0.05)
    finally:
        stop(process)
    assert [str(n["To"]) for n in notifications] == ["鈴木 裕子 <suzuki-h@city.aoba.lg.jp>"]
    body = notifications[0].get_body(("plain",)).get_content()
    assert "準半壊の扱いは県でも整理します。" in body and f"http://127.0.0.1:{http_port}/" in body

    process, lines = start_demo(data, free_port(), free_port())
    stop(process)
    printed = "\n".join(lines)
    assert "kairan-demo-2026" not in printed and f"sign-in details in {data / 'demo.txt'}" in printed


def test_base_url_follows_http_unless_a_public_address_is_set(tmp_path):
    plain = Settings(data_dir=tmp_path, domain="d.lg.jp", base_url="http://127.0.0.1:8080", secret_key="k")
    assert following_http(plain, HostPort("127.0.0.1", 9090)).base_url == "http://127.0.0.1:9090"
    assert following_http(plain, HostPort("0.0.0.0", 9090)).base_url == "http://127.0.0.1:9090"
    assert following_http(plain, HostPort("127.0.0.1", 8080)).base_url == "http://127.0.0.1:8080"
    public = Settings(data_dir=tmp_path, domain="d.lg.jp", base_url="https://kairan.pref.lg.jp", secret_key="k")
    assert following_http(public, HostPort("127.0.0.1", 9090)).base_url == "https://kairan.pref.lg.jp"
