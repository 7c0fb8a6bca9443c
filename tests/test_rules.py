"""Pure rules: space addresses, subject normalization, the posting policy."""

from __future__ import annotations

import pytest

from bridge.addresses import SpaceAddress, parse_space_address
from bridge.gateway.policy import POLICY_RULES, MailFacts, SpaceFacts, decide
from bridge.subjects import normalize_subject, strip_reply_prefixes

D = "kairan.test.lg.jp"


@pytest.mark.parametrize("address,expected", [
    ("zeimu@kairan.test.lg.jp", SpaceAddress("zeimu", None)),
    ("<ZEIMU@Kairan.Test.LG.JP>", SpaceAddress("zeimu", None)),
    ("zeimu+ab12cd@kairan.test.lg.jp", SpaceAddress("zeimu", "ab12cd")),
    ("Zeimu+AB12CD@kairan.test.lg.jp", SpaceAddress("zeimu", "ab12cd")),
    ("zeimu@other.lg.jp", None),
    ("zeimu+@kairan.test.lg.jp", None),
    ("ze imu@kairan.test.lg.jp", None),
    ("", None),
    ("@kairan.test.lg.jp", None),
])
def test_parse_space_address(address, expected):
    assert parse_space_address(address, D) == expected


@pytest.mark.parametrize("subject", [
    "研修の日程", "Re: 研修の日程", "RE: Re: 研修の日程", "Fwd: 研修の日程", "FW: RE: 研修の日程",
    "転送: 研修の日程", "返信: 研修の日程", "Re[2]: 研修の日程", "[zeimu] Re: 研修の日程", "Re: [zeimu:0012] 研修の日程",
    "ＲＥ：研修の日程", "Re:  研修の日程 ", "AW: 研修の日程", "Sv: 研修の日程",
])
def test_reply_prefixes_and_tags_normalize_away(subject):
    assert normalize_subject(subject) == "研修の日程"


def test_normalization_keeps_meaningful_brackets():
    assert normalize_subject("Re: 【照会】備蓄状況") == "【照会】備蓄状況"


def test_a_word_starting_like_a_prefix_is_kept():
    assert normalize_subject("Report: 月次") == "report: 月次"
    assert normalize_subject("Rest of it") == "rest of it"


def test_thread_title_keeps_the_authors_casing():
    assert strip_reply_prefixes("RE: Re: Budget Plan 2027") == "Budget Plan 2027"


def facts(**changes) -> MailFacts:
    base = dict(size=100, size_limit=1000, envelope_sender="a@x.lg.jp", from_address="a@x.lg.jp",
                our_domain=D, our_loop_marker=f"kairan@{D}", spaces=(SpaceFacts("zeimu", True, True),))
    base.update(changes)
    return MailFacts(**base)


@pytest.mark.parametrize("changes,rule,code", [
    (dict(size=1001), "too_big", "552"),
    (dict(x_loops=(f"KAIRAN@{D}",)), "our_own_loop", "554"),
    (dict(message_id=f"<abc@{D}>"), "our_own_loop", "554"),
    (dict(from_address=f"zeimu@{D}"), "from_our_domain", "554"),
    (dict(envelope_sender=""), "delivery_report", "550"),
    (dict(from_address="MAILER-DAEMON@x.lg.jp"), "delivery_report", "550"),
    (dict(auto_submitted="auto-replied"), "auto_submitted", "550"),
    (dict(precedence="bulk"), "bulk_precedence", "550"),
    (dict(precedence="List"), "bulk_precedence", "550"),
    (dict(from_address=""), "no_from", "550"),
    (dict(spaces=(SpaceFacts("zeimu", False, True),)), "sender_not_member", "550"),
    (dict(spaces=(SpaceFacts("zeimu", True, False),)), "sender_not_member", "550"),
])
def test_each_rule_refuses_its_case(changes, rule, code):
    decision = decide(facts(**changes))
    assert decision is not None and decision.rule == rule and decision.reply.startswith(code)


def test_ordinary_member_mail_passes_every_rule():
    assert decide(facts(auto_submitted="no", precedence="")) is None


def test_the_first_rule_in_the_table_decides():
    decision = decide(facts(size=5000, precedence="bulk"))
    assert decision.rule == "too_big" and POLICY_RULES[0].__name__ == "too_big"
