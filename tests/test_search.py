"""Search over real ingested mail: Japanese words and phrases, filters, members only, attachments."""

from __future__ import annotations

from datetime import datetime

import pytest

from archive.members import get_member_by_address, set_active
from search.indexer import Indexer
from search.index import SearchIndex
from search.service import SearchService
from tests.search_support import JST, deliver, docx_bytes, message, pdf_bytes, xlsx_bytes

SATO = "佐藤 健一 <sato@pref.yamakawa.lg.jp>"
SUZUKI = "鈴木 裕子 <suzuki@city.aoba.lg.jp>"
ITO = "伊藤 翔太 <ito@town.wakaba.lg.jp>"
TAKAHASHI = "高橋 誠 <takahashi@city.aoba.lg.jp>"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

MAILS = (
    message(SATO, "zeimu", "固定資産税の減免について",
            "各位\n\n第2回の議会支援について、USBメモリの取り扱いと減免申請の件です。\n", datetime(2026, 4, 10, 9, 0, tzinfo=JST)),
    message(SUZUKI, "zeimu", "研修の日程",
            "支援の会議は議会の後に開きます。\nよろしくお願いします。\n", datetime(2026, 5, 20, 9, 0, tzinfo=JST)),
    message(ITO, "zeimu", "打合せの件",
            "了解しました。\n\n2026年4月10日(金) 9:00 佐藤 健一 <sato@pref.yamakawa.lg.jp>:\n"
            "> 各位\n> 口座振替の督促状について\n", datetime(2026, 4, 11, 0, 30, tzinfo=JST)),
    message(TAKAHASHI, "bousai", "避難所の減免と防災訓練",
            "避難所運営マニュアルを改訂しました。減免の扱いも追記しています。\n", datetime(2026, 4, 12, 9, 0, tzinfo=JST)),
    message(SUZUKI, "zeimu", "課税資料の送付",
            "資料を添付します。\n", datetime(2026, 3, 31, 23, 30, tzinfo=JST),
            attachments=(("課税一覧.xlsx", xlsx_bytes([["市町村", "課税標準額"], ["青葉市", "軽自動車税種別割"]]), XLSX),
                         ("通知.docx", docx_bytes(["償却資産申告書の提出期限について"]), DOCX),
                         ("notice.pdf", pdf_bytes("Evacuation drill schedule zebrafish"), "application/pdf"),
                         ("集計.csv", "団体,件数\n若葉町,入湯税の特別徴収\n".encode("cp932"), "text/csv"))),
)


@pytest.fixture
async def archive(seeded):
    await deliver(seeded, *MAILS)
    index = SearchIndex.open(seeded.settings.index_dir)
    indexer = Indexer(seeded.db, index, seeded.blobs)
    await indexer.drain()
    await indexer.close()
    return seeded, SearchService(seeded.db, seeded.settings.index_dir, seeded.blobs, index=index)


async def search(archive, query: str, who: str = "suzuki@city.aoba.lg.jp", **options):
    ctx, service = archive
    return await service.search(await get_member_by_address(ctx.db, who), query, **options)


async def subjects(archive, query: str, who: str = "suzuki@city.aoba.lg.jp", **options) -> list[str]:
    return [hit.subject for hit in (await search(archive, query, who, **options)).hits]


async def test_a_two_character_japanese_word_is_found(archive):
    assert await subjects(archive, "減免") == ["固定資産税の減免について"]


async def test_a_three_character_japanese_word_is_found(archive):
    assert await subjects(archive, "申請の") == ["固定資産税の減免について"]


async def test_a_long_japanese_word_is_found(archive):
    assert await subjects(archive, "固定資産税") == ["固定資産税の減免について"]


async def test_a_single_kanji_inside_a_longer_run_is_found(archive):
    assert await subjects(archive, "第2回") == ["固定資産税の減免について"]
    assert "固定資産税の減免について" in await subjects(archive, "第")


async def test_an_english_word_inside_japanese_text_is_found(archive):
    assert await subjects(archive, "usb") == ["固定資産税の減免について"]
    assert await subjects(archive, "USBメモリ") == ["固定資産税の減免について"]


async def test_a_phrase_does_not_match_its_parts_scattered(archive):
    assert await subjects(archive, "議会支援") == ["固定資産税の減免について"]
    assert await subjects(archive, '"支援 議会"') == []


async def test_words_match_anywhere_in_the_post_together(archive):
    assert sorted(await subjects(archive, "議会 支援")) == ["固定資産税の減免について", "研修の日程"]


async def test_quoted_history_does_not_make_a_reply_match(archive):
    assert await subjects(archive, "督促状") == []


async def test_a_minus_word_excludes(archive):
    assert await subjects(archive, "議会 -usb") == ["研修の日程"]


async def test_or_finds_either(archive):
    assert sorted(await subjects(archive, "督促状 OR 会議")) == ["研修の日程"]
    assert len(await subjects(archive, "usb OR 会議")) == 2


