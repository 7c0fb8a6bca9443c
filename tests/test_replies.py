"""Unit tests for reply extraction: one rule each."""

from __future__ import annotations

from bridge.replies.extract import extract_reply


def reply(text: str, html: str = "", subject: str = "") -> str:
    return extract_reply(text, html, subject).reply_text


def test_trailing_gt_quote_and_attribution_removed():
    assert reply("Yes.\n\nOn Mon, 1 Jan 2024, Bob <b@x.org> wrote:\n> Can you?\n") == "Yes.\n"


def test_fullwidth_gt_trailing_quote_removed():
    assert reply("了解です。\n\n＞ご確認ください。\n＞田中\n") == "了解です。\n"


def test_pipe_quote_removed():
    assert reply("承知しました。\n\n| 田中様\n| よろしく\n") == "承知しました。\n"


def test_inline_answers_keep_quoted_context():
    text = "Hi Bob,\n\nOn Mon, Bob <b@x.org> wrote:\n> Q1?\nA1.\n> Q2?\nA2.\n"
    assert reply(text) == "Hi Bob,\n\n> Q1?\nA1.\n> Q2?\nA2.\n"


def test_bottom_post_leading_quote_removed():
    assert reply("2024年5月13日(月) 10:21 田中 <t@x.jp>:\n> 質問です\n\n回答です。\n") == "回答です。\n"


def test_gt_equals_line_is_new_text():
    assert reply("基準:\n>= 80点 修了\n") == "基準:\n>= 80点 修了\n"


def test_outlook_japanese_header_block_cuts_everything_below():
    text = "了解です。\n\n________________________________\n差出人: 田中 <t@x.jp>\n送信日時: 2024年5月1日 9:00\n" \
           "宛先: 山田\n件名: 会議\n\n本文\n"
    result = extract_reply(text)
    assert result.reply_text == "了解です。\n" and result.quoted_text.startswith("_____")


def test_original_message_separator_cuts():
    assert reply("OK\n\n-----Original Message-----\nFrom: a\nhello\n") == "OK\n"


def test_apple_japanese_attribution():
    assert reply("はい。\n\n2024/06/10 18:12、田中 <t@x.jp>のメッセージ:\n\n> 確認\n") == "はい。\n"


def test_becky_two_line_attribution():
    text = "了解\n\nOn Wed, 15 May 2024 17:42:00 +0900\n中村 <n@x.jp> wrote:\n> 件数\n"
    assert reply(text) == "了解\n"


def test_german_attribution():
    assert reply("Danke\n\nAm 01.02.2024 um 10:00 schrieb Max <m@x.de>:\n> Frage\n") == "Danke\n"


def test_forward_kept_whole():
    text = "FYI\n\n---------- Forwarded message ---------\nFrom: a <a@x>\nSubject: s\n\nbody\n"
    assert reply(text) == text


def test_outlook_block_kept_when_subject_says_forward():
    text = "共有します。\n\n________________________________\n差出人: a <a@x>\n件名: 注意\n\n本文\n"
    assert reply(text, subject="FW: 注意") == text


def test_dash_dash_signature_cut_losslessly():
    result = extract_reply("Hi\n\n-- \nBob\nACME\n")
    assert result.reply_text == "Hi\n" and result.signature == "-- \nBob\nACME\n"


def test_mobile_footer_cut():
    assert reply("了解です\n\niPhoneから送信\n") == "了解です\n"


def test_sent_from_my_sentence_is_not_a_footer():
    text = "Hi\n\nSent from my desk, is much easier than my mobile phone.\n"
    assert reply(text) == text


def test_ruled_signature_box_cut():
    text = "以上\n\n━━━━━━━━━━━━\n鳥取県 総務課\n山田 太郎\nTEL 0857-00-0000\n━━━━━━━━━━━━\n"
    assert reply(text) == "以上\n"


def test_contact_block_without_delimiter_cut():
    text = "よろしくお願いいたします。\n鳥取県 総務課\n山田 太郎\n電話 0857-00-0000\nyamada@pref.example.jp\n"
    assert reply(text) == "よろしくお願いいたします。\n"


def test_closing_and_bare_name_kept():
    assert reply("Works now.\n\nThanks,\nBob\n") == "Works now.\n\nThanks,\nBob\n"


def test_html_only_outlook_reply_cut_at_divrplyfwdmsg():
    html = '<div>了解です。</div><hr><div id="divRplyFwdMsg"><b>差出人:</b> a</div><div>old</div>'
    assert reply("", html) == "了解です。\n"


def test_html_only_blockquote_cite_removed():
    html = "<p>Yes</p><div>On Mon, Bob wrote:</div><blockquote type=\"cite\">Q?</blockquote>"
    assert reply("", html) == "Yes\n"


def test_nothing_new_gives_empty_string():
    assert reply("> only a quote\n") == ""


def test_reply_text_normalized():
    assert reply("\n\n  hi  \r\nthere\t\n\n\n") == "  hi\nthere\n"


def test_history_starts_at_first_quoting_attribution_when_header_follows():
    text = ("First.\n\nOn Mon, 1 Jan 2024, Bob <b@x.org> wrote:\n> older\n\nOlder unprefixed reply\n\n"
            "On 07.08.2022 um 23:55, Ann <a@x.org> wrote:\n\noldest\n")
    assert reply(text) == "First.\n"


def test_attribution_at_the_very_end_removed():
    assert reply("Merci.\n\n- Le 2021-04-09 23:25, Test a écrit :\n") == "Merci.\n"


def test_chinese_outlook_header_block_cuts():
    text = "好的。\n\n发件人: A <a@x.cn>\n发送时间: 2017年8月2日 15:37\n收件人: B\n主题: 会议\n\n旧\n"
    assert reply(text) == "好的。\n"


def test_bare_someone_wrote_without_quote_is_text():
    text = "Hi\n\nSomething wrote:\nplain text that follows\n"
    assert reply(text) == text


def test_wrapped_quote_line_belongs_to_trailing_quote():
    assert reply("Sure.\n\n> a long quoted line that the mailer\nwrapped here.\n") == "Sure.\n"
