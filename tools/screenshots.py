"""The screenshots in docs/: the demo deployment (`kairan serve --demo`) in Chromium, in Japanese.

    .venv/bin/python tools/screenshots.py   # docs/space.png, thread.png, search.png, inquiry.png, settings.png,
                                            # home.png, and at a phone's width phone-home/-thread/-search.png

Needs Debian's chromium and, for Japanese glyphs, a CJK font (fonts-noto-cjk).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kairan.demo_data import DEMO_PASSWORD  # noqa: E402
from tests.browser import CHROMIUM, CHROMIUM_ARGS, Server, free_port, kairan, wait_for_http  # noqa: E402

DOCS = ROOT / "docs"


def start_demo(data: Path) -> Server:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    subprocess.run(kairan(data, "init"), check=True, capture_output=True, env=env)
    port = free_port()
    process = subprocess.Popen(kairan(data, "serve", "--demo", "--http", f"127.0.0.1:{port}", "--smtp",
                                      "127.0.0.1:0"), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env=env)
    line = process.stdout.readline()
    smtp = line.split("SMTP on ", 1)[1].split(";")[0].split(",")[0].strip()
    host, _, smtp_port = smtp.rpartition(":")
    wait_for_http(port)
    return Server(process, data, f"http://127.0.0.1:{port}", (host, int(smtp_port)))


def shoot(server: Server) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(locale="ja-JP", viewport={"width": 1200, "height": 860}, device_scale_factor=1)
        page.goto(server.base_url + "/signin")
        page.get_by_label("メールアドレス").first.fill("sato-k@pref.yamakawa.lg.jp")
        page.get_by_label("パスワード").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="サインイン").click()
        page.get_by_role("link", name="税務担当者連絡会").click()
        page.screenshot(path=DOCS / "space.png")
        page.get_by_role("link", name="固定資産税の減免申請（災害被災家屋）について").click()
        page.locator("article.post").nth(2).get_by_text("引用と署名を表示").click()
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=DOCS / "thread.png", full_page=True)
        box = page.get_by_role("searchbox", name="アーカイブを検索")
        box.fill("減免 基準")
        box.press("Enter")
        expect(page.locator(".hit").first).to_be_visible()
        page.screenshot(path=DOCS / "search.png")
        page.goto(server.base_url + "/s/bousai/")
        page.get_by_role("link", name="【照会】避難所の備蓄状況について（回答期限：12月5日）").click()
        expect(page.locator("#inquiry .inquiry-matrix")).to_be_visible()
        page.screenshot(path=DOCS / "inquiry.png")
        page.get_by_role("link", name="設定").click()
        expect(page.get_by_role("heading", name="設定", exact=True)).to_be_visible()
        page.screenshot(path=DOCS / "settings.png", full_page=True)
        shoot_as_ito(browser, server, {"width": 1200, "height": 860}, "")
        shoot_as_ito(browser, server, {"width": 390, "height": 844}, "phone-")
        browser.close()


def shoot_as_ito(browser, server: Server, viewport: dict, prefix: str) -> None:
    """若葉町 still owes the demo's 照会: home shows it first."""
    page = browser.new_page(locale="ja-JP", viewport=viewport, device_scale_factor=1)
    page.goto(server.base_url + "/signin")
    page.get_by_label("メールアドレス").first.fill("ito-s@town.wakaba.lg.jp")
    page.get_by_label("パスワード").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="サインイン").click()
    expect(page.locator(".waiting-item").first).to_be_visible()
    page.screenshot(path=DOCS / f"{prefix}home.png", full_page=bool(prefix))
    if not prefix:
        page.close()
        return
    page.goto(server.base_url + "/s/zeimu/")
    page.get_by_role("link", name="固定資産税の減免申請（災害被災家屋）について").click()
    page.screenshot(path=DOCS / f"{prefix}thread.png")
    box = page.get_by_role("searchbox", name="アーカイブを検索")
    box.fill("減免")
    box.press("Enter")
    expect(page.locator(".hit").first).to_be_visible()
    page.screenshot(path=DOCS / f"{prefix}search.png")
    page.close()


def main() -> None:
    DOCS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        server = start_demo(Path(tmp) / "data")
        try:
            server.wait_for_posts(1)
            server.wait_for_index()
            shoot(server)
        finally:
            server.stop()
    print("docs/space.png, thread.png, search.png, inquiry.png, settings.png, home.png, phone-home.png, "
          "phone-thread.png, phone-search.png written")


if __name__ == "__main__":
    main()
