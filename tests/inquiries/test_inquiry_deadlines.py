"""Deadlines as Japanese office mail writes them, each with the date it must yield.

The mail is sent on 2026-11-20 (金) unless a case says otherwise; a date without a
year is the next such date on or after that day.
"""

from datetime import date

import pytest

from bridge.inquiries.deadlines import deadline_in, find_deadline, kanji_to_int, read_date

SENT = date(2026, 11, 20)

CASES = [
    # (text, expected deadline)
    ("回答期限：12月5日", date(2026, 12, 5)),
    ("回答期限:12月5日", date(2026, 12, 5)),
    ("【回答期限】１２月５日（金）", date(2026, 12, 5)),
    ("回答期限：１２月５日（金）１７時", date(2026, 12, 5)),
    ("12/5(金)まで", date(2026, 12, 5)),
    ("１２／５（金）までにご回答ください。", date(2026, 12, 5)),
    ("12月5日（金）17時までにご回答ください", date(2026, 12, 5)),
    ("12月5日(金)17:00まで", date(2026, 12, 5)),
    ("12月5日（金）午後5時までに返信願います", date(2026, 12, 5)),
    ("12月5日（金）正午までに", date(2026, 12, 5)),
    ("12月5日(金曜日)までに", date(2026, 12, 5)),
    ("12月5日(金・祝)まで", date(2026, 12, 5)),
    ("12月5日中にご回答ください", date(2026, 12, 5)),
    ("12月5日（金）中に返信をお願いします", date(2026, 12, 5)),
    ("令和8年12月5日までに回答", date(2026, 12, 5)),
    ("令和８年１２月５日（金）までに", date(2026, 12, 5)),
    ("提出期限は令和8年12月5日（金）です。", date(2026, 12, 5)),
    ("R8.12.5まで", date(2026, 12, 5)),
    ("回答期限：R8/12/5", date(2026, 12, 5)),
    ("令和元年12月5日まで", date(2019, 12, 5)),
    ("平成31年3月29日までに提出", date(2019, 3, 29)),
    ("回答期限 2026-12-05", date(2026, 12, 5)),
    ("2026/12/5(金)まで", date(2026, 12, 5)),
    ("2026年12月5日（金）17時まで", date(2026, 12, 5)),
    ("２０２６年１２月５日までに", date(2026, 12, 5)),
    ("〆切 12/5", date(2026, 12, 5)),
    ("（12/5〆）", date(2026, 12, 5)),
    ("12月5日必着でお願いします", date(2026, 12, 5)),
    ("締切：12月5日（金）", date(2026, 12, 5)),
    ("締め切り　１２月５日", date(2026, 12, 5)),
    ("提出期日：12月5日", date(2026, 12, 5)),
    ("回答期限：十二月五日", date(2026, 12, 5)),
    ("回答は1月9日(金)までにお願いします", date(2027, 1, 9)),     # no year, past the new year
    ("11月19日までに", date(2027, 11, 19)),                       # the day before the mail: next year
    ("11月20日までに", date(2026, 11, 20)),                       # the mail's own day
    ("今月末までに", date(2026, 11, 30)),
    ("12月末まで", date(2026, 12, 31)),
    ("締切：2/29", date(2028, 2, 29)),                            # the next 29 February
    ("回答期限：2月30日", None),                                  # no such day
    ("研修会を12月5日に開催します", None),                        # a date, not a deadline
    ("令和7年度の実績を12月5日（金）午後5時までにご回答ください", date(2026, 12, 5)),
    ("令和8年4月1日から令和9年3月31日まで実施します", None),      # a period, not a deadline
    ("11月30日までに内容を確認のうえ、回答期限：12月5日", date(2026, 12, 5)),  # the deadline word wins
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0] for c in CASES])
def test_deadline_form_yields_its_date(text, expected):
    assert deadline_in(text, SENT) == expected


def test_the_table_has_at_least_thirty_forms():
    assert len(CASES) >= 30


def test_subject_deadline_is_preferred_to_body():
    assert find_deadline("【照会】備蓄状況（12/4〆）", ("回答期限：12月5日",), SENT) == date(2026, 12, 4)


def test_body_deadline_is_used_when_subject_has_none():
    assert find_deadline("【照会】備蓄状況について", ("毛布の数を12月5日（金）までに",), SENT) == date(2026, 12, 5)


def test_no_deadline_anywhere_gives_none():
    assert find_deadline("【照会】備蓄状況について", ("よろしくお願いします。",), SENT) is None


def test_date_late_in_year_rolls_to_next_year_from_december_mail():
    assert deadline_in("回答期限：1月15日", date(2026, 12, 20)) == date(2027, 1, 15)


@pytest.mark.parametrize("text,value", [("十二", 12), ("五", 5), ("二十五", 25), ("三十一", 31), ("二〇二六", 2026)])
def test_kanji_numerals(text, value):
    assert kanji_to_int(text) == value


def test_typed_date_needs_no_deadline_word():
    assert read_date("12/5", SENT) == date(2026, 12, 5)
    assert read_date("2026-12-05", SENT) == date(2026, 12, 5)
    assert read_date("あした", SENT) is None
