"""Spaces run by their members, in a real browser (Chromium) against the real `kairan serve`:
create through the directory picker, the rule's sentence, a new thread that reaches the others'
outbox like a mail, removing a member (404 on the page, 550 by mail) and closing the space."""

from __future__ import annotations

import email
import smtplib
import sqlite3
import time
from email import policy
from email.message import EmailMessage

import pytest
from playwright.sync_api import Page, expect

from tests.browser import ARTIFACTS, DOMAIN, SATO, sign_in, start_server

SUZUKI, ITO = "suzuki-h@city.aoba.lg.jp", "ito-s@town.wakaba.lg.jp"
TITLE = "研修担当者会議"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("kairan-spaces"))
    try:
        yield srv
    finally:
        srv.stop()


def outbox_subjects(server) -> list[tuple[str, str]]:
    found = []
    for path in (server.data / "outbox").glob("*/*"):
        msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        found.append((str(msg["To"]), str(msg["Subject"])))
    return found


def mail_to(server, sender: str, slug: str) -> None:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, f"{slug}@{DOMAIN}", "研修日程について"
    msg.set_content("日程の件です。")
    server.send(msg, to=slug)


def test_1_a_member_creates_a_space_through_the_directory_picker(page: Page, server):
    sign_in(page, server)
    page.get_by_role("link", name="スペースを作成").click()
    page.wait_for_load_state()
    expect(page.locator("[data-rule]")).to_contain_text("2 つ以上の団体から選んでください")
    page.get_by_label("タイトル").fill(TITLE)
    slug = page.get_by_label("アドレス", exact=True)
    expect(slug).to_have_value("kenshuu-tantousha-kaigi", timeout=20_000)   # suggested from the title
    slug.fill("zeimu")
    expect(page.locator("[data-slug-status]")).to_have_text("このアドレスは既に使われています。別のアドレスにしてください。")
    slug.fill("kenshu")
    expect(page.locator("[data-slug-status]")).to_have_text(f"kenshu@{DOMAIN}")
    page.get_by_text("青葉市", exact=True).click()
    page.get_by_text("財務部 資産税課").click()
    page.get_by_label("鈴木 裕子").check()
    page.get_by_placeholder("名前で絞り込む").fill("伊藤")
    page.get_by_label("伊藤 翔太").check()
    expect(page.locator("[data-picker-count]")).to_have_text("選択中：3 人・3 団体（あなたを含む）")
    page.get_by_label("配信方法（メンバー全員の初期値）").select_option("each")
    page.screenshot(path=ARTIFACTS / "space-new.png", full_page=True)
    page.get_by_role("button", name="スペースを作成").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.locator(".space-admins")).to_contain_text("佐藤 健一")
    expect(page.locator(".space-members")).to_contain_text("財務部 資産税課")
    expect(page.get_by_role("link", name="スペースの設定")).to_be_visible()


def test_2_one_organization_only_gives_the_sentence_and_nothing_is_created(page: Page, server):
    sign_in(page, server)
    page.goto(server.base_url + "/spaces/new")
    page.get_by_label("タイトル").fill("県だけの会議")
    page.get_by_label("アドレス", exact=True).fill("ken-dake")
    page.get_by_role("button", name="スペースを作成").click()
    expect(page.get_by_role("alert")).to_have_text(
        "スペースのメンバーは 2 つ以上の団体から選んでください（いまは 1 団体です）。スペースは作成されていません。")
    page.goto(server.base_url + "/s/ken-dake/")
    expect(page.get_by_role("heading", name="ページが見つかりません")).to_be_visible()


def test_3_a_new_thread_from_the_web_reaches_the_other_members_outbox(page: Page, server, tmp_path):
    sign_in(page, server)
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="新しいスレッド").click()
    page.get_by_label("件名").fill("令和9年度 研修計画")
    page.get_by_label("本文").fill("各団体の研修予定をお知らせください。")
    attachment = tmp_path / "研修計画.txt"
    attachment.write_text("4月 新任研修\n", encoding="utf-8")
    page.locator("input[type=file]").set_input_files(attachment)
    page.get_by_role("button", name="スレッドを投稿").click()
    expect(page.get_by_role("heading", name="令和9年度 研修計画")).to_be_visible()
    expect(page.get_by_role("link", name="研修計画.txt")).to_be_visible()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        got = outbox_subjects(server)
        if {SUZUKI, ITO} <= {to.split("<")[-1].rstrip(">") for to, subject in got if "令和9年度 研修計画" in subject}:
            break
        time.sleep(0.2)
    else:
        with sqlite3.connect(server.data / "kairan.db") as db:
            state = (db.execute("SELECT member_id, role, mode FROM memberships WHERE space_id = "
                                "(SELECT id FROM spaces WHERE slug = 'kenshu')").fetchall(),
                     db.execute("SELECT kind, member_id, status, error FROM deliveries").fetchall())
        pytest.fail(f"no notification to the other members: {outbox_subjects(server)} {state}")


def test_4_an_admin_removes_a_member_who_then_gets_404_and_550(page: Page, server, browser):
    sign_in(page, server)
    page.goto(server.base_url + "/s/kenshu/settings")
    page.get_by_role("button", name="鈴木 裕子 さんをスペースから外す").click()
    expect(page.get_by_role("status")).to_have_text("メンバーを外しました。")
    expect(page.locator(".members-table")).not_to_contain_text("鈴木 裕子")
    context = browser.new_context(locale="ja-JP")
    other = context.new_page()
    try:
        sign_in(other, server, SUZUKI)
        other.goto(server.base_url + "/s/kenshu/")
        expect(other.get_by_role("heading", name="ページが見つかりません")).to_be_visible()
    finally:
        context.close()
    time.sleep(1.1)                                  # the gateway reuses membership answers for a second
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        mail_to(server, SUZUKI, "kenshu")
    assert next(iter(refused.value.recipients.values()))[0] == 550


def test_5_a_closed_space_refuses_mail_stays_readable_and_has_no_reply_form(page: Page, server):
    sign_in(page, server)
    page.goto(server.base_url + "/s/kenshu/settings")
    page.get_by_role("button", name="スペースを閉鎖").click()
    expect(page.get_by_role("status")).to_have_text("スペースを閉鎖しました。")
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        mail_to(server, SATO, "kenshu")
    code, text = next(iter(refused.value.recipients.values()))
    assert code == 550 and b"is closed" in text
    page.goto(server.base_url + "/")
    expect(page.locator(".closed-spaces")).to_contain_text(TITLE)
    page.locator(".closed-spaces").get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("status")).to_contain_text("このスペースは閉鎖されています")
    expect(page.get_by_role("link", name="新しいスレッド")).to_have_count(0)
    page.get_by_role("link", name="令和9年度 研修計画").click()
    expect(page.locator("article.post")).to_contain_text("各団体の研修予定をお知らせください。")
    expect(page.get_by_role("button", name="返信を投稿")).to_have_count(0)
    page.screenshot(path=ARTIFACTS / "space-closed-thread.png", full_page=True)
    assert page.watch.console == [], page.watch.console
