"""The 「送信元未確認」 mark in a real browser against the real `kairan serve`, opened from the keyboard.

青葉市's policy is set with the real command (`kairan org set`) while the server runs; mail
then comes over SMTP from its trusted relay (127.0.0.2) and from a machine of nobody's (127.0.0.3).
"""

from __future__ import annotations

import smtplib
import subprocess
import time

import pytest
from playwright.sync_api import expect

from tests.browser import ARTIFACTS, DOMAIN, kairan, sign_in, start_server
from tests.world import mail

SUZUKI = "suzuki-h@city.aoba.lg.jp"
RELAY, STRANGER = "127.0.0.2", "127.0.0.3"


def send_from(server, source: str, subject: str) -> None:
    msg = mail(SUZUKI, subject, f"{subject}の本文です。\n", name="鈴木 裕子")
    with smtplib.SMTP(*server.smtp, source_address=(source, 0), timeout=10) as client:
        client.send_message(msg, from_addr=SUZUKI, to_addrs=[f"zeimu@{DOMAIN}"])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("kairan-assurance"))
    try:
        done = subprocess.run(kairan(srv.data, "org", "set", "aoba", "--relay", f"{RELAY}/32", "--assurance", "mark"),
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == f"organization aoba: relays {RELAY}/32; dkim optional; assurance mark"
        time.sleep(1.1)                     # the gateway's answers are at most a second old
        send_from(srv, RELAY, "中継サーバーから届いた連絡")
        send_from(srv, STRANGER, "出所の分からない連絡")
        srv.wait_for_posts(2)
        yield srv
    finally:
        srv.stop()


def test_an_unverified_post_shows_the_mark_and_its_evidence_from_the_keyboard(page, server):
    sign_in(page, server)
    page.get_by_role("link", name="税務担当者連絡会").click()
    page.get_by_role("link", name="出所の分からない連絡").click()
    post = page.locator("article.post")
    mark = post.locator("summary", has_text="送信元未確認")
    expect(mark).to_be_visible()
    evidence = post.locator(".sender-evidence")
    expect(evidence).to_be_hidden()
    mark.focus()
    page.keyboard.press("Enter")
    expect(evidence).to_be_visible()
    expect(evidence).to_contain_text(STRANGER)
    expect(evidence).to_contain_text("信頼する中継サーバーではありません")
    expect(evidence).to_contain_text("送信者の団体（青葉市）のメールサーバーから送られたことを確認できませんでした")
    page.screenshot(path=ARTIFACTS / "sender-unverified.png", full_page=True)
    page.keyboard.press("Enter")
    expect(evidence).to_be_hidden()
    assert page.watch.console == [], page.watch.console


def test_a_post_through_the_trusted_relay_has_no_mark(page, server):
    sign_in(page, server)
    page.get_by_role("link", name="税務担当者連絡会").click()
    page.get_by_role("link", name="中継サーバーから届いた連絡").click()
    expect(page.locator("article.post")).to_contain_text("中継サーバーから届いた連絡の本文です。")
    expect(page.get_by_text("送信元未確認")).to_have_count(0)
