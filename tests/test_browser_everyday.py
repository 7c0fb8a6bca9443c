"""Everyday use in a real browser: phone and desktop widths, axe-core (WCAG 2.2 AA), keyboard only,
the home page that says what needs me, search by topic, IME-safe Enter.

One `kairan serve` and one Chromium for the module; each width gets one browser context whose tab
visits every page in turn. axe-core is axe-playwright-python's copy, evaluated through the
DevTools protocol (which the page's strict CSP does not govern): production keeps its CSP.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser import ARTIFACTS, PASSWORD, SATO, sign_in, start_server
from tests.world import mail

SUZUKI = "suzuki-h@city.aoba.lg.jp"         # 青葉市: answers the inquiry
ITO = "ito-s@town.wakaba.lg.jp"             # 若葉町: still owes an answer; also made system admin here
DEADLINE = datetime.now(ZoneInfo("Asia/Tokyo")).date() + timedelta(days=3)      # the deployment's today + 3
INQUIRY = f"【照会】避難所の備蓄状況について（回答期限：{DEADLINE.month}月{DEADLINE.day}日）"
OTHER = "備蓄倉庫の点検日程"
WIDTHS = {"phone": (390, 844), "desktop": (1280, 800), "narrow": (360, 740)}       # axe on the first two
SERIOUS = ("serious", "critical")

OUTSIDE_HEADER = """() => {
  const width = window.innerWidth, outside = [];
  for (const el of document.querySelectorAll('header.topbar *')) {
    const box = el.getBoundingClientRect(), style = getComputedStyle(el);
    if ((box.width === 0 && box.height === 0) || style.visibility === 'hidden' || el.closest('.sr-only')) continue;
    if (box.left < -0.5 || box.right > width + 0.5) outside.push(el.tagName + '.' + el.className);
  }
  return {scroll: document.documentElement.scrollWidth, inner: width, outside: outside};
}"""

SMALL_TARGETS = """() => {
  const small = [];
  const targets = document.querySelectorAll('header.topbar a, header.topbar button, header.topbar input, ' +
      'main .button, main button, main summary, main select, main input:not([type=hidden]):not([type=radio])' +
      ':not([type=checkbox]):not(.sr-only), .facet-list a, .view-switch a, .footer button');
  for (const el of targets) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.height < 43.5) small.push(el.tagName + '.' + el.className + ' ' + Math.round(box.height));
  }
  return small;
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("kairan-everyday"))
    try:
        ask = mail(SATO, INQUIRY, "各市町 ご担当者様\n\n避難所の備蓄数をお知らせください。\n\n佐藤\n",
                   hours_ago=30, message_id="<e1@pref.yamakawa.lg.jp>", name="佐藤 健一")
        answer = mail(SUZUKI, "Re: " + INQUIRY, "佐藤様\n\nお世話になっております。\n青葉市です。備蓄の毛布は1,200枚です。\n",
                      hours_ago=20, message_id="<e2@city.aoba.lg.jp>", in_reply_to="<e1@pref.yamakawa.lg.jp>",
                      name="鈴木 裕子")
        more = mail(SATO, "Re: " + INQUIRY, "鈴木様\n\nありがとうございます。備蓄の水も教えてください。\n\n"
                    "> 備蓄の毛布は1,200枚です。\n", hours_ago=10, message_id="<e3@pref.yamakawa.lg.jp>",
                    in_reply_to="<e2@city.aoba.lg.jp>", name="佐藤 健一")
        other = mail(SUZUKI, OTHER, "倉庫の備蓄品の点検を来月行います。\n", hours_ago=5,
                     message_id="<e4@city.aoba.lg.jp>", name="鈴木 裕子")
        for msg in (ask, answer, more, other):
            srv.send(msg)
        srv.wait_for_posts(4)
        srv.wait_for_index()
        with sqlite3.connect(srv.data / "kairan.db") as db:
            db.execute("UPDATE members SET is_admin = 1 WHERE id = (SELECT member_id FROM member_addresses "
                       "WHERE address = ?)", (ITO,))
        yield srv
    finally:
        srv.stop()


def new_tab(browser, server, width: int, height: int, **options) -> Page:
    """A tab that may talk to the app's host only (anything else is aborted and fails the test)."""
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": width, "height": height},
                                  **options)
    app_host = urlsplit(server.base_url).netloc
    outside: list[str] = []

    def guard(route):
        if urlsplit(route.request.url).netloc == app_host:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()
    context.route("**/*", guard)
    tab = context.new_page()
    tab.outside = outside
    return tab


def thread_ids(server) -> dict[str, int]:
    with sqlite3.connect(server.data / "kairan.db") as db:
        return {subject: tid for tid, subject in db.execute("SELECT id, subject FROM threads")}


