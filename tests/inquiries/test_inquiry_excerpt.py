"""The matrix's 回答 column: an answer's first lines, without the salutation and greeting."""

from __future__ import annotations

import pytest

from archive.inquiries.status import excerpt, without_salutation


@pytest.mark.parametrize("answer, shown", [
    ("佐藤様\n\nお世話になっております。\n青葉市です。毛布は1,200枚です。", "青葉市です。毛布は1,200枚です。"),
    ("山河県 総務部 佐藤様\n\n回答は別紙のとおりです。", "回答は別紙のとおりです。"),
    ("各位\nいつもお世話になっております。\n該当はありません。", "該当はありません。"),
    ("青葉市です。様式は不要です。", "青葉市です。様式は不要です。"),
    ("お世話になっております。", "お世話になっております。"),            # nothing else: kept as it is
    ("様式の変更は不要と考えます。\n佐藤様のご指摘のとおりです。", "様式の変更は不要と考えます。 佐藤様のご指摘のとおりです。"),
])
def test_the_answer_starts_after_the_salutation(answer, shown):
    assert excerpt(without_salutation(answer)) == shown
