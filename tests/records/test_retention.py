"""Retention (保存期間): the fiscal-year rule, the due list, approval-only disposal, legal hold,
the disposal register, and a disposal killed halfway that a rerun finishes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone

import pytest

from archive.retention.classes import CLASSES, RetentionPolicy, cutoff, expires
from archive.retention.register_csv import register_csv
from archive.retention.disposal import register_entries
from kairan.context import open_context
from tests.records.mailboxes import JST, SATO, SUZUKI, rfc822, thunderbird_mbox
from tests.records.support import ROOT, copy_of, kairan, ok, rows, seeded_data

FY = RetentionPolicy()


@pytest.mark.parametrize("last,years,first_day", [
    (datetime(2020, 6, 1, 10, tzinfo=JST), "1y", date(2022, 4, 1)),       # FY2020 → from 2021-04-01, one year
    (datetime(2021, 3, 31, 23, tzinfo=JST), "1y", date(2022, 4, 1)),      # still FY2020
    (datetime(2021, 4, 1, 0, 30, tzinfo=JST), "1y", date(2023, 4, 1)),    # FY2021 (UTC: still March 31)
    (datetime(2020, 6, 1, 10, tzinfo=JST), "5y", date(2026, 4, 1)),
])
def test_a_period_runs_from_the_april_1_after_the_last_post(last, years, first_day):
    assert expires(last.astimezone(timezone.utc), years, FY) == first_day


def test_counting_from_the_last_post_instead():
    policy = RetentionPolicy(count_from="last_post")
    assert expires(datetime(2020, 6, 1, 1, tzinfo=timezone.utc), "3y", policy) == date(2023, 6, 2)


@pytest.mark.parametrize("count_from", ["fiscal_year", "last_post"])
def test_the_due_cutoff_agrees_with_the_expiry_day_by_day(count_from):
    policy = RetentionPolicy(count_from=count_from)
    start = datetime(2019, 1, 1, 15, tzinfo=timezone.utc)
    for retention in CLASSES[:-1]:
        for day in range(0, 900, 7):
            last = start + timedelta(days=day, hours=day % 24)
            first = expires(last, retention, policy)
            for as_of in (datetime.combine(first, datetime.min.time(), JST),
                          datetime.combine(first - timedelta(days=1), datetime.min.time(), JST) + timedelta(hours=23)):
                due = last < cutoff(as_of, retention, policy)
                assert due == (as_of.date() >= first), (retention, last, as_of)
    assert expires(start, "permanent", policy) is None and cutoff(start, "permanent", policy) is None


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """Three threads in zeimu (2019, 2020, 2023) and one in bousai (2019)."""
    tmp_path = tmp_path_factory.mktemp("retention")
    data = seeded_data(tmp_path / "data")
    msgs = [rfc822("<y19@pref>", "平成31年の件", SATO, datetime(2019, 5, 1, 10, tzinfo=JST), "古い件\n",
                   attachment=("古い資料.txt", b"old" * 30)),
            rfc822("<y19r@aoba>", "Re: 平成31年の件", SUZUKI, datetime(2020, 2, 1, 10, tzinfo=JST), "返信\n", "<y19@pref>"),
            rfc822("<y20@pref>", "令和2年の件", SATO, datetime(2020, 6, 1, 10, tzinfo=JST), "中くらい\n"),
            rfc822("<y23@pref>", "令和5年の件", SATO, datetime(2023, 6, 1, 10, tzinfo=JST), "新しい\n")]
    ok(data, "import", "zeimu", str(thunderbird_mbox(tmp_path / "z.mbox", msgs)))
    ok(data, "import", "bousai", str(thunderbird_mbox(tmp_path / "b.mbox", [
        rfc822("<b19@pref>", "防災の古い件", SATO, datetime(2019, 5, 1, 10, tzinfo=JST), "防災\n")])))
    return data


@pytest.fixture
def data(template, tmp_path):
    return copy_of(template, tmp_path / "data")


def due(data, as_of: str) -> list[dict]:
    return json.loads(ok(data, "retention", "due", "--as-of", as_of, "--json")[-1])["due"]


def test_permanent_by_default_and_due_by_fiscal_year_after_a_class_is_set(data):
    assert due(data, "2031-04-01") == []
    ok(data, "space", "set-retention", "zeimu", "1y")
    assert [d["subject"] for d in due(data, "2021-03-31T23:00:00+09:00")] == []
    listed = due(data, "2021-04-01T00:00:00+09:00")
    assert [(d["space"], d["subject"], d["expires"]) for d in listed] == [("zeimu", "平成31年の件", "2021-04-01")]
    assert listed[0]["last_post"] == "2020-02-01T01:00:00Z" and set(listed[0]) == {
        "space", "thread_id", "subject", "last_post", "expires"}
    assert [d["subject"] for d in due(data, "2022-04-01")] == ["平成31年の件", "令和2年の件"]
    assert rows(data, "SELECT action, detail FROM audit_log WHERE action = 'space.change'")[0][1].count("1y") == 1


def test_nothing_is_disposed_without_approval(data):
    ok(data, "space", "set-retention", "zeimu", "1y")
    refused = kairan(data, "retention", "dispose", "--as-of", "2030-01-01")
    assert refused.returncode == 1 and "--approve" in refused.stderr
    assert rows(data, "SELECT COUNT(*) FROM posts") == [(5,)]
    not_admin = kairan(data, "retention", "dispose", "--as-of", "2030-01-01", "--approve",
                       "--as", "suzuki@city.aoba.lg.jp")
    assert not_admin.returncode == 1 and rows(data, "SELECT COUNT(*) FROM posts") == [(5,)]


def test_approved_disposal_erases_writes_the_register_and_respects_a_hold(data, tmp_path):
    ok(data, "space", "set-retention", "zeimu", "1y")
    ok(data, "space", "set-retention", "bousai", "1y")
    ok(data, "space", "hold", "bousai")
    [(old_blob,)] = rows(data, "SELECT sha256 FROM attachments")
    assert ok(data, "retention", "dispose", "--as-of", "2022-04-01", "--approve")[-1] == "disposed 2 thread(s)"
    assert sorted(s for s, in rows(data, "SELECT subject FROM threads")) == ["令和5年の件", "防災の古い件"]
    assert not (data / "blobs" / old_blob[:2] / old_blob[2:4] / old_blob).exists()
    assert rows(data, "SELECT space_slug, subject, retention, posts, attachments, status FROM disposal_register "
                      "ORDER BY id") == [("zeimu", "平成31年の件", "1y", 2, 1, "disposed"),
                                         ("zeimu", "令和2年の件", "1y", 1, 0, "disposed")]
    assert "\"total\": 0" in ok(data, "search", "古い件", "--as", "sato@pref.yamakawa.lg.jp", "--space", "zeimu",
                                 "--json")[-1]
    ok(data, "space", "hold", "bousai", "--off")
    assert [d["subject"] for d in due(data, "2022-04-01")] == ["防災の古い件"]
    [(action, detail)] = rows(data, "SELECT action, detail FROM audit_log WHERE action = 'retention.dispose'")
    assert '"threads":2' in detail


def test_the_register_as_csv_for_excel(data):
    ok(data, "space", "set-retention", "zeimu", "1y")
    ok(data, "retention", "dispose", "--as-of", "2021-04-01", "--approve")

    async def entries():
        async with open_context(data) as ctx:
            return await register_entries(ctx.db)
    import asyncio
    text = register_csv(asyncio.run(entries()))
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text[1:])))
    assert table[0][:5] == ["廃棄番号", "スペース", "スペース名", "スレッド番号", "件名"]
    assert table[1][1:3] == ["zeimu", "税務担当者連絡会"] and table[1][4] == "平成31年の件"
    assert table[1][6:9] == ["2019-05-01 10:00", "2020-02-01 10:00", "2021-04-01"]
    assert table[1][9:12] == ["2", "1", "system"] and table[1][14] == "廃棄済み"


KILL_AFTER_ONE = """
import asyncio, os, signal, sys
from datetime import datetime
from pathlib import Path
from archive.admin.audit import SYSTEM
from archive.retention.classes import RetentionPolicy
from archive.retention.disposal import dispose
from kairan.context import open_context