def page_paths(server) -> dict[str, str]:
    ids = thread_ids(server)
    inquiry = ids[INQUIRY]
    return {"home": "/", "space": "/s/zeimu/", "thread": f"/s/zeimu/t/{inquiry}/", "search": "/search?q=備蓄",
            "settings": "/settings", "profile": "/profile", "inquiry": f"/s/zeimu/t/{inquiry}/inquiry",
            "admin": "/admin/members", "spool": "/admin/spool", "directory": "/directory"}


def test_every_page_fits_phone_and_desktop_and_passes_axe(server, browser):
    moderate: list[str] = []
    for name, (width, height) in WIDTHS.items():
        tab = new_tab(browser, server, width, height)
        try:
            sign_in(tab, server, ITO)
            for page_name, path in page_paths(server).items():
                tab.goto(server.base_url + path)
                expect(tab.locator("main h1").first).to_be_attached()
                layout = tab.evaluate(OUTSIDE_HEADER)
                assert layout["scroll"] <= layout["inner"], (name, page_name, layout)
                assert layout["outside"] == [], (name, page_name, layout)
                if name == "phone":
                    assert tab.evaluate(SMALL_TARGETS) == [], (page_name, "tap targets under 44 px")
                    tab.screenshot(path=ARTIFACTS / f"phone-{page_name}.png", full_page=True)
                if name == "narrow":
                    continue
                found = Axe().run(tab).response["violations"]
                bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in found
                       if v["impact"] in SERIOUS]
                assert bad == [], (name, page_name, bad)
                moderate += [f"{name} {page_name}: {v['id']} ({v['impact']}) x{len(v['nodes'])}" for v in found]
            assert tab.outside == []
        finally:
            tab.context.close()
    (ARTIFACTS / "axe-moderate.txt").write_text("\n".join(moderate) + "\n", encoding="utf-8")


def test_english_pages_say_lang_en(server, browser):
    tab = new_tab(browser, server, 390, 844, extra_http_headers={"Accept-Language": "en"})
    try:
        sign_in(tab, server, ITO)
        tab.get_by_role("button", name="English").click()
        expect(tab.locator("html")).to_have_attribute("lang", "en")
        tab.goto(server.base_url + "/settings")
        layout = tab.evaluate(OUTSIDE_HEADER)
        assert layout["scroll"] <= layout["inner"] and layout["outside"] == [], layout
        tab.get_by_role("button", name="日本語").click()
        expect(tab.locator("html")).to_have_attribute("lang", "ja")
    finally:
        tab.context.close()


def test_home_shows_the_pending_inquiry_to_the_asked_org_only(server, browser):
    tab = new_tab(browser, server, 390, 844)
    try:
        sign_in(tab, server, ITO)
        waiting = tab.locator(".waiting-item")
        expect(waiting).to_have_count(1)
        expect(waiting).to_contain_text(INQUIRY)
        expect(waiting).to_contain_text("あと3日")
        expect(waiting).to_contain_text("山河県")
        expect(tab.locator(".recent-item").first).to_contain_text(OTHER)       # newest first
        expect(tab.locator(".space-card")).to_contain_text("税務担当者連絡会")
        waiting.get_by_role("link", name="回答する").click()
        expect(tab).to_have_url(re.compile(r"/t/\d+/#reply$"))
        tab.context.clear_cookies()
        sign_in(tab, server, SUZUKI)                # 青葉市 has answered: nothing waits
        expect(tab.locator(".recent-item").first).to_be_visible()
        expect(tab.locator(".waiting-item")).to_have_count(0)
        tab.context.clear_cookies()
        sign_in(tab, server, SATO)                  # the asker's organization owes nothing
        expect(tab.locator(".waiting-item")).to_have_count(0)
    finally:
        tab.context.close()


def test_search_groups_a_thread_into_one_hit_and_switches_to_posts(server, browser):
    tab = new_tab(browser, server, 1280, 800)
    try:
        sign_in(tab, server, SATO)
        box = tab.get_by_role("searchbox", name="アーカイブを検索")
        box.fill("備蓄")
        box.press("Enter")
        hits = tab.locator(".hit")
        expect(hits).to_have_count(2)
        inquiry_hit = tab.locator(".hit", has_text=INQUIRY)
        expect(inquiry_hit.locator(".match-count")).to_have_text("3件")
        expect(tab.locator(".hit-subject", has_text="Re:")).to_have_count(0)
        expect(tab.locator(".result-count")).to_contain_text("4 件")
        expect(tab.locator(".facets")).to_contain_text("青葉市")
        expect(tab.locator(".facets").get_by_role("link", name=re.compile("山河県"))).to_contain_text("2")
        tab.screenshot(path=ARTIFACTS / "search-threads.png", full_page=True)
        tab.get_by_role("link", name="投稿ごと").click()
        expect(hits).to_have_count(4)
        tab.get_by_role("link", name=re.compile("青葉市")).click()
        expect(hits).to_have_count(2)
        expect(tab.locator(".facets .current")).to_contain_text("青葉市")
    finally:
        tab.context.close()


