"""Reply extraction and parsing on the failure classes seen on mail nobody here had seen.

Each case is a raw message built the way the imitated client sends it
(`tests.mailbuild`: ISO-2022-JP for Outlook/Becky!, Shift_JIS for carrier
phones, UTF-8 for Gmail/iPhone), written for this test from the clients'
habits, and run through the same path as `kairan parse`.  The classes: short
trailing signatures without a delimiter (cut by shape; a bare name or a
greeting stays), decorative rules and footers, `|`/`｜` quotes, raw 8-bit
file names, undeclared 8-bit text, carrier emoji.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bridge.ingest.understand import parse_result_json
from tests.mailbuild import message, multipart, part, plain, text_part


@dataclass(frozen=True)
class Case:
    name: str
    raw: bytes
    reply: str
    signature_has: str = ""


def jis(text: str, **kw) -> bytes:
    return plain(text, charset="iso-2022-jp", cte="7bit", **kw)


def utf8(text: str, **kw) -> bytes:
    return plain(text, charset="utf-8", cte="base64", **kw)


BODY = "各位\n\nお疲れ様です。\n研修会の資料を共有フォルダに置きました。\n当日までにご一読ください。"
BODY2 = "山本様\n\nご連絡ありがとうございます。\n出席者は2名でお願いします。"
QUOTE = "\n\n> 研修会の出欠をお知らせください。\n> 期限は5月20日です。\n"

SHORT_SIGNATURES = [
    ("org_and_full_name_one_line_extension", "智頭町 企画課　森 一樹（内線 215）"),
    ("org_line_then_full_name", "智頭町 企画課\n森 一樹"),
    ("org_line_name_with_reading", "八頭町 総務課\n田中 美咲（たなか みさき）"),
    ("name_with_reading_only", "小川 大輔（おがわ だいすけ）"),
    ("name_with_extension_only", "河野 真由美（内線 3302）"),
    ("dept_title_and_name", "鳥取県 税務課 主任　西村 拓海"),
    ("org_name_and_tel_in_parens", "若桜町 保健センター 岡田 恵子（TEL 0858-82-2238）"),
    ("three_lines_org_dept_name", "日野町役場\n健康福祉課 福祉係\n平井 陽介"),
    ("joined_full_name_with_extension", "江府町 総務課　佐々木秀樹（内線 118）"),
    ("fullwidth_space_name_and_kana_given", "岩美町 企画財政課\n山根 さくら"),
    ("name_then_number_line", "伯耆町 地域整備課\n石田 亮\n内線 4021"),
    ("title_name_and_reading_on_one_line", "係長　長谷川 敏（はせがわ さとし）"),
]
KEPT_ENDINGS = [
    ("bare_family_name", "森"),
    ("bare_two_kanji_family_name", "小川"),
    ("org_and_family_name_only", "湯梨浜町 松本"),
    ("closing_greeting_then_name", "よろしくお願いいたします。\n\n河野"),
    ("ijou_alone", "以上"),
    ("sentence_without_period", "資料は明日お送りします"),
]
RULE_LINES = [
    ("double_circles", "◎◎◎◎◎◎◎◎◎◎◎◎◎◎◎◎"), ("diamonds_mixed", "◆◇◆◇◆◇◆◇◆◇◆◇◆◇"),
    ("circles_mixed", "○●○●○●○●○●○●○●○●"), ("stars_mixed", "☆★☆★☆★☆★☆★☆★☆★"),
    ("reference_marks", "※※※※※※※※※※※※※※"), ("fullwidth_asterisks", "＊＊＊＊＊＊＊＊＊＊＊＊"),
    ("middle_dots", "・・・・・・・・・・・・・・・・"), ("wave_dashes", "～～～～～～～～～～～～～～"),
    ("box_drawing_light", "────────────────────"), ("dotted_box_drawing", "┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈"),
    ("mixed_equals_dash", "=-=-=-=-=-=-=-=-=-=-=-=-=-"), ("spaced_asterisks", "* * * * * * * * * * * *"),
    ("spaced_middle_dots", "・ ・ ・ ・ ・ ・ ・ ・ ・ ・"), ("ascii_dots", ".............................."),
]


def _in_cp932(text: str) -> bool:
    try:
        text.encode("cp932")
    except UnicodeEncodeError:
        return False
    return True


def reply_cases() -> list[Case]:
    cases = []
    for name, signature in SHORT_SIGNATURES:
        cases.append(Case(f"short_signature_{name}_outlook", jis(f"{BODY}\n\n{signature}\n"), BODY, signature.split("\n")[-1]))
        cases.append(Case(f"short_signature_{name}_gmail_above_quote",
                          utf8(f"{BODY2}\n\n{signature}\n\n2026年5月12日(火) 16:48 松本 健一 <matsumoto@example.lg.jp>:"
                               f"{QUOTE}"), BODY2, signature.split("\n")[0]))
    for name, ending in KEPT_ENDINGS:
        cases.append(Case(f"kept_{name}", jis(f"{BODY2}\n\n{ending}\n"), f"{BODY2}\n\n{ending}"))
    for name, rule in RULE_LINES:
        box = f"{rule}\n鳥取県 総務部 行政課　竹内 涼子\nTEL 0857-26-7000\n{rule}"
        build = jis if _in_cp932(rule) else utf8      # Outlook (JIS) when the characters allow, else Gmail
        cases.append(Case(f"rule_{name}_boxed_signature", build(f"{BODY}\n\n{box}\n"), BODY, "竹内 涼子"))
        footer = f"{rule}\n鳥取県 総務部 行政課\n竹内 涼子"
        cases.append(Case(f"rule_{name}_footer_signature", utf8(f"{BODY}\n\n{footer}\n"), BODY, "竹内 涼子"))
    for mark in ("|", "| ", "｜", "｜ "):
        label = {"|": "bar", "| ": "bar_space", "｜": "fullwidth_bar", "｜ ": "fullwidth_bar_space"}[mark]
        quote = f"{mark}研修会の出欠をお知らせください。\n{mark}期限は5月20日です。"
        cases.append(Case(f"quote_{label}_bottom", jis(f"{BODY2}\n\n松本さんのメール:\n{quote}\n"), BODY2))
        cases.append(Case(f"quote_{label}_mixed_with_gt",
                          jis(f"{BODY2}\n\n{mark}研修会の出欠をお知らせください。\n> {mark}前回の案内です。\n"), BODY2))
        inline = f"松本様\n\n{mark}出席者は何名ですか。\n2名です。\n\n{mark}昼食は必要ですか。\n不要です。"
        cases.append(Case(f"quote_{label}_inline_answer_kept", jis(inline + "\n"), inline))
    cases.append(Case("table_row_with_bars_is_text",
                      jis("結果です。\n|項目|件数|\n|申請|12|\n以上です。\n"), "結果です。\n|項目|件数|\n|申請|12|\n以上です。"))
    return cases


REPLY_CASES = reply_cases()


@pytest.mark.parametrize("case", REPLY_CASES, ids=[c.name for c in REPLY_CASES])
def test_reply_on_unseen_shapes(case: Case):
    result = parse_result_json(case.raw)
    assert result["reply_text"].strip() == case.reply.strip(), result
    if case.signature_has:
        assert case.signature_has in result["signature"]


def _mixed(*parts: bytes) -> bytes:
    return message(multipart("mixed", list(parts), "----=_Part_0_1234.5678"))


def _file(ctype_line: bytes, data: bytes = b"YWJj") -> bytes:
    return ctype_line + b"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + data + b"\r\n"


@pytest.mark.parametrize("name", ["申請表.xlsx", "ソフト一覧.pdf", "能力開発計画表.docx", "会議資料_令和8年度.xlsx"])
@pytest.mark.parametrize("encoding", ["cp932", "utf-8"])
@pytest.mark.parametrize("quoted", [True, False])
def test_raw_8bit_name_in_content_type_without_disposition(name, encoding, quoted):
    raw_name = name.encode(encoding)
    value = b'"' + raw_name + b'"' if quoted else raw_name
    raw = _mixed(text_part("添付します。", charset="utf-8", cte="8bit"),
                 _file(b"Content-Type: application/octet-stream; name=" + value))
    result = parse_result_json(raw)
    assert [a["filename"] for a in result["attachments"]] == [name]


UNDECLARED = [
    ("utf8", "研修会の資料を送ります。よろしくお願いします。".encode("utf-8"), "utf-8"),
    ("shift_jis", "髙橋です。研修会の資料を送ります。①②の件も承知しました～".encode("cp932"), "cp932"),
    ("euc_jp", "研修会の資料を送ります。よろしくお願いします。".encode("euc_jp"), "euc_jis_2004"),
    ("cyrillic", "Добрый день! Направляю вам материалы семинара. С уважением, Иван".encode("cp1251"), "cp1251"),
]


@pytest.mark.parametrize("label, header", [("none", b"Content-Type: text/plain"),
                                           ("us_ascii", b"Content-Type: text/plain; charset=us-ascii"),
                                           ("no_content_type", b"")], ids=["no_charset", "us_ascii", "no_header"])
@pytest.mark.parametrize("name, body, codec", UNDECLARED, ids=[u[0] for u in UNDECLARED])
def test_undeclared_8bit_text_is_detected_and_recorded(label, header, name, body, codec):
    head = (header + b"\r\nContent-Transfer-Encoding: 8bit\r\n") if header else b""
    raw = message(head + b"\r\n" + body + b"\r\n")
    mail = __import__("bridge.parsing.mime", fromlist=["parse_message"]).parse_message(raw)
    assert body.decode(codec) in mail.body_text
    assert any("undeclared 8-bit" in d and codec in d for d in mail.defects), mail.defects


CARRIER_EMOJI = [("docomo_sun", b"\xf8\x9f"), ("docomo_heart", b"\xf9\x95"), ("au_smile", b"\xf6\x60"),
                 ("au_face", b"\xf3\x40"), ("softbank_area", b"\xf7\x41")]


@pytest.mark.parametrize("label", ["Shift_JIS", None], ids=["labelled", "undeclared"])
@pytest.mark.parametrize("name, emoji", CARRIER_EMOJI, ids=[c[0] for c in CARRIER_EMOJI])
def test_carrier_emoji_do_not_break_what_follows(label, name, emoji):
    body = "明日は晴れ".encode("cp932") + emoji + "ですね。会議室は３階です。".encode("cp932")
    ctype = f"text/plain; charset={label}" if label else "text/plain"
    raw = message(part(ctype, body + b"\r\n", ("Content-Transfer-Encoding: 8bit",)), subject="Re: 会議")
    result = parse_result_json(raw)
    assert "明日は晴れ〓ですね。会議室は３階です。" in result["body_text"]


def test_softbank_escape_sequences_in_shift_jis():
    body = "了解です".encode("cp932") + b"\x1b$Gj\x0f" + "またあとで".encode("cp932")
    raw = message(part("text/plain; charset=Shift_JIS", body + b"\r\n", ("Content-Transfer-Encoding: 8bit",)))
    result = parse_result_json(raw)
    assert "了解です〓またあとで" in result["body_text"]
