"""The web archive in a real browser (Chromium via Playwright) against the real `kairan serve`."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser import ARTIFACTS, sign_in, start_server
from tests.hostile import hostile_mail
from tests.world import mail

THREAD = "固定資産税の減免申請（災害被災家屋）について"


def seed(server) -> None:
    first = mail("suzuki-h@city.aoba.lg.jp", THREAD,
                 "佐藤様\n\n青葉市資産税課の鈴木です。\n先月の豪雨で被災した家屋について、固定資産税の減免申請が増えています。\n"
                 "減免割合の判定基準について、県として統一の目安はありますでしょうか。\n\nよろしくお願いいたします。\n",
                 hours_ago=30, message_id="<b1@city.aoba.lg.jp>", name="鈴木 裕子")
    reply = mail("ito-s@town.wakaba.lg.jp", "Re: " + THREAD,
                 "若葉町の伊藤です。\n当町では準半壊を3割減免としています。要綱を添付しますのでご参考まで。\n\n"
                 "2026年11月26日(木) 10:00 鈴木 裕子 <suzuki-h@city.aoba.lg.jp>:\n"
                 "> 減免割合の判定基準について、県として統一の目安はありますでしょうか。\n",
                 hours_ago=20, message_id="<b2@town.wakaba.lg.jp>", in_reply_to="<b1@city.aoba.lg.jp>",
                 name="伊藤 翔太")
    reply.add_attachment("第3条 準半壊の家屋は税額の10分の3を減免する。\n".encode(), maintype="text",
                         subtype="plain", filename="減免要綱（抜粋）.txt")
    for msg in (first, reply, hostile_mail()):
        server.send(msg)
    server.wait_for_posts(3)
    server.wait_for_index()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("kairan-data"))
    try:
        seed(srv)
        yield srv
    finally:
        srv.stop()


def open_thread(page: Page, server) -> None:
    page.get_by_role("link", name="税務担当者連絡会").click()
    page.get_by_role("link", name=THREAD).first.click()
    expect(page.get_by_role("heading", name=THREAD)).to_be_visible()


def test_sign_in_shows_my_spaces_with_unread_counts(page, server):
    sign_in(page, server)
    expect(page.locator(".space-card")).to_contain_text("税務担当者連絡会")
    expect(page.locator(".space-card .badge.unread")).to_have_text("未読 3")
    page.screenshot(path=ARTIFACTS / "home.png", full_page=True)


def test_space_page_lists_threads_and_members(page, server):
    sign_in(page, server)
    page.get_by_role("link", name="税務担当者連絡会").click()
    expect(page.locator(".thread-list")).to_contain_text(THREAD)
    expect(page.locator(".side-card")).to_contain_text(["若葉町"])
    page.screenshot(path=ARTIFACTS / "space.png", full_page=True)


def test_thread_shows_the_reply_and_the_quote_opens_on_click(page, server):
    sign_in(page, server)
    open_thread(page, server)
    post = page.locator("article.post", has_text="若葉町の伊藤です。")
    quote = post.locator("details.quoted .quote")
    expect(quote).to_be_hidden()
    post.get_by_text("引用と署名を表示").click()
    expect(quote).to_be_visible()
    expect(quote).to_contain_text("> 減免割合の判定基準について")
    page.screenshot(path=ARTIFACTS / "thread.png", full_page=True)


def test_search_in_japanese_highlights_and_leads_to_the_post(page, server):
    sign_in(page, server)
    box = page.get_by_role("searchbox", name="アーカイブを検索")
    box.fill("準半壊 減免")
    box.press("Enter")
    expect(page.locator(".result-count")).to_contain_text("検索結果：1 件")
    expect(page.locator(".snippet mark").first).to_have_text("準半壊")
    page.screenshot(path=ARTIFACTS / "search.png", full_page=True)
    page.locator(".hit-subject").first.click()
    expect(page.get_by_role("heading", name=THREAD)).to_be_visible()
    expect(page).to_have_url(re.compile(r"#post-\d+$"))


def test_attachment_downloads_with_its_japanese_name(page, server):
    sign_in(page, server)
    open_thread(page, server)
    with page.expect_download() as info:
        page.get_by_role("link", name="減免要綱（抜粋）.txt").click()
    download = info.value
    assert download.suggested_filename == "減免要綱（抜粋）.txt"
    assert download.path().read_text(encoding="utf-8") == "第3条 準半壊の家屋は税額の10分の3を減免する。\n"


def test_reply_with_an_attachment_appears_in_the_thread(page, server, tmp_path):
    sign_in(page, server)
    open_thread(page, server)
    upload = tmp_path / "回答一覧.csv"
    upload.write_text("市町,減免割合\n山河県,目安のみ\n", encoding="utf-8")
    page.get_by_label("本文").fill("県の佐藤です。各市町の運用を一覧にしました。")
    page.locator("input[type=file]").set_input_files(upload)
    page.get_by_role("button", name="返信を投稿").click()
    posted = page.locator("article.post", has_text="各市町の運用を一覧にしました。")
    expect(posted).to_be_visible()
    expect(posted.get_by_role("link", name="回答一覧.csv")).to_be_visible()
    expect(posted.locator(".badge.soft")).to_have_text("Webから投稿")


def test_hostile_mail_runs_no_script_and_fetches_nothing(page, server):
    sign_in(page, server, "ito-s@town.wakaba.lg.jp")
    page.get_by_role("link", name="税務担当者連絡会").click()
    page.locator(".thread-link", has_text="件名").click()
    for summary in page.locator("details > summary").all():
        summary.click()
    expect(page.locator(".mail-html")).to_contain_text("危険なメールの本文です")
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("form[action*='evil']").count() == 0
    assert page.watch.console == [], page.watch.console
    expect(page.locator("h1")).to_contain_text("<script>")
    page.screenshot(path=ARTIFACTS / "hostile.png", full_page=True)


def test_pages_work_without_javascript(server, browser):
    context = browser.new_context(java_script_enabled=False, locale="ja-JP")
    page = context.new_page()
    try:
        sign_in(page, server)
        open_thread(page, server)
        post = page.locator("article.post", has_text="若葉町の伊藤です。")
        post.get_by_text("引用と署名を表示").click()
        expect(post.locator("details.quoted .quote")).to_be_visible()
        expect(page.locator("[data-toggle-all]")).to_be_hidden()      # the JS-only control stays out of the way
    finally:
        context.close()
