"""The CSV registration in a real browser (Chromium via Playwright) against the real `kairan serve`:
an org admin uploads an Excel CP932 file, sees the preview line by line, fixes it, and applies it."""

from __future__ import annotations

import sqlite3

import pytest
from playwright.sync_api import expect

from tests.browser import ARTIFACTS, sign_in, start_server

ITO = "ito-s@town.wakaba.lg.jp"            # 若葉町's org admin (tests/browser.py)
HEADER = "メールアドレス,氏名,ふりがな,団体,所属,課代表"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("kairan-import"))
    try:
        yield srv
    finally:
        srv.stop()


def excel_file(tmp_path, name: str, rows: list[str]):
    path = tmp_path / name
    path.write_bytes(("\r\n".join([HEADER, *rows]) + "\r\n").encode("cp932"))
    return path


def test_an_org_admin_previews_a_csv_fixes_it_and_applies_it(page, server, tmp_path):
    sign_in(page, server, ITO)
    page.get_by_role("link", name="管理").click()
    page.get_by_role("link", name="CSV一括登録").first.click()
    bad = excel_file(tmp_path, "職員.csv", ['kato@town.wakaba.lg.jp,加藤 大輔,かとう だいすけ,若葉町,"税務住民課",○',
                                          "kimura@city.aoba.lg.jp,木村 優,,青葉市,総務課,"])
    page.get_by_label("CSVファイル").set_input_files(str(bad))
    page.get_by_role("button", name="内容を確認する").click()
    expect(page.locator(".line-add")).to_contain_text("kato@town.wakaba.lg.jp")
    expect(page.locator(".line-refuse")).to_contain_text("3")
    expect(page.locator(".line-refuse")).to_contain_text("若葉町 の取り込みに、青葉市 の行があります")
    expect(page.get_by_role("alert")).to_contain_text("登録できません")
    expect(page.get_by_role("button", name="この内容で登録する")).to_have_count(0)
    page.screenshot(path=ARTIFACTS / "import-refused.png", full_page=True)

    page.get_by_role("link", name="ファイルを選び直す").click()
    good = excel_file(tmp_path, "職員2.csv", ['kato@town.wakaba.lg.jp,加藤 大輔,かとう だいすけ,若葉町,"税務住民課",○',
                                           f"{ITO},伊藤 翔太,いとう しょうた,若葉町,税務住民課,"])
    page.get_by_label("CSVファイル").set_input_files(str(good))
    page.get_by_role("button", name="内容を確認する").click()
    expect(page.locator("[data-count=add]")).to_have_text("1")
    expect(page.locator("[data-count=change]")).to_have_text("1")
    expect(page.locator(".line-change")).to_contain_text("ふりがな：— → いとう しょうた")
    page.screenshot(path=ARTIFACTS / "import-preview.png", full_page=True)
    page.get_by_role("button", name="この内容で登録する").click()
    expect(page.locator(".import-summary")).to_have_text("added 1, changed 1, unchanged 0, deactivated 0")
    with sqlite3.connect(server.data / "kairan.db") as db:
        assert db.execute("SELECT name, dept, is_rep FROM members WHERE id = (SELECT member_id FROM member_addresses "
                          "WHERE address = 'kato@town.wakaba.lg.jp')").fetchone() == ("加藤 大輔", "税務住民課", 1)
        assert db.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'member.import'").fetchone() == (1,)
    page.get_by_role("link", name="職員名簿").click()
    expect(page.locator(".directory-people").first).to_contain_text("加藤 大輔")
    page.screenshot(path=ARTIFACTS / "directory.png", full_page=True)
    page.get_by_role("link", name="管理").click()
    page.get_by_role("link", name="監査ログ").click()
    expect(page.locator(".audit-log")).to_contain_text("member.import")
    page.screenshot(path=ARTIFACTS / "audit.png", full_page=True)
