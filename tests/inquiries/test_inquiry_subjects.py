"""Which subjects open an inquiry (照会) on a thread's first post."""

from datetime import date, datetime, timedelta, timezone

import pytest

from bridge.inquiries.detect import has_inquiry_marker, inquiry_request

OPENS = ["【照会】避難所の備蓄状況について", "[照会] 備蓄状況", "〔照会〕備蓄状況", "照会：備蓄状況", "照会:備蓄状況",
         "［照会］備蓄状況", "【 照会 】備蓄状況", "Re: 【照会】備蓄状況", "Fwd: 【照会】備蓄状況", "FW: [照会] 備蓄状況",
         "転送: 【照会】備蓄状況", "【至急】【照会】備蓄状況", "[bousai] 【照会】備蓄状況", "【再照会】備蓄状況",
         "＜照会＞備蓄状況", "【照会依頼】備蓄状況"]
DOES_NOT = ["避難所の備蓄状況について", "照会について", "備蓄状況【照会】", "【照会回答】備蓄状況", "【回答】照会の件",
            "", "【お知らせ】研修のご案内"]


@pytest.mark.parametrize("subject", OPENS)
def test_marked_subject_opens_an_inquiry(subject):
    assert has_inquiry_marker(subject)


@pytest.mark.parametrize("subject", DOES_NOT)
def test_unmarked_subject_opens_none(subject):
    assert not has_inquiry_marker(subject)


def test_request_reads_deadline_from_subject_in_tokyo_time():
    # 2026-12-19 16:00 UTC is already 20 December in Tokyo: "12月20日" is that very day.
    sent = datetime(2026, 12, 19, 16, 0, tzinfo=timezone.utc)
    request = inquiry_request("【照会】名簿（回答期限：12月20日）", (), sent)
    assert request.deadline == date(2026, 12, 20)


def test_request_without_deadline_has_none():
    sent = datetime(2026, 11, 20, 10, 0, tzinfo=timezone(timedelta(hours=9)))
    request = inquiry_request("【照会】名簿について", ("よろしくお願いします",), sent)
    assert request is not None and request.deadline is None


def test_unmarked_subject_makes_no_request():
    sent = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)
    assert inquiry_request("名簿について（回答期限：12月5日）", (), sent) is None
