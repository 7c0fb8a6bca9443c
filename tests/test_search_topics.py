"""Search by topic through the real ingest and index: threads, match counts, facets, their filters."""

from __future__ import annotations

from datetime import datetime

import pytest

from archive.members import get_member_by_address
from search import service as service_module, topics
from search.index import SearchIndex
from search.indexer import Indexer
from search.service import SearchService
from tests.search_support import JST, deliver, message

SATO = "佐藤 健一 <sato@pref.yamakawa.lg.jp>"
SUZUKI = "鈴木 裕子 <suzuki@city.aoba.lg.jp>"
ITO = "伊藤 翔太 <ito@town.wakaba.lg.jp>"
TAKAHASHI = "高橋 誠 <takahashi@city.aoba.lg.jp>"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=JST)


def thread_of_three():
    ask = message(SATO, "zeimu", "督促状の様式について", "督促状の様式を統一したいと考えています。\n", datetime(2026, 5, 28, 9, 0, tzinfo=JST))
    one = message(SUZUKI, "zeimu", "Re: 督促状の様式について", "青葉市の督促状を添付します。\n", datetime(2026, 5, 29, 9, 0, tzinfo=JST))
    two = message(ITO, "zeimu", "Re: 督促状の様式について", "若葉町も督促状は同じ様式です。\n", datetime(2026, 5, 30, 9, 0, tzinfo=JST))
    for reply, parent in ((one, ask), (two, one)):
        reply["In-Reply-To"] = parent["Message-ID"]
        reply["References"] = parent["Message-ID"]
    return ask, one, two


@pytest.fixture
async def archive(seeded):
    await deliver(seeded, *thread_of_three(),
                  message(SATO, "zeimu", "滞納整理の研修", "督促と滞納整理の研修をします。\n", datetime(2025, 4, 1, 9, 0, tzinfo=JST)),
                  message(TAKAHASHI, "bousai", "督促の件（防災）", "防災でも督促があります。\n", datetime(2026, 5, 31, 9, 0, tzinfo=JST)))
    index = SearchIndex.open(seeded.settings.index_dir)
    indexer = Indexer(seeded.db, index, seeded.blobs)
    await indexer.drain()
    await indexer.close()
    return seeded, SearchService(seeded.db, seeded.settings.index_dir, seeded.blobs, index=index, clock=lambda: NOW)


async def search(archive, query: str, who: str = "sato@pref.yamakawa.lg.jp", **options):
    ctx, service = archive
    return await service.search(await get_member_by_address(ctx.db, who), query, by_thread=True, facets=True,
                                **options)


async def test_three_matching_posts_of_a_thread_are_one_hit_with_their_count(archive):
    found = await search(archive, "督促状")
    assert [(t.subject, t.matches) for t in found.threads] == [("督促状の様式について", 3)]
    assert found.total == 3 and not found.bounded


async def test_threads_rank_by_their_best_post_and_page_with_more(archive):
    first = await search(archive, "督促", per_page=2)
    assert len(first.threads) == 2 and first.more
    second = await search(archive, "督促", per_page=2, page=2)
    assert len(second.threads) == 1 and not second.more
    subjects = {t.subject for t in first.threads + second.threads}
    assert subjects == {"督促状の様式について", "滞納整理の研修", "督促の件（防災）"}
    assert all(not s.startswith("Re:") for s in subjects)


async def test_facets_count_spaces_organizations_and_periods(archive):
    facets = (await search(archive, "督促")).facets
    assert [(f.key, f.count) for f in facets.spaces] == [("zeimu", 4), ("bousai", 1)]
    assert [(f.key, f.count) for f in facets.orgs] == [("aoba", 2), ("pref", 2), ("wakaba", 1)]
    assert {f.key: f.count for f in facets.periods} == {"week": 4, "month": 4, "year": 4, "older": 1}


async def test_facet_choices_narrow_the_hits(archive):
    by_org = await search(archive, "督促", org="aoba")
    assert {t.subject for t in by_org.threads} == {"督促状の様式について", "督促の件（防災）"}
    assert [t.matches for t in by_org.threads if t.subject == "督促状の様式について"] == [1]
    older = await search(archive, "督促", period="older")
    assert [t.subject for t in older.threads] == ["滞納整理の研修"]
    assert (await search(archive, "督促", org="nowhere")).total == 0
    assert (await search(archive, "督促", period="someday")).total == 0


async def test_facets_and_counts_see_only_readable_spaces(archive):
    found = await search(archive, "督促", who="suzuki@city.aoba.lg.jp")           # not in bousai
    assert [f.key for f in found.facets.spaces] == ["zeimu"]
    assert found.total == 4 and "督促の件（防災）" not in {t.subject for t in found.threads}


async def test_the_posts_view_keeps_one_hit_per_post_with_the_thread_subject(archive):
    ctx, service = archive
    member = await get_member_by_address(ctx.db, "sato@pref.yamakawa.lg.jp")
    found = await service.search(member, "督促状", facets=True)
    assert len(found.hits) == 3 and {h.subject for h in found.hits} == {"督促状の様式について"}
    plain = await service.search(member, "督促状")                                 # the API's and CLI's shape
    # one hit per post; posts are stored without reply prefixes (bridge/subjects.py), so none is shown
    assert sorted(h.subject for h in plain.hits) == ["督促状の様式について"] * 3
    assert len({h.post_id for h in plain.hits}) == 3


async def test_counting_is_bounded_past_the_limit_and_exact_below_it(archive, monkeypatch):
    truth = {"督促状の様式について": 3, "滞納整理の研修": 1, "督促の件（防災）": 1}
    monkeypatch.setattr(topics, "SAMPLE", 2)
    monkeypatch.setattr(topics, "SCAN_LIMIT", 2)                 # only 2 of the 5 hits are scanned
    exact = await search(archive, "督促")                        # 5 ≤ COUNT_BOUND: one aggregation, exact
    assert not exact.facets.sampled and sum(f.count for f in exact.facets.spaces) == 5
    assert exact.threads and all(t.matches == truth[t.subject] for t in exact.threads)
    monkeypatch.setattr(topics, "COUNT_BOUND", 3)
    monkeypatch.setattr(service_module, "COUNT_BOUND", 3)
    bounded = await search(archive, "督促")                      # past the bound: the top 2 hits' breakdown
    assert bounded.total == 5 and bounded.bounded and bounded.facets.sampled
    assert sum(f.count for f in bounded.facets.spaces) == 2
    assert bounded.threads and all(t.matches == truth[t.subject] for t in bounded.threads)
