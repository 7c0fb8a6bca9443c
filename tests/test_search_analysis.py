"""The analyzer and the query language: pure functions."""

from __future__ import annotations

from search.analysis import Slot, index_tokens, normalize_with_offsets, query_slots
from search.querylang import Clause, Filter, Text, parse_query
from search.snippets import make_snippet, patterns


def test_kanji_kana_runs_become_bigrams_with_the_last_character_alone():
    assert index_tokens("回の会議") == ["回の", "の会", "会議", "議"]


def test_a_lone_character_stays_a_unigram_between_latin_words():
    assert index_tokens("第2回") == ["第", "2", "回"]


def test_text_is_nfkc_normalized_and_latin_lowercased():
    assert index_tokens("ＵＳＢﾒﾓﾘ") == ["usb", "メモ", "モリ", "リ"]


def test_a_multi_character_query_is_a_phrase_of_the_bigrams_that_cover_it_at_real_positions():
    assert query_slots("議会支援") == [Slot(0, "議会"), Slot(2, "支援")]
    assert query_slots("議会支援策") == [Slot(0, "議会"), Slot(2, "支援"), Slot(3, "援策")]
    assert query_slots("会議") == [Slot(0, "会議")]
    assert query_slots("固定資産 PDF 台帳") == [Slot(0, "固定"), Slot(2, "資産"), Slot(4, "pdf"), Slot(5, "台帳")]


def test_the_covering_phrase_finds_exactly_the_posts_the_whole_phrase_finds(tmp_path):
    """Every other bigram is left out of a query: on a real index, for words of every length and
    texts where their bigrams also occur scattered, the same documents match as with all of them."""
    import random

    import tantivy

    from search.analysis import index_text
    from search.index import SearchIndex
    from search.query import text_query

    rng = random.Random(11)
    alphabet = "固定資産税評価替申請減免ックアップバ"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(5, 40))) for _ in range(400)]
    index = SearchIndex.open(tmp_path / "index")
    writer = index.writer()
    for n, text in enumerate(texts):
        doc = tantivy.Document()
        doc.add_integer("post_id", n)
        doc.add_text("body", index_text(text))
        writer.add_document(doc)
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    searcher = index.searcher()

    def hits(slots: list[Slot]) -> set[int]:
        result = searcher.search(text_query(index.schema, "body", slots), 1000)
        return set(searcher.fast_field_values("post_id", [address for _, address in result.hits]))

    for _ in range(300):
        text = rng.choice(texts)
        start = rng.randrange(len(text) - 1)
        word = text[start:start + rng.randint(2, 8)]
        every = [Slot(i, word[i:i + 2]) for i in range(len(word) - 1)]
        truth = {n for n, t in enumerate(texts) if word in t}
        assert hits(query_slots(word)) == hits(every) == truth, word


def test_a_single_character_at_the_end_of_a_query_matches_as_a_prefix():
    assert query_slots("第2回") == [Slot(0, "第"), Slot(1, "2"), Slot(2, "回", prefix=True)]


def test_offsets_map_normalized_text_back_to_the_original():
    normal, offsets = normalize_with_offsets("ＡＢ ｶﾞ")
    assert normal == "ab ガ"
    assert offsets == [0, 1, 2, 3]


def test_words_and_is_the_default():
    assert parse_query("減免 申請").groups == ((Clause(Text("減免")),), (Clause(Text("申請")),))


def test_quotes_make_a_phrase_and_japanese_brackets_too():
    assert parse_query('"固定 資産"').texts() == [Text("固定 資産", phrase=True)]
    assert parse_query("「固定資産」").texts() == [Text("固定資産", phrase=True)]


def test_minus_excludes_and_or_joins():
    parsed = parse_query("減免 OR 猶予 -研修")
    assert parsed.groups == ((Clause(Text("減免")), Clause(Text("猶予"))), (Clause(Text("研修"), negated=True),))


def test_filters_are_read_with_their_values():
    parsed = parse_query('from:"佐藤 健一" space:zeimu org:青葉市 after:2026-4-1 before:2026/05/01 has:attachment')
    assert [c.item for g in parsed.groups for c in g] == [
        Filter("from", "佐藤 健一"), Filter("space", "zeimu"), Filter("org", "青葉市"),
        Filter("after", "2026-04-01"), Filter("before", "2026-05-01"), Filter("has", "attachment")]


def test_full_width_syntax_is_understood():
    assert parse_query("ｆｒｏｍ：佐藤").groups == ((Clause(Filter("from", "佐藤")),),)


def test_broken_syntax_is_read_as_plain_words():
    assert parse_query('"減免 申請').texts() == [Text("減免"), Text("申請")]
    assert parse_query("after:2026-13-45").texts() == [Text("after:2026-13-45")]
    assert parse_query("from: 佐藤").texts() == [Text("from:"), Text("佐藤")]
    assert parse_query("has:cats").texts() == [Text("has:cats")]
    assert parse_query("OR 減免 OR").texts() == [Text("減免")]


def test_unknown_field_names_are_words():
    assert parse_query("http://example.jp").texts() == [Text("http://example.jp")]


def test_snippet_marks_the_match_in_the_original_text():
    snippet = make_snippet("ＵＳＢメモリの持ち出し", patterns([Text("usbメモリ")]))
    assert snippet.html == "<mark>ＵＳＢメモリ</mark>の持ち出し"
    assert snippet.text == "ＵＳＢメモリの持ち出し"


def test_snippet_escapes_html():
    snippet = make_snippet("<b>減免</b> & more", patterns([Text("減免")]))
    assert snippet.html == "&lt;b&gt;<mark>減免</mark>&lt;/b&gt; &amp; more"


def test_a_latin_word_is_not_marked_inside_a_longer_word():
    assert make_snippet("tax taxation", patterns([Text("tax")])).html == "<mark>tax</mark> taxation"
