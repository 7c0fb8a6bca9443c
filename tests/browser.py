"""The real `kairan serve` in a subprocess over a temp data folder, and a locked-down Chromium.

Mail enters over SMTP on the port the server reports; the browser may talk to
the app's host only: any other request is aborted and recorded.
"""

from __future__ import annotations

import asyncio
import os
import smtplib
import socket
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from archive.members import add_member, set_password_hash
from archive.orgs import add_org
from archive.passwords import hash_password
from archive.spaces import create_space
from kairan.context import open_context

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "browser-test-2026"
DOMAIN = "kairan.test.lg.jp"
ARTIFACTS = Path(__file__).parent / "artifacts"

ORGS = (("pref", "山河県", "pref.yamakawa.lg.jp"), ("aoba", "青葉市", "city.aoba.lg.jp"),
        ("wakaba", "若葉町", "town.wakaba.lg.jp"))
PEOPLE = (("sato-k@pref.yamakawa.lg.jp", "佐藤 健一", "pref", "総務部 税務課"),
          ("suzuki-h@city.aoba.lg.jp", "鈴木 裕子", "aoba", "財務部 資産税課"),
          ("ito-s@town.wakaba.lg.jp", "伊藤 翔太", "wakaba", "税務住民課"))
ORG_ADMINS = {"ito-s@town.wakaba.lg.jp"}       # may mark 該当なし for 若葉町


@dataclass
class Server:
    process: subprocess.Popen
    data: Path
    base_url: str
    smtp: tuple[str, int]
    log: list[str] = field(default_factory=list)

    def send(self, msg: EmailMessage, to: str = "zeimu") -> None:
        with smtplib.SMTP(*self.smtp, timeout=10) as client:
            client.send_message(msg, from_addr=msg["From"].addresses[0].addr_spec, to_addrs=[f"{to}@{DOMAIN}"])

    def wait_for_posts(self, count: int, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with sqlite3.connect(self.data / "kairan.db") as db:
                if db.execute("SELECT COUNT(*) FROM posts").fetchone()[0] >= count:
                    return
            time.sleep(0.05)
        raise TimeoutError(f"the server stored fewer than {count} posts")

    def wait_for_index(self, timeout: float = 20) -> None:
        """Until the server's indexer has taken every queued post (the queue row goes when indexed)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with sqlite3.connect(self.data / "kairan.db") as db:
                if db.execute("SELECT COUNT(*) FROM index_queue").fetchone()[0] == 0:
                    return
            time.sleep(0.05)
        raise TimeoutError("the server's indexer did not catch up")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def populate(data: Path) -> None:
    async with open_context(data) as ctx:
        for slug, name, domain in ORGS:
            await add_org(ctx.db, slug, name, [domain])
        hashed = await asyncio.to_thread(hash_password, PASSWORD)
        for email, name, org, dept in PEOPLE:
            member = await add_member(ctx.db, email, name, org, dept, org_admin=email in ORG_ADMINS)
            await set_password_hash(ctx.db, member.id, hashed)
        await create_space(ctx.db, "zeimu", "税務担当者連絡会", [p[0] for p in PEOPLE])


def kairan(data: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "kairan", "--data", str(data), *args]


def start_server(data: Path) -> Server:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    subprocess.run(kairan(data, "init", "--domain", DOMAIN), check=True, capture_output=True, env=env)
    asyncio.run(populate(data))
    port = free_port()
    process = subprocess.Popen(kairan(data, "serve", "--http", f"127.0.0.1:{port}", "--smtp", "127.0.0.1:0"),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    line = process.stdout.readline()
    if "SMTP on" not in line:
        process.kill()
        raise RuntimeError(f"kairan serve did not start: {line}{process.stdout.read()}")
    smtp = line.split("SMTP on ", 1)[1].split(";")[0].split(",")[0].strip()
    host, _, smtp_port = smtp.rpartition(":")
    server = Server(process, data, f"http://127.0.0.1:{port}", (host, int(smtp_port)))
    wait_for_http(port)
    return server


def wait_for_http(port: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError("the web server did not listen")


SATO = "sato-k@pref.yamakawa.lg.jp"


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Watch:
    """What must never happen: a request to another host, a dialog, a CSP violation, an error."""

    def __init__(self):
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.console: list[str] = []


@pytest.fixture
def page(server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
    watch = Watch()
    app_host = urlsplit(server.base_url).netloc

    def guard(route):
        if urlsplit(route.request.url).netloc == app_host:
            route.continue_()
        else:
            watch.outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    tab = context.new_page()
    tab.on("dialog", lambda dialog: (watch.dialogs.append(dialog.message), dialog.dismiss()))
    tab.on("console", lambda msg: watch.console.append(msg.text) if msg.type in ("error", "warning") else None)
    tab.on("pageerror", lambda error: watch.console.append(str(error)))
    tab.watch = watch
    yield tab
    context.close()
    assert watch.outside == [] and watch.dialogs == [], (watch.outside, watch.dialogs)


def sign_in(page: Page, server, email: str = SATO) -> None:
    page.goto(server.base_url + "/")
    expect(page).to_have_url(server.base_url + "/signin?next=%2F")
    page.get_by_label("メールアドレス").first.fill(email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="サインイン").click()
    expect(page.get_by_role("heading", name="参加しているスペース")).to_be_visible()
