"""`kairan import`: mailboxes as real tools write them become posts, once, with their threads."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from datetime import datetime

import pytest

from archive.spool import import_peer, retry
from bridge.ingest.worker import IngestWorker
from kairan.context import open_context
from tests.records.mailboxes import (JST, RETIRED, SATO, SUZUKI, maildir, outlook_eml, outlook_msg, plain_8bit,
                                     rfc822, thunderbird_mbox)
from tests.records.support import ROOT, kairan, ok, rows, seeded_data, show

JUNE = datetime(2020, 6, 1, 10, 0, tzinfo=JST)


@pytest.fixture
def data(tmp_path):
    return seeded_data(tmp_path / "data")


def family() -> list[bytes]:
    """A reply that comes before its parent in the file, a message with an attachment, a former member."""
    return [
        rfc822("<reply@aoba>", "Re: 固定資産税の照会", SUZUKI, JUNE.replace(day=2), "青葉市の回答です。\n", "<ask@pref>"),
        plain_8bit("<ask@pref>", "Fixed asset tax", SATO[1], JUNE, "From the prefecture: please answer.\n"),
        rfc822("<att@pref>", "研修資料", SATO, JUNE.replace(day=3), "資料を添付します。\n",
               attachment=("研修資料.pdf", b"%PDF-1.4 fake" * 10)),
        rfc822("<old@aoba>", "退職前の連絡", RETIRED, JUNE.replace(day=4), "引き継ぎです。\n"),
    ]


def test_thunderbird_mbox_gives_posts_threads_dates_and_attachments(data, tmp_path):
    box = thunderbird_mbox(tmp_path / "Inbox", family())
    assert b"\n>From the prefecture" in box.read_bytes()
    out = ok(data, "import", "zeimu", str(box))
    assert out[-1] == "imported 4, already there 0, failed 0"
    threads = {t["subject"]: t for t in show(data)["threads"]}
    asked = threads["Fixed asset tax"]
    assert [p["message_id"] for p in asked["posts"]] == ["<ask@pref>", "<reply@aoba>"]
    assert asked["posts"][0]["date"] == "2020-06-01T10:00:00+09:00"
    assert asked["posts"][0]["reply_text"].startswith("From the prefecture")
    assert threads["研修資料"]["posts"][0]["attachments"][0]["filename"] == "研修資料.pdf"
    assert threads["研修資料"]["posts"][0]["attachments"][0]["size"] == 130
    assert threads["退職前の連絡"]["posts"][0]["from_name"] == "山田 退職"
    assert rows(data, "SELECT author_id, imported_from FROM posts WHERE message_id = '<old@aoba>'") == [(None, "mbox")]


def test_the_same_file_twice_changes_nothing(data, tmp_path):
    box = thunderbird_mbox(tmp_path / "Inbox", family())
    ok(data, "import", "zeimu", str(box))
    before = show(data)
    assert ok(data, "import", "zeimu", str(box))[-1] == "imported 0, already there 4, failed 0"
    assert show(data) == before


def test_maildir_with_cur_and_new(data, tmp_path):
    box = maildir(tmp_path / "Maildir", cur=family()[:2], new=[family()[2]])
    assert any((box / "cur").iterdir()) and any((box / "new").iterdir())
    assert ok(data, "import", "zeimu", str(box), "--format", "maildir")[-1] == "imported 3, already there 0, failed 0"
    assert len(show(data)["threads"]) == 2


def test_folder_of_outlook_eml_in_iso_2022_jp(data, tmp_path):
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "研修の案内.eml").write_bytes(outlook_eml("<t1@pref>", "研修の案内", SATO, JUNE, "各位\n研修は十日です。\n"))
    (folder / "RE 研修の案内.eml").write_bytes(
        outlook_eml("<t2@aoba>", "RE: 研修の案内", SUZUKI, JUNE.replace(hour=15), "参加します。\n", "<t1@pref>"))
    assert ok(data, "import", "zeimu", str(folder))[-1] == "imported 2, already there 0, failed 0"
    [thread] = show(data)["threads"]
    assert thread["subject"] == "研修の案内"
    assert [p["from_name"] for p in thread["posts"]] == ["佐藤 健一", "鈴木 裕子"]
    assert thread["posts"][0]["reply_text"].startswith("各位\n研修は十日です。")


def test_outlook_msg_files_are_converted_and_kept_as_rfc5322(data, tmp_path):
    folder = tmp_path / "msg"
    folder.mkdir()
    outlook_msg(folder / "a.msg", "照会の回答", SUZUKI, JUNE, "回答を添付します。", ("回答.txt", "回答".encode()))
    outlook_msg(folder / "b.msg", "別の件", SATO, JUNE.replace(day=5), "別件です。")
    assert ok(data, "import", "zeimu", str(folder), "--format", "msg")[-1] == "imported 2, already there 0, failed 0"
    threads = {t["subject"]: t for t in show(data)["threads"]}
    post = threads["照会の回答"]["posts"][0]
    assert post["from_name"] == "鈴木 裕子" and post["date"].startswith("2020-06-01T")
    assert post["attachments"][0]["filename"] == "回答.txt"
    raw = kairan(data, "show", "zeimu", "--post", str(post["id"]), "--raw").stdout
    assert raw.startswith("Date:") and "Content-Type: multipart/mixed" in raw
    assert rows(data, "SELECT DISTINCT imported_from FROM posts") == [("msg",)]
    assert ok(data, "import", "zeimu", str(folder))[-1] == "imported 0, already there 2, failed 0"


def test_bad_missing_and_duplicate_message_ids_never_stop_it(data, tmp_path):
    folder = tmp_path / "odd"
    folder.mkdir()
    body = "本文\n"
    (folder / "1.eml").write_bytes(rfc822("<>", "空のID", SATO, JUNE, body))
    (folder / "2.eml").write_bytes(rfc822("", "IDなし", SATO, JUNE.replace(hour=11), body))
    (folder / "3.eml").write_bytes(rfc822("<folded@\n pref>", "折り返し", SATO, JUNE.replace(hour=12), body))
    (folder / "4.eml").write_bytes(rfc822("<日本語@例え>", "非ASCII", SATO, JUNE.replace(hour=13), body))
    (folder / "5.eml").write_bytes(rfc822("<same@pref>", "同じID 1", SATO, JUNE.replace(hour=14), body))
    (folder / "6.eml").write_bytes(rfc822("<same@pref>", "同じID 2", SUZUKI, JUNE.replace(hour=15), body))
    (folder / "7.eml").write_bytes(b"")
    (folder / "8.msg").write_bytes(b"this is not an Outlook file")
    out = ok(data, "import", "zeimu", str(folder))
    assert out[-1] == "imported 6, already there 0, failed 2"
    failed = [line for line in out if line.startswith("failed: ")]
    assert any("7.eml" in line and "empty message" in line for line in failed)
    assert any("8.msg" in line and "Outlook" in line for line in failed)
    assert sorted(s for s, in rows(data, "SELECT subject FROM threads")) == sorted(
        ["空のID", "IDなし", "折り返し", "非ASCII", "同じID 1", "同じID 2"])
    spooled = rows(data, "SELECT status, peer, error FROM spool ORDER BY id")
    assert [s for s, _, _ in spooled] == ["failed", "failed"]
    assert [p.split(":")[:2] for _, p, _ in spooled] == [["import", "eml"], ["import", "msg"]]
    assert ok(data, "import", "zeimu", str(folder))[-1] == "imported 0, already there 6, failed 2"
    assert len(rows(data, "SELECT id FROM spool")) == 2


def test_a_folder_that_is_no_mailbox_is_a_one_line_error(data, tmp_path):
    done = kairan(data, "import", "zeimu", str(tmp_path / "missing.mbox"))
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1 and "does not exist" in done.stderr


def many(count: int) -> list[bytes]:
    return [rfc822(f"<m{n}@pref>", f"件名 {n // 3}" if n % 3 == 0 else f"Re: 件名 {n // 3}", SATO,
                   JUNE.replace(minute=n % 60, second=n // 60 % 60), f"本文 {n}\n",
                   None if n % 3 == 0 else f"<m{n - 1}@pref>") for n in range(count)]


def test_kill_9_halfway_then_again_stores_every_message_once(data, tmp_path):
    box = thunderbird_mbox(tmp_path / "big.mbox", many(900))
    command = [sys.executable, "-m", "kairan", "import", "zeimu", str(box), "--data", str(data)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if rows(data, "SELECT COUNT(*) FROM posts")[0][0] >= 450:              # half of it
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    stored = rows(data, "SELECT COUNT(*) FROM posts")[0][0]
    assert 0 < stored < 900
    out = ok(data, "import", "zeimu", str(box))
    imported, there = (int(x.split()[-1]) for x in out[-1].split(", ")[:2])
    assert out[-1].endswith("failed 0") and imported + there == 900 and there == stored
    assert rows(data, "SELECT COUNT(*), COUNT(DISTINCT message_id) FROM posts") == [(900, 900)]
    assert rows(data, "SELECT COUNT(*) FROM threads") == [(300,)]
    assert rows(data, "SELECT MIN(post_count), MAX(post_count) FROM threads") == [(3, 3)]


def test_imported_posts_are_indexed_but_never_notified_or_digested(data, tmp_path):
    ok(data, "space", "add-member", "zeimu", "ito@town.wakaba.lg.jp", "--mode", "each")
    ok(data, "import", "zeimu", str(thunderbird_mbox(tmp_path / "Inbox", family())))
    assert rows(data, "SELECT COUNT(*) FROM notify_queue") == [(0,)]
    assert rows(data, "SELECT COUNT(*) FROM index_queue") == [(0,)]          # drained: indexed
    hits = ok(data, "search", "青葉市の回答", "--as", "sato@pref.yamakawa.lg.jp", "--json")
    assert '"total": 1' in hits[-1]
    digest = kairan(data, "digest", "--as-of", "2026-12-02T09:00:00+09:00", "--dry-run")
    assert digest.returncode == 0 and "青葉市の回答" not in digest.stdout
    assert rows(data, "SELECT COUNT(*) FROM deliveries") == [(0,)]


def test_ctrl_c_stops_cleanly_and_the_next_run_goes_on(data, tmp_path):
    box = thunderbird_mbox(tmp_path / "big.mbox", many(900))
    command = [sys.executable, "-m", "kairan", "import", "zeimu", str(box), "--data", str(data)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if rows(data, "SELECT COUNT(*) FROM posts")[0][0] >= 200:
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and "Traceback" not in err
    out = ok(data, "import", "zeimu", str(box))
    assert out[-1].endswith("failed 0") and rows(data, "SELECT COUNT(*) FROM posts") == [(900,)]


def test_a_terminal_gets_a_progress_bar_and_a_pipe_plain_lines(data, tmp_path):
    import os
    import pty
    box = thunderbird_mbox(tmp_path / "Inbox", family())
    plain = kairan(data, "import", "zeimu", str(box))
    assert "import: 4/4 messages" in plain.stderr and "━" not in plain.stderr
    main, child = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "kairan", "import", "zeimu", str(box), "--data", str(data)],
                               cwd=ROOT, stdin=child, stdout=child, stderr=child)
    os.close(child)
    seen = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    process.wait(timeout=60)
    os.close(main)
    text = seen.decode("utf-8", "replace")
    assert "import" in text and "4/4" in text and "━" in text
    assert text.rstrip().endswith("imported 0, already there 4, failed 0")


def test_a_failed_message_retried_from_the_spool_is_stored_as_imported_not_as_new_mail(data):
    """An import keeps what it couldn't store in the spool as failed; an admin's retry (a fixed bug, say)
    stores it as the import would have: dated and threaded by its Date, never notified, digested or an
    inquiry — not as mail arriving today."""
    raw = rfc822("<late@pref>", "【照会】償却資産の申告について", SATO, JUNE, "6月10日までに回答をお願いします。\n")

    async def run() -> None:
        async with open_context(data) as ctx:
            async with ctx.db.write() as tx:
                await tx.execute(
                    "INSERT INTO spool (received_at, rcpts, peer, size, raw, raw_sha256, status, error, attempts) "
                    "VALUES ('2026-12-01T00:00:00Z', ?, ?, ?, ?, '', 'failed', 'import: a bug since fixed', 1)",
                    (f'["zeimu@{ctx.settings.domain}"]', import_peer("mbox", "old.mbox#3"), len(raw), raw))
            assert await retry(ctx.db) == 1
            assert await IngestWorker(ctx.db, ctx.blobs, ctx.settings.domain).drain() == 1

    asyncio.run(run())
    post = show(data)["threads"][0]["posts"][0]
    assert post["message_id"] == "<late@pref>" and post["date"] == "2020-06-01T10:00:00+09:00"
    assert rows(data, "SELECT imported_from FROM posts") == [("mbox",)]
    assert rows(data, "SELECT COUNT(*) FROM notify_queue") == [(0,)]
    assert rows(data, "SELECT COUNT(*) FROM inquiries") == [(0,)]
    assert rows(data, "SELECT status FROM spool") == [("processed",)]