async def main():
    async with open_context(Path(sys.argv[1])) as ctx:
        def progress(done, total):
            if done == 1:
                os.kill(os.getpid(), signal.SIGKILL)
        await dispose(ctx.db, ctx.blobs, RetentionPolicy(), datetime.fromisoformat("2030-01-01T00:00:00+09:00"),
                      SYSTEM, progress)

if __name__ == "__main__":
    asyncio.run(main())
"""


def test_a_disposal_killed_halfway_is_finished_by_the_next_run(data):
    ok(data, "space", "set-retention", "zeimu", "1y")
    killed = subprocess.run([sys.executable, "-c", KILL_AFTER_ONE, str(data)], cwd=ROOT, capture_output=True)
    assert killed.returncode == -9
    assert rows(data, "SELECT status FROM disposal_register ORDER BY id") == [("disposed",), ("approved",), ("approved",)]
    assert rows(data, "SELECT COUNT(*) FROM threads") == [(3,)]                  # one gone whole, two whole
    assert ok(data, "retention", "dispose", "--as-of", "2030-01-01", "--approve")[-1] == "disposed 2 thread(s)"
    assert rows(data, "SELECT status FROM disposal_register ORDER BY id") == [("disposed",)] * 3
    assert rows(data, "SELECT subject FROM threads") == [("防災の古い件",)]
    assert rows(data, "SELECT COUNT(*) FROM attachments") == [(0,)]
    assert rows(data, "SELECT COUNT(*) FROM blob_garbage") == [(0,)]
    assert sum(1 for p in (data / "blobs").glob("??/??/*")) == 1                   # bousai's message alone
