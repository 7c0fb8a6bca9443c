"""`kairan search`, `kairan token create` and `kairan reindex` as commands."""

from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
import subprocess
from datetime import datetime

import pytest

from kairan.context import open_context
from search.index import SearchIndex
from search.indexer import Indexer
from tests.conftest import make_data_dir, seed
from tests.search_support import JST, deliver, message
from tests.test_cli import assert_one_line_error, kairan

ZEIMU_POST = message("鈴木 裕子 <suzuki@city.aoba.lg.jp>", "zeimu", "軽自動車税の減免",
                     "身体障害者の減免申請について、様式を共有します。", datetime(2026, 4, 1, 10, 0, tzinfo=JST))
BOUSAI_POST = message("高橋 誠 <takahashi@city.aoba.lg.jp>", "bousai", "避難訓練の減免",
                      "訓練日程の件です。", datetime(2026, 4, 2, 10, 0, tzinfo=JST))


@pytest.fixture
async def data(tmp_path):
    """A data folder with ingested posts whose index queue has not been drained."""
    folder = make_data_dir(tmp_path / "data")
    async with open_context(folder) as ctx:
        await seed(ctx)
        await deliver(ctx, ZEIMU_POST, BOUSAI_POST)
    return folder


async def run(data, *args: str) -> subprocess.CompletedProcess:
    return await asyncio.to_thread(kairan, data, *args)


async def test_search_json_finds_freshly_ingested_posts(data):
    result = await run(data, "search", "減免", "--as", "suzuki@city.aoba.lg.jp", "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["total"] == 1
    hit = document["hits"][0]
    assert set(hit) == {"space", "thread_id", "post_id", "subject", "from_name", "date", "snippet"}
    assert (hit["space"], hit["subject"], hit["from_name"], hit["date"]) == (
        "zeimu", "軽自動車税の減免", "鈴木 裕子", "2026-04-01T10:00:00+09:00")
    assert "減免申請" in hit["snippet"]


async def test_search_as_a_non_member_finds_nothing(data):
    result = await run(data, "search", "減免", "--as", "outsider@town.wakaba.lg.jp", "--json")
    assert json.loads(result.stdout) == {"total": 0, "hits": []}


async def test_search_in_a_space_the_member_cannot_read_is_an_error_like_a_missing_one(data):
    hidden = await run(data, "search", "減免", "--as", "suzuki@city.aoba.lg.jp", "--space", "bousai")
    missing = await run(data, "search", "減免", "--as", "suzuki@city.aoba.lg.jp", "--space", "nothing")
    assert_one_line_error(hidden, "no space 'bousai' that you can read")
    assert_one_line_error(missing, "no space 'nothing' that you can read")


async def test_search_as_an_unknown_address_is_a_clear_error(data):
    assert_one_line_error(await run(data, "search", "減免", "--as", "nobody@example.jp"), "no member")


async def test_search_while_another_process_holds_the_writer_searches_what_is_committed(data):
    async with open_context(data) as ctx:
        index = SearchIndex.open(ctx.settings.index_dir)
        indexer = Indexer(ctx.db, index, ctx.blobs)
        await indexer.drain()                                 # holds the writer, like `kairan serve`
        try:
            result = await run(data, "search", "減免", "--as", "sato@pref.yamakawa.lg.jp", "--json")
        finally:
            await indexer.close()
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["total"] == 2


async def test_reindex_rebuilds_the_index_with_a_progress_line(data):
    result = await run(data, "reindex")
    assert result.returncode == 0, result.stderr
    assert "reindex: 2/2 posts" in result.stderr
    found = await run(data, "search", "訓練", "--as", "takahashi@city.aoba.lg.jp", "--json")
    assert json.loads(found.stdout)["total"] == 1


async def test_reindex_refuses_while_the_index_is_being_written(data):
    async with open_context(data) as ctx:
        indexer = Indexer(ctx.db, SearchIndex.open(ctx.settings.index_dir), ctx.blobs)
        await indexer.open()
        try:
            result = await run(data, "reindex")
        finally:
            await indexer.close()
    assert_one_line_error(result, "kairan serve")


async def test_token_create_prints_the_token_alone_and_stores_only_its_hash(data):
    result = await run(data, "token", "create", "suzuki@city.aoba.lg.jp")
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    assert result.stdout == token + "\n" and len(token) > 30
    stored = sqlite3.connect(data / "kairan.db").execute("SELECT token_sha256 FROM api_tokens").fetchall()
    assert stored == [(hashlib.sha256(token.encode()).hexdigest(),)]
    assert all(token.encode() not in f.read_bytes() for f in data.glob("kairan.db*"))
