"""`kairan export`: .mbox re-imports identically; the .zip offline archive opens from the file system."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime

import pytest
from playwright.sync_api import expect

from archive.mbox import mbox_entry
from bridge.importing.sources import read_mbox
from tests.browser import browser  # noqa: F401  (the module's one browser)
from tests.records.mailboxes import JST, SATO, SUZUKI, plain_8bit, rfc822, thunderbird_mbox
from tests.records.support import ok, rows, seeded_data, show, without_ids

JUNE = datetime(2021, 6, 1, 10, 0, tzinfo=JST)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """A space with threads, a reply, an attachment and a `From ` line, imported once and exported both ways."""
    tmp = tmp_path_factory.mktemp("export")
    data = seeded_data(tmp / "data")
    box = thunderbird_mbox(tmp / "in.mbox", [
        rfc822("<a@pref>", "防災訓練の日程", SATO, JUNE, "訓練は十月です。\n"),
        rfc822("<b@aoba>", "Re: 防災訓練の日程", SUZUKI, JUNE.replace(day=2), "承知しました。\n", "<a@pref>"),
        rfc822("<c@pref>", "避難所の資料", SATO, JUNE.replace(day=3), "資料です。\n",
               attachment=("避難所一覧.csv", "名称,住所\n第一小学校,青葉1-1\n".encode("utf-8"))),
        plain_8bit("<d@pref>", "From lines", SATO[1], JUNE.replace(day=4), "From here on\n>From there\n"),
    ])
    ok(data, "import", "zeimu", str(box))
    ok(data, "export", "zeimu", str(tmp / "out.mbox"))
    ok(data, "export", "zeimu", str(tmp / "out.zip"))
    return data, tmp


def test_mbox_export_imported_into_an_empty_space_gives_the_same_space(exported):
    data, tmp = exported
    assert show(data, "bousai")["threads"] == []
    assert ok(data, "import", "bousai", str(tmp / "out.mbox"))[-1] == "imported 4, already there 0, failed 0"
    assert without_ids(show(data, "bousai")) == without_ids(show(data, "zeimu"))
    raws = rows(data, "SELECT space_id, message_id, raw_sha256 FROM posts ORDER BY message_id, space_id")
    assert all(raws[i][2] == raws[i + 1][2] for i in range(0, len(raws), 2))      # the very same bytes


def test_mbox_export_quotes_from_lines(exported):
    data, tmp = exported
    text = (tmp / "out.mbox").read_bytes()
    assert text.startswith(b"From MAILER-DAEMON ") and b"\n>From here on\n" in text


def test_mboxrd_quoting_round_trips_any_bytes(tmp_path):
    raw = b"Subject: x\n\nFrom a\n>From b\n>>From c\nFromage\n"
    box = tmp_path / "rd.mbox"
    box.write_bytes(mbox_entry(raw, "2021-06-01T01:00:00Z") * 2)
    assert b"\n>From a\n>>From b\n>>>From c\nFromage\n" in box.read_bytes()
    assert [m.raw for m in read_mbox(box)] == [raw, raw]


def test_export_is_audited(exported):
    data, _ = exported
    entries = rows(data, "SELECT action, target, detail FROM audit_log WHERE action = 'export'")
    assert [(a, t) for a, t, _ in entries] == [("export", "space:zeimu")] * 2
    assert '"format":"mbox"' in entries[0][2] and '"posts":4' in entries[0][2]


def test_zip_holds_pages_originals_attachments_and_a_csv_with_bom(exported):
    _, tmp = exported
    with zipfile.ZipFile(tmp / "out.zip") as archive:
        names = set(archive.namelist())
        assert "index.html" in names and "posts.csv" in names
        assert sum(n.startswith("threads/") for n in names) == 3 and sum(n.startswith("eml/") for n in names) == 4
        assert any(n.endswith("/避難所一覧.csv") for n in names)
        table = archive.read("posts.csv")
        assert table.startswith(b"\xef\xbb\xbf")
        lines = list(csv.reader(io.StringIO(table.decode("utf-8-sig"))))
        assert lines[0][:3] == ["post_id", "thread_id", "thread_subject"] and len(lines) == 5
        assert "<script" not in archive.read("index.html").decode()


def test_offline_archive_opens_from_the_file_system_in_a_browser(exported, browser, tmp_path):  # noqa: F811
    _, tmp = exported
    folder = tmp_path / "opened"
    with zipfile.ZipFile(tmp / "out.zip") as archive:
        archive.extractall(folder)
    context = browser.new_context(locale="ja-JP", java_script_enabled=False, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((folder / "index.html").as_uri())
    expect(page.get_by_role("heading", name="税務担当者連絡会")).to_be_visible()
    page.get_by_role("link", name="防災訓練の日程").click()
    expect(page.get_by_text("承知しました。")).to_be_visible()
    page.get_by_role("link", name="スレッド一覧").click()
    page.get_by_role("link", name="避難所の資料").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="避難所一覧.csv").click()
    assert download.value.path().read_bytes().decode("utf-8").startswith("名称,住所")
    assert errors == []
    context.close()
