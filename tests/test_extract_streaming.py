"""Attachment text is read as a stream under caps: bombs give their first text, not minutes and GiBs."""

from __future__ import annotations

from search.extract import Limits, extract
from tests.hostile_files import docx_bomb, pdf_bomb, xlsx_bomb


def test_an_xlsx_whose_shared_strings_inflate_to_150_mb_gives_its_first_cells_and_says_it_was_cut():
    data = xlsx_bomb(150 * 2**20)
    result = extract("一覧.xlsx", "application/octet-stream", data)
    assert len(data) < 2 * 2**20
    assert "集計表" in result.text and "固定資産税減免一覧 被災家屋" in result.text
    assert len(result.text) <= Limits().max_chars + 100


def test_a_docx_whose_document_inflates_to_80_mb_gives_text_up_to_the_cap():
    result = extract("案内.docx", "application/octet-stream", docx_bomb(80 * 2**20))
    assert result.text.startswith("避難所運営訓練の案内")
    assert len(result.text) <= Limits().max_chars + 100
    assert "cut at" in result.note


def test_a_pdf_page_of_a_million_and_a_half_text_operators_is_skipped_and_the_other_page_read():
    result = extract("notice.pdf", "application/pdf", pdf_bomb(1_500_000))
    assert "kairan readable page" in result.text
    assert "xxxx" not in result.text


def test_a_part_that_inflates_past_its_cap_keeps_what_was_read_before():
    limits = Limits(office=Limits().office.__class__(max_member_bytes=64 * 1024, max_shared_chars=10**9,
                                                     max_shared_strings=10**9))
    result = extract("一覧.xlsx", "", xlsx_bomb(8 * 2**20), limits)
    assert "固定資産税減免一覧" in result.text