async def test_from_matches_the_name_or_the_address(archive):
    assert await subjects(archive, "from:伊藤") == ["打合せの件"]
    assert await subjects(archive, "from:伊藤翔太") == ["打合せの件"]
    assert await subjects(archive, "from:ito@town.wakaba.lg.jp") == ["打合せの件"]


async def test_org_matches_the_authors_organization(archive):
    assert await subjects(archive, "org:若葉町") == ["打合せの件"]
    assert await subjects(archive, "org:wakaba") == ["打合せの件"]


async def test_space_filter_keeps_to_one_readable_space(archive):
    assert await subjects(archive, "減免 space:bousai", who="sato@pref.yamakawa.lg.jp") == ["避難所の減免と防災訓練"]
    assert await subjects(archive, "減免", who="sato@pref.yamakawa.lg.jp", space="zeimu") == [
        "固定資産税の減免について"]


async def test_after_and_before_are_tokyo_dates(archive):
    # 課税資料 was sent 2026-03-31 23:30 JST (= 14:30 UTC): a March post in Tokyo.
    assert "課税資料の送付" in await subjects(archive, "before:2026-04-01")
    assert "課税資料の送付" not in await subjects(archive, "after:2026-04-01")
    assert await subjects(archive, "after:2026-05-01 before:2026-06-01") == ["研修の日程"]


async def test_has_attachment(archive):
    assert await subjects(archive, "has:attachment") == ["課税資料の送付"]


@pytest.mark.parametrize("word", ["軽自動車税", "償却資産", "zebrafish", "入湯税"])
async def test_attachment_text_is_found(archive, word):
    results = await search(archive, word)
    assert [h.subject for h in results.hits] == ["課税資料の送付"]
    assert "<mark>" in results.hits[0].snippet_html


async def test_attachment_names_are_found(archive):
    assert await subjects(archive, "課税一覧") == ["課税資料の送付"]


async def test_a_member_does_not_find_posts_of_spaces_they_are_not_in(archive):
    assert "避難所の減免と防災訓練" not in await subjects(archive, "避難所")
    assert (await search(archive, "避難所")).total == 0


async def test_a_non_member_finds_nothing(archive):
    results = await search(archive, "減免", who="outsider@town.wakaba.lg.jp")
    assert (results.total, results.hits) == (0, [])


async def test_an_unreadable_space_filter_finds_nothing(archive):
    assert (await search(archive, "減免", space="bousai")).total == 0
    assert (await search(archive, "避難所 space:bousai")).total == 0


async def test_an_inactive_member_finds_nothing(archive):
    ctx, _ = archive
    member = await get_member_by_address(ctx.db, "suzuki@city.aoba.lg.jp")
    await set_active(ctx.db, member.id, False)
    assert (await search(archive, "減免")).total == 0


async def test_the_snippet_is_cut_from_the_original_with_the_match_marked(archive):
    hit = (await search(archive, "usbメモリ")).hits[0]
    assert "<mark>USBメモリ</mark>の取り扱い" in hit.snippet_html
    assert "USBメモリの取り扱い" in hit.snippet and "<mark>" not in hit.snippet
    assert hit.date == "2026-04-10T09:00:00+09:00"
    assert (hit.space, hit.space_title, hit.from_name) == ("zeimu", "税務担当者連絡会", "佐藤 健一")


async def test_newest_first_on_request(archive):
    assert await subjects(archive, "固定資産税 OR 会議", sort="date") == [
        "研修の日程", "固定資産税の減免について"]


async def test_results_come_in_pages(archive):
    first = await search(archive, "from:aoba.lg.jp OR from:pref.yamakawa.lg.jp", per_page=1)
    second = await search(archive, "from:aoba.lg.jp OR from:pref.yamakawa.lg.jp", per_page=1, page=2)
    assert first.total == second.total == 3
    assert first.hits[0].post_id != second.hits[0].post_id


@pytest.mark.parametrize("query", ['"', "-", "OR", "from:", ":::", "((減免", "\x00", "a" * 5000, "-減免", "減免 " * 200])
async def test_odd_queries_answer_without_error(archive, query):
    await search(archive, query)


async def test_a_blank_query_finds_nothing(archive):
    assert (await search(archive, "   ")).total == 0


async def test_indexing_twice_keeps_one_document_per_post(archive):
    ctx, service = archive
    indexer = Indexer(ctx.db, service.index, ctx.blobs)
    await indexer.rebuild()
    await indexer.close()
    assert (await search(archive, "減免")).total == 1


async def test_a_post_queued_again_is_replaced_not_duplicated(archive):
    ctx, service = archive
    async with ctx.db.write() as conn:
        await conn.execute("INSERT INTO index_queue (post_id, enqueued_at) SELECT id, '2026-06-01T00:00:00Z' FROM posts")
    indexer = Indexer(ctx.db, service.index, ctx.blobs)
    await indexer.drain()
    await indexer.close()
    assert (await search(archive, "減免")).total == 1