def tab_to(tab: Page, test: str, limit: int = 80) -> None:
    """Presses Tab until the focused element passes `test` (a JS expression over `el`)."""
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if tab.evaluate(f"(() => {{ const el = document.activeElement; return !!el && ({test}); }})()"):
            assert tab.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
            return
    raise AssertionError(f"Tab never reached {test}")


def test_keyboard_only_sign_in_thread_quote_reply_sort_and_settings(server, browser):
    tab = new_tab(browser, server, 1280, 800)
    try:
        tab.goto(server.base_url + "/")
        tab_to(tab, "el.name === 'email'")
        tab.keyboard.type(SUZUKI)
        tab_to(tab, "el.name === 'password'")
        tab.keyboard.type(PASSWORD)
        tab.keyboard.press("Enter")
        expect(tab.get_by_role("heading", name="参加しているスペース")).to_be_visible()
        tab_to(tab, "el.classList.contains('space-card-link')")
        tab.keyboard.press("Enter")
        expect(tab.get_by_role("heading", name="税務担当者連絡会")).to_be_visible()
        tab_to(tab, f"el.classList.contains('thread-link') && el.textContent.includes({INQUIRY!r})")
        tab.keyboard.press("Enter")
        expect(tab.get_by_role("heading", name=INQUIRY)).to_be_visible()
        quote = tab.locator("details.quoted .quote").first
        expect(quote).to_be_hidden()
        tab_to(tab, "el.tagName === 'SUMMARY' && el.parentElement.classList.contains('quoted')")
        tab.keyboard.press("Enter")
        expect(quote).to_be_visible()
        tab_to(tab, "el.id === 'reply-body'")
        tab.keyboard.type("キーボードだけで返信します。")
        tab.keyboard.press("Control+Enter")
        expect(tab.locator("article.post", has_text="キーボードだけで返信します。")).to_be_visible()
        tab.wait_for_load_state()
        tab_to(tab, "el.tagName === 'A' && el.getAttribute('href').endsWith('?sort=status')")
        tab.keyboard.press("Enter")
        expect(tab).to_have_url(re.compile(r"sort=status"))
        tab.wait_for_load_state()
        tab_to(tab, "el.tagName === 'A' && el.getAttribute('href') === '/settings'")
        tab.keyboard.press("Enter")
        expect(tab.get_by_role("heading", name="設定", exact=True)).to_be_visible()
        tab_to(tab, "el.type === 'radio' && el.name === 'mode:zeimu' && el.checked")
        tab.keyboard.press("ArrowRight")        # a radio group moves with the arrows: the next mode
        tab_to(tab, "el.type === 'submit' && el.textContent.includes('設定を保存')")
        tab.keyboard.press("Enter")
        expect(tab.locator(".alert.ok")).to_contain_text("設定を保存しました")
        with sqlite3.connect(server.data / "kairan.db") as db:
            mode = db.execute("SELECT mode FROM memberships WHERE member_id = (SELECT member_id FROM member_addresses"
                              " WHERE address = ?)", (SUZUKI,)).fetchone()[0]
        assert mode == "none"                   # from ダイジェスト (the default) to the next one
    finally:
        tab.context.close()


def test_enter_while_composing_japanese_never_submits(server, browser):
    tab = new_tab(browser, server, 390, 844)
    try:
        sign_in(tab, server, SATO)
        expect(tab.locator("html.has-js")).to_be_attached()        # kairan.js (deferred) has run
        box = tab.get_by_role("searchbox", name="アーカイブを検索")
        box.focus()
        cdp = tab.context.new_cdp_session(tab)
        cdp.send("Input.imeSetComposition", {"text": "びちく", "selectionStart": 3, "selectionEnd": 3})
        tab.keyboard.press("Enter")                 # the IME's own Enter: confirms, must not search
        tab.wait_for_timeout(300)
        assert urlsplit(tab.url).path == "/"
        cdp.send("Input.insertText", {"text": "備蓄"})
        tab.keyboard.press("Enter")                 # an ordinary Enter searches
        expect(tab).to_have_url(re.compile(r"/search\?q="))
        expect(tab.locator(".hit").first).to_be_visible()
    finally:
        tab.context.close()
