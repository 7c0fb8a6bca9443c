"""The search page over the real search service (Tantivy index, members-only queries)."""

from __future__ import annotations

import pytest

from tests.test_web_pages import signed_in
from tests.world import build_world, mail, seed_mail


@pytest.fixture
async def indexed(tmp_path):
    w = await build_world(tmp_path, with_search=True)
    w.ids = await seed_mail(w)
    await w.index()
    yield w
    await w.db.close()


async def test_japanese_query_finds_the_post_with_a_highlighted_snippet(indexed):
    async with signed_in(indexed) as client:
        page = await client.get("/search", params={"q": "準半壊"})
    assert page.status_code == 200
    assert "「準半壊」の検索結果：1 件" in page.text
    assert "<mark>準半壊</mark>" in page.text
    assert "/s/zeimu/t/" in page.text and f"#post-{indexed.ids['reply']}" in page.text


async def test_search_never_shows_a_space_the_member_cannot_read(indexed):
    async with signed_in(indexed, "watanabe-a@town.wakaba.lg.jp") as client:     # bousai only
        page = await client.get("/search", params={"q": "減免"})
        filtered = await client.get("/search", params={"q": "減免", "space": "zeimu"})
    assert "検索結果：0 件" in page.text and "準半壊" not in page.text
    assert filtered.status_code == 404


async def test_space_filter_keeps_to_that_space(indexed):
    async with signed_in(indexed) as client:
        zeimu = await client.get("/search", params={"q": "備蓄", "space": "zeimu"})
        everywhere = await client.get("/search", params={"q": "備蓄"})
    assert "検索結果：0 件" in zeimu.text
    assert "検索結果：1 件" in everywhere.text and "防災・危機管理" in everywhere.text


async def test_hostile_query_is_escaped_and_answered(indexed):
    async with signed_in(indexed) as client:
        page = await client.get("/search", params={"q": '<script>alert(1)</script> "unclosed from: OR'})
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text


async def test_results_page_through_with_the_query_kept(indexed):
    for n in range(23):
        await indexed.deliver(mail(
            "sato-k@pref.yamakawa.lg.jp", f"研修案内 第{n + 1}回", f"研修の案内です（{n + 1}）。\n",
            hours_ago=10 + n, message_id=f"<kenshu{n}@pref.yamakawa.lg.jp>"))
    await indexed.index()
    async with signed_in(indexed) as client:
        first = await client.get("/search", params={"q": "研修", "sort": "date"})
        second = await client.get("/search", params={"q": "研修", "sort": "date", "page": "2"})
    assert "1 / 2 ページ" in first.text and "page=2" in first.text and "sort=date" in first.text
    assert "2 / 2 ページ" in second.text and second.text.count('class="card hit"') == 3
