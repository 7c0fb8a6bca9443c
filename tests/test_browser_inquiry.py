"""An inquiry and the settings page in a real browser (Chromium via Playwright) against the real `kairan serve`.

Uses the locked-down browser and page of tests/browser.py (no request leaves the app's host,
no dialog) with a server of its own, so the unread counts there are not disturbed.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser import ARTIFACTS, sign_in, start_server
from tests.world import mail

ITO = "ito-s@town.wakaba.lg.jp"            # 若葉町, its org admin
DEADLINE = date.today() + timedelta(days=7)
SUBJECT = f"【照会】避難所の備蓄状況について（回答期限：{DEADLINE.month}月{DEADLINE.day}日）"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("kairan-inquiry"))
    try:
        ask = mail("sato-k@pref.yamakawa.lg.jp", SUBJECT, "各市町 ご担当者様\n\n備蓄数をお知らせください。\n\n佐藤\n",
                   hours_ago=5, message_id="<q1@pref.yamakawa.lg.jp>", name="佐藤 健一")
        answer = mail("suzuki-h@city.aoba.lg.jp", "Re: " + SUBJECT, "青葉市です。毛布は1,200枚を確保済みです。\n",
                      hours_ago=2, message_id="<q2@city.aoba.lg.jp>", in_reply_to="<q1@pref.yamakawa.lg.jp>",
                      name="鈴木 裕子")
        answer.add_attachment("品目,数量\n毛布,1200\n".encode(), maintype="text", subtype="csv",
                              filename="備蓄状況_青葉市.csv")
        for msg in (ask, answer):
            srv.send(msg)
        srv.wait_for_posts(2)
        yield srv
    finally:
        srv.stop()


def row(page: Page, org: str):
    return page.locator("#inquiry tr", has=page.get_by_role("rowheader", name=org))


def test_inquiry_thread_shows_the_matrix_and_an_org_admin_marks_not_applicable(page, server):
    sign_in(page, server, ITO)
    page.get_by_role("link", name="税務担当者連絡会").click()
    page.get_by_role("link", name=SUBJECT).first.click()
    matrix = page.locator("#inquiry")
    expect(matrix.get_by_role("heading", name="照会 回答状況")).to_be_visible()
    expect(row(page, "青葉市").locator(".status")).to_have_text("✓回答済み")
    expect(row(page, "青葉市")).to_contain_text("毛布は1,200枚")
    expect(row(page, "青葉市").get_by_role("link", name="備蓄状況_青葉市.csv")).to_be_visible()
    expect(row(page, "若葉町").locator(".status")).to_have_text("…未回答")
    expect(matrix.get_by_role("link", name="Excel（XLSX）")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "inquiry-before.png", full_page=True)
    row(page, "若葉町").get_by_role("button", name="該当なしにする").click()
    expect(page).to_have_url(re.compile(r"/t/\d+/#inquiry$"))
    expect(row(page, "若葉町").locator(".status")).to_have_text("−該当なし")
    expect(row(page, "若葉町")).to_contain_text("伊藤 翔太")
    expect(row(page, "若葉町").get_by_role("button", name="回答待ちに戻す")).to_be_visible()
    assert page.watch.console == [], page.watch.console
    page.screenshot(path=ARTIFACTS / "inquiry.png", full_page=True)


def test_settings_switches_a_space_to_each_post(page, server):
    sign_in(page, server, ITO)
    page.get_by_role("link", name="設定").click()
    expect(page.get_by_role("heading", name="設定", exact=True)).to_be_visible()
    space = page.get_by_role("group", name="税務担当者連絡会")
    expect(space.get_by_role("radio", name=re.compile("^ダイジェスト"))).to_be_checked()
    space.get_by_role("radio", name=re.compile("^1通ずつ")).check()
    page.get_by_role("button", name="設定を保存").click()
    expect(page.get_by_role("status")).to_have_text("✓ 設定を保存しました。")
    expect(page.get_by_role("group", name="税務担当者連絡会").get_by_role("radio", name=re.compile("^1通ずつ"))) \
        .to_be_checked()
    with sqlite3.connect(server.data / "kairan.db") as db:
        mode = db.execute("""SELECT ms.mode FROM memberships ms JOIN members m ON m.id = ms.member_id
                             JOIN member_addresses a ON a.member_id = m.id
                             JOIN spaces s ON s.id = ms.space_id WHERE a.address = ? AND s.slug = 'zeimu'""",
                          (ITO,)).fetchone()[0]
    assert mode == "each"
    assert page.watch.console == [], page.watch.console
    page.screenshot(path=ARTIFACTS / "settings.png", full_page=True)
