"""Reply extraction and parsing on messages written for this test, not taken from the corpora.

Each case is raw RFC 5322 bytes built the way the imitated client sends them
(see `tests.mailbuild`), run through the same path as `kairan parse`, and
compared with what the corpus READMEs define: the new text without quotes,
attributions and signature; inline answers and forwards kept.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

import pytest

from bridge.ingest.understand import parse_result_json
from tests.corpora_support import normalize
from tests.mailbuild import alternative, ew, html_only, jis, message, multipart, part, plain, text_part, transfer


@dataclass(frozen=True)
class Case:
    name: str
    raw: bytes
    reply: str
    signature_has: str = ""
    quoted_has: str = ""


YONAGO = "山本 恵 <yamamoto-megumi@city.yonago.lg.jp>"
KURAYOSHI = "松本 健一 <matsumoto-kenichi@city.kurayoshi.lg.jp>"

BOX_HEAVY = """━━━━━━━━━━━━━━━━━━━━━━━━
米子市 福祉保健部 子育て支援課
　子育て支援係　主任　山本 恵
　〒683-8686 米子市加茂町一丁目1番地
　TEL：0859-23-5156（内線 3321）
　FAX：0859-23-5398
　E-mail：kosodate@city.yonago.lg.jp
━━━━━━━━━━━━━━━━━━━━━━━━"""

OUTLOOK_JA_HEADER = """-----Original Message-----
差出人: 松本 健一 [mailto:matsumoto-kenichi@city.kurayoshi.lg.jp]
送信日時: 2026年5月12日 16:48
宛先: 山本 恵
CC: 税務課 共有
件名: 【照会】固定資産税の課税資料について

山本 様

倉吉市税務課の松本です。
標記の件、5月20日までにご回答をお願いします。

松本"""

UNDERSCORE_HEADER = """________________________________
差出人: 松本 健一 <matsumoto-kenichi@city.kurayoshi.lg.jp>
送信日時: 2026年5月12日 16:48
宛先: 山本 恵 <yamamoto-megumi@city.yonago.lg.jp>
件名: 研修会の出欠について

各位

研修会の出欠を5月15日までにお知らせください。"""

QUOTE_GT = """> 山本様
>
> 倉吉市税務課の松本です。
> 標記の件、5月20日までにご回答をお願いします。
>
> 松本"""

BODY_SHORT = """松本様

米子市子育て支援課の山本です。
ご照会の件、別添のとおり回答いたします。

以上、よろしくお願いいたします。"""

SIG_DASHES = """-- 
米子市 子育て支援課
山本 恵 (内線 3321)"""


def reply_cases() -> list[Case]:
    cases = [
        # --- Outlook desktop, plain text (ISO-2022-JP) ---
        Case("outlook_jis_original_message_heavy_box",
             plain(f"{BODY_SHORT}\n\n{BOX_HEAVY}\n\n{OUTLOOK_JA_HEADER}\n"),
             BODY_SHORT, signature_has="子育て支援係", quoted_has="差出人: 松本"),
        Case("outlook_jis_underscores_star_box",
             plain("""皆様

お疲れ様です。境港市総務課の井上です。
研修会には2名で出席いたします。
① 井上 直樹（総務課）
② 髙橋 彩（企画課）

よろしくお願いいたします。

☆☆☆☆☆☆☆☆☆☆☆☆☆☆☆☆☆☆☆☆
境港市 総務部 総務課　井上 直樹
TEL 0859-47-1011 / FAX 0859-44-3001
☆☆☆☆☆☆☆☆☆☆☆☆☆☆☆☆☆☆☆☆

""" + UNDERSCORE_HEADER + "\n", subject="RE: 研修会の出欠について"),
             """皆様

お疲れ様です。境港市総務課の井上です。
研修会には2名で出席いたします。
① 井上 直樹（総務課）
② 髙橋 彩（企画課）

よろしくお願いいたします。""", signature_has="境港市 総務部"),
        Case("outlook_jis_english_headers_equals_box",
             plain("""松本様

湯梨浜町の中村です。
ご依頼の資料を添付にてお送りします。
ご査収のほどよろしくお願いいたします。

==================================
湯梨浜町役場 総務課 情報係
中村 雄一
Tel: 0858-35-5311  Fax: 0858-35-3700
Mail: nakamura-yuichi@yurihama.jp
==================================

-----Original Message-----
From: Matsumoto Kenichi [mailto:matsumoto-kenichi@city.kurayoshi.lg.jp]
Sent: Tuesday, May 12, 2026 4:48 PM
To: Nakamura Yuichi
Subject: 資料送付のお願い

中村様
資料の送付をお願いします。
"""),
             """松本様

湯梨浜町の中村です。
ご依頼の資料を添付にてお送りします。
ご査収のほどよろしくお願いいたします。"""),
        Case("outlook_jis_plain_signature_lines_no_box",
             plain("""各位

三朝町の小林です。
アンケートの回答期限を5月29日（金）まで延長します。
未回答の団体は期限までにご提出ください。

以上、よろしくお願いいたします。

三朝町 企画観光課
小林 由美子
電話：0858-43-3514
メール：kikaku@town.misasa.lg.jp

""" + OUTLOOK_JA_HEADER + "\n"),
             """各位

三朝町の小林です。
アンケートの回答期限を5月29日（金）まで延長します。
未回答の団体は期限までにご提出ください。

以上、よろしくお願いいたします。""", signature_has="電話：0858"),
        Case("outlook_jis_short_reply_bare_name_kept",
             plain("承知いたしました。\n対応いたします。\n\n山本\n\n" + UNDERSCORE_HEADER + "\n"),
             "承知いたしました。\n対応いたします。\n\n山本"),
        Case("outlook_jis_chain_prefixed_history",
             plain("""松本様

ありがとうございます。内容確認しました。

山本

-----Original Message-----
差出人: 松本 健一 [mailto:matsumoto-kenichi@city.kurayoshi.lg.jp]
送信日時: 2026年5月12日 16:48
宛先: 山本 恵
件名: RE: 課税資料

> 山本様
> 修正版を送ります。
>
> -----Original Message-----
> 差出人: 山本 恵
> 送信日時: 2026年5月11日 9:02
"""),
             "松本様\n\nありがとうございます。内容確認しました。\n\n山本"),
        Case("outlook_jis_box_dash_rule_and_url",
             plain("""ご担当者様

琴浦町の岡本です。
先日の会議資料について、2点修正をお願いします。
・3ページの表の合計欄
・5ページの日付（5月20日→5月21日）

よろしくお願いします。

──────────────────────
琴浦町 総務課 岡本 拓也
〒689-2392 鳥取県東伯郡琴浦町大字徳万591-2
TEL 0858-52-2111
https://www.town.kotoura.tottori.jp/
──────────────────────

""" + UNDERSCORE_HEADER + "\n"),
             """ご担当者様

琴浦町の岡本です。
先日の会議資料について、2点修正をお願いします。
・3ページの表の合計欄
・5ページの日付（5月20日→5月21日）

よろしくお願いします。"""),
        Case("outlook_html_alt_jis_plain_used",
             message(multipart("alternative", [
                 text_part("お世話になっております。\n北栄町の斎藤です。\n\n出席者は①斎藤、②﨑山の2名です。\n\n北栄町 総務課 斎藤\nTEL 0858-37-3111\n\n"
                           + UNDERSCORE_HEADER + "\n"),
                 text_part('<html><body><div class=WordSection1><p class=MsoNormal>お世話になっております。</p>'
                           '<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0mm 0mm 0mm">'
                           '<p><b>差出人:</b> 松本</p></div></div></body></html>', "html", cte="quoted-printable"),
             ], "----=_NextPart_000_0012_01DC1234.ABCDEF00")),
             "お世話になっております。\n北栄町の斎藤です。\n\n出席者は①斎藤、②﨑山の2名です。"),
        # --- Microsoft 365 / OWA ---
        Case("m365_alt_utf8_underscores",
             alternative("""松本さん

了解です。来週の打合せは5月19日（火）14時からでお願いします。
場所は本庁舎3階の第2会議室です。

山本

________________________________
差出人: 松本 健一 <matsumoto-kenichi@city.kurayoshi.lg.jp>
送信日時: 2026年5月12日 16:48
宛先: 山本 恵 <yamamoto-megumi@city.yonago.lg.jp>
CC: 井上 直樹 <inoue@city.sakaiminato.lg.jp>
件名: 打合せ日程

山本さん
日程のご都合を教えてください。
""", '<html><body><div dir="ltr">松本さん</div><hr><div id="divRplyFwdMsg">差出人: 松本</div></body></html>'),
             "松本さん\n\n了解です。来週の打合せは5月19日（火）14時からでお願いします。\n場所は本庁舎3階の第2会議室です。\n\n山本"),
        Case("owa_html_only_divrplyfwdmsg_signature",
             html_only("""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><style>p {margin:0}</style></head>
<body dir="ltr"><div style="font-family: Calibri; font-size: 11pt;">井上様</div>
<div style="font-family: Calibri; font-size: 11pt;"><br></div>
<div style="font-family: Calibri; font-size: 11pt;">日南町の前田です。</div>
<div style="font-family: Calibri; font-size: 11pt;">名簿の件、承知しました。修正版を本日中にお送りします。</div>
<div style="font-family: Calibri; font-size: 11pt;"><br></div>
<div id="Signature"><div>――――――――――――――――</div><div>日南町 企画課　前田 翔太</div><div>TEL 0859-82-1111</div><div>――――――――――――――――</div></div>
<div id="appendonsend"></div>
<hr style="display:inline-block;width:98%" tabindex="-1">
<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" color="#000000"><b>差出人:</b> 井上 直樹 &lt;inoue@city.sakaiminato.lg.jp&gt;<br><b>送信日時:</b> 2026年5月12日 16:48<br><b>宛先:</b> 前田 翔太<br><b>件名:</b> 名簿</font><div>&nbsp;</div></div>
<div>前田様 名簿の修正をお願いします。</div></body></html>"""),
             "井上様\n\n日南町の前田です。\n名簿の件、承知しました。修正版を本日中にお送りします。",
             quoted_has="差出人"),
        Case("outlook_html_only_jis_border_top_spaced_style",
             html_only("""<html><body lang=JA><div class=WordSection1>
<p class=MsoNormal>承知しました。<o:p></o:p></p>
<p class=MsoNormal>5月20日までに提出します。<o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<div><div style="border: none; border-top: solid #E1E1E1 1.0pt; padding: 3.0pt 0mm 0mm 0mm">
<p class=MsoNormal><b>差出人<span lang=EN-US>:</span></b> 松本 健一<br><b>送信日時<span lang=EN-US>:</span></b> 2026年5月12日 16:48<br><b>件名<span lang=EN-US>:</span></b> 提出依頼</p></div></div>
<p class=MsoNormal>提出をお願いします。</p></div></body></html>""", charset="iso-2022-jp"),
             "承知しました。\n5月20日までに提出します。"),
        Case("new_outlook_html_only_reference_container",
             html_only("""<html><body><div class="elementToProof">確認しました。問題ありません。</div>
<div class="elementToProof"><br></div>
<div id="mail-editor-reference-message-container"><div class="ms-outlook-mobile-reference-message">
<div style="text-align:left"><b>From: </b>松本 健一 &lt;matsumoto-kenichi@city.kurayoshi.lg.jp&gt;<br><b>Date: </b>Tuesday, May 12, 2026 at 16:48<br><b>To: </b>山本 恵<br><b>Subject: </b>確認依頼</div>
<div>山本様 ご確認ください。</div></div></div></body></html>"""),
             "確認しました。問題ありません。"),
        # --- Thunderbird ---
        Case("thunderbird_en_attribution_flowed",
             plain("""松本様 

日吉津村の吉田です。 
講師の件、了承しました。 
当日はよろしくお願いします。

-- 
日吉津村 総務課 吉田 誠
TEL 0859-27-5951

On 2026/05/12 16:48, 松本 健一 wrote:
> 吉田様
>
> 研修会の講師をお願いできますでしょうか。
""", charset="utf-8", cte="8bit"),
             "松本様\n\n日吉津村の吉田です。\n講師の件、了承しました。\n当日はよろしくお願いします。",
             signature_has="日吉津村 総務課"),
        Case("thunderbird_ja_ui_attribution",
             plain("""了解しました。資料は共有フォルダに置いてあります。

2026/05/12 16:48 に 松本 健一 さんは書きました:
> 資料はどこにありますか？
""", charset="utf-8", cte="8bit"),
             "了解しました。資料は共有フォルダに置いてあります。"),
        Case("thunderbird_bottom_post_nested",
             plain("""On 2026/05/12 16:48, 松本 健一 wrote:
> 山本様
>
> On 2026/05/11 9:02, 山本 恵 wrote:
>> 会場はどこですか？
> 本庁舎3階です。

ありがとうございます。当日伺います。

-- 
山本 恵
""", charset="utf-8", cte="8bit"),
             "ありがとうございます。当日伺います。"),
        Case("thunderbird_inline_answers_attribution_kept_by_author",
             plain("""松本様

山本です。回答します。

On 2026/05/12 16:48, 松本 健一 wrote:
> 1. 参加人数
3名です。

> 2. 駐車場の要否
1台分お願いします。

> 以上、よろしくお願いします。
> 松本

山本
""", charset="utf-8", cte="8bit"),
             """松本様

山本です。回答します。

> 1. 参加人数
3名です。

> 2. 駐車場の要否
1台分お願いします。

> 以上、よろしくお願いします。
> 松本

山本"""),
        Case("thunderbird_html_only_moz_cite",
             html_only("""<html><head><meta http-equiv="content-type" content="text/html; charset=UTF-8"></head><body>
<p>松本様</p><p>承知しました。議事録は明日お送りします。</p>
<pre class="moz-signature" cols="72">-- 
米子市 子育て支援課 山本 恵</pre>
<div class="moz-cite-prefix">On 2026/05/12 16:48, 松本 健一 wrote:<br></div>
<blockquote type="cite"><p>議事録の送付をお願いします。</p></blockquote></body></html>""", cte="8bit"),
             "松本様\n承知しました。議事録は明日お送りします。"),
        Case("thunderbird_forward_english_labels",
             plain("""各位

参考までに転送します。

-------- Forwarded Message --------
Subject: 防災訓練の日程
Date: Tue, 12 May 2026 16:48:02 +0900
From: 松本 健一 <matsumoto-kenichi@city.kurayoshi.lg.jp>
To: bousai-ml@example.lg.jp

各位

防災訓練は6月7日（日）に実施します。

松本
""", charset="utf-8", cte="8bit", subject="Fwd: 防災訓練の日程"),
             """各位

参考までに転送します。

-------- Forwarded Message --------
Subject: 防災訓練の日程
Date: Tue, 12 May 2026 16:48:02 +0900
From: 松本 健一 <matsumoto-kenichi@city.kurayoshi.lg.jp>
To: bousai-ml@example.lg.jp

各位

防災訓練は6月7日（日）に実施します。

松本"""),
        # --- Becky! ---
        Case("becky_two_line_quoted_name",
             plain("""松本さん

承知しました。明日の午前中に伺います。

◆◇◆◇◆◇◆◇◆◇◆◇◆◇◆◇◆◇
　大山町 建設課　福田 亮
　TEL 0859-54-5207
◆◇◆◇◆◇◆◇◆◇◆◇◆◇◆◇◆◇

On Tue, 12 May 2026 16:48:02 +0900
"松本 健一" <matsumoto-kenichi@city.kurayoshi.lg.jp> wrote:

> 福田さん
>
> 現場確認の日程をお知らせください。
"""),
             "松本さん\n\n承知しました。明日の午前中に伺います。", signature_has="大山町 建設課"),
        Case("becky_inline_with_attribution_and_bar_box",
             plain("""松本さん

福田です。

On Tue, 12 May 2026 16:48:02 +0900
松本 健一 <matsumoto-kenichi@city.kurayoshi.lg.jp> wrote:
> 現場は何時からですか。
10時からです。

> 雨天の場合は？
翌日に順延します。

――――――――――――――――――
大山町 建設課 福田 亮
――――――――――――――――――

> よろしくお願いします。
"""),
             "松本さん\n\n福田です。\n\n> 現場は何時からですか。\n10時からです。\n\n> 雨天の場合は？\n翌日に順延します。"),
        # --- Active! mail ---
        Case("activemail_original_message_asterisk_box",
             plain("""山本様

倉吉市の松本です。
ご回答ありがとうございました。

＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊
倉吉市 総務部 税務課
松本 健一
TEL：0858-22-8111
＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊

----- Original Message -----
From: "山本 恵" <yamamoto-megumi@city.yonago.lg.jp>
To: matsumoto-kenichi@city.kurayoshi.lg.jp
Date: Tue, 12 May 2026 16:48:02 +0900
Subject: Re: 照会

> 松本様
> 回答いたします。
"""),
             "山本様\n\n倉吉市の松本です。\nご回答ありがとうございました。"),
        Case("activemail_new_message_dashed_signature",
             plain("""関係各位

下記のとおり説明会を開催します。

　日時：2026年6月3日（水）13:30～15:00
　場所：県庁第1会議室

出欠を5月27日までにお知らせください。

以上

-------------------------------------------
若桜町 産業観光課　谷口 久美子
〒680-0792 鳥取県八頭郡若桜町大字若桜801-5
TEL：0858-82-2238
-------------------------------------------
"""),
             """関係各位

下記のとおり説明会を開催します。

　日時：2026年6月3日（水）13:30～15:00
　場所：県庁第1会議室

出欠を5月27日までにお知らせください。

以上"""),
        # --- Gmail ---
        Case("gmail_ja_attribution_blank_then_quote",
             plain("""松本さん

了解しました！

-- 
山本 恵
米子市 子育て支援課

2026年5月12日(火) 16:48 松本 健一 <matsumoto-kenichi@city.kurayoshi.lg.jp>:

> 山本さん
>
> 明日の会議、15分遅れで始めます。
""", charset="utf-8", cte="base64"),
             "松本さん\n\n了解しました！"),
        Case("gmail_ja_attribution_wrapped_before_address",
             plain("""承知しました。よろしくお願いします。

2026年5月12日(火) 16:48 倉吉市税務課 固定資産税係 松本健一 <
matsumoto-kenichi@city.kurayoshi.lg.jp>:

> 資料を送付します。
""", charset="utf-8", cte="base64"),
             "承知しました。よろしくお願いします。"),
        Case("gmail_ja_attribution_wrapped_closing_bracket",
             plain("""拝見しました。問題ありません。

2026年5月12日(火) 16:48 Kenichi Matsumoto <matsumoto-kenichi@city.kurayoshi.lg.jp
>:

> ご確認ください。
""", charset="utf-8", cte="base64"),
             "拝見しました。問題ありません。"),
        Case("gmail_en_wrapped_on_wrote_ja_body",
             plain("""Thanks, I will check it tomorrow.

Megumi

On Tue, May 12, 2026 at 4:48 PM 松本 健一 <matsumoto-kenichi@city.kurayoshi.lg.jp>
wrote:

> 山本さん
> 確認お願いします。
""", charset="utf-8", cte="base64"),
             "Thanks, I will check it tomorrow.\n\nMegumi"),
        Case("gmail_forward_kept_whole",
             plain("""課内共有です。

---------- Forwarded message ---------
From: 松本 健一 <matsumoto-kenichi@city.kurayoshi.lg.jp>
Date: 2026年5月12日(火) 16:48
Subject: 説明会の案内
To: <kosodate@city.yonago.lg.jp>


説明会を6月3日に開催します。

松本
""", charset="utf-8", cte="base64", subject="Fwd: 説明会の案内"),
             """課内共有です。

---------- Forwarded message ---------
From: 松本 健一 <matsumoto-kenichi@city.kurayoshi.lg.jp>
Date: 2026年5月12日(火) 16:48
Subject: 説明会の案内
To: <kosodate@city.yonago.lg.jp>


説明会を6月3日に開催します。

松本"""),
        Case("gmail_bottom_post_alternative",
             alternative("""2026年5月12日(火) 16:48 松本 健一 <matsumoto-kenichi@city.kurayoshi.lg.jp>:

> 出欠をお知らせください。
>

出席します。
""", '<div dir="ltr"><div class="gmail_quote">…</div><br><div>出席します。</div></div>',
                         cte_html="quoted-printable"),
             "出席します。"),
        # --- iPhone / iPad ---
        Case("iphone_attribution_inside_quote",
             plain("""了解です！

iPhoneから送信

> 2026/05/12 16:48、松本 健一 <matsumoto-kenichi@city.kurayoshi.lg.jp>のメッセージ:
>
> 明日は直行でお願いします。
""", charset="utf-8", cte="quoted-printable"),
             "了解です！", signature_has="iPhoneから送信"),
        Case("iphone_no_mail_attribution_unprefixed",
             plain("""わかりました。15時に伺います。

2026/05/12 16:48、松本 健一 <matsumoto-kenichi@city.kurayoshi.lg.jp>のメール:

> 打合せは15時からです。
""", charset="utf-8", cte="quoted-printable"),
             "わかりました。15時に伺います。"),
        Case("ipad_english_tagline_japanese_body",
             plain("""ありがとうございます。確認します。

Sent from my iPad

> On May 12, 2026, at 16:48, 松本 健一 <matsumoto-kenichi@city.kurayoshi.lg.jp> wrote:
>
> 資料です。
""", charset="utf-8", cte="quoted-printable"),
             "ありがとうございます。確認します。"),
        Case("iphone_alt_html_blockquote_plain_used",
             alternative("""承知しました。

iPhoneから送信

2026/05/12 16:48、松本 健一 <matsumoto-kenichi@city.kurayoshi.lg.jp>のメッセージ:

﻿お疲れ様です。
会議は中止です。
""", '<html><body><div>承知しました。</div><blockquote type="cite">会議は中止です。</blockquote></body></html>',
                         cte_text="quoted-printable", cte_html="quoted-printable"),
             "承知しました。"),
        Case("iphone_html_only_blockquote",
             html_only("""<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body dir="auto"><div dir="ltr">了解しました。向かいます。</div><div dir="ltr"><br><div>iPhoneから送信</div><div><br><blockquote type="cite">2026/05/12 16:48、松本 健一 &lt;matsumoto-kenichi@city.kurayoshi.lg.jp&gt;のメッセージ:<br><br></blockquote></div><blockquote type="cite"><div dir="ltr">﻿<div>至急来てください。</div></div></blockquote></div></body></html>"""),
             "了解しました。向かいます。"),
        # --- Android / carriers ---
        Case("galaxy_original_message_fullwidth_colons",
             plain("""了解です。向かいます。

Galaxy スマートフォンから送信しました。

-------- オリジナルメッセージ --------
送信元： 松本 健一 <matsumoto-kenichi@city.kurayoshi.lg.jp>
日付： 2026/05/12 16:48 (GMT+09:00)
宛先： 山本 恵 <yamamoto-megumi@city.yonago.lg.jp>
件名： 至急

至急連絡ください。
""", charset="utf-8", cte="base64"),
             "了解です。向かいます。"),
        Case("carrier_mail_moto_no_message",
             plain("""承知しました。

---- 元のメッセージ ----
差出人: 松本 健一 <matsumoto-kenichi@city.kurayoshi.lg.jp>
日時: 2026/05/12 16:48
件名: 連絡

明日の件です。
""", charset="utf-8", cte="base64"),
             "承知しました。"),
        # --- Lotus Notes ---
        Case("notes_dashed_wrote_header",
             plain("""松本様

了解いたしました。

山本

-----"松本 健一" <matsumoto-kenichi@city.kurayoshi.lg.jp> wrote: -----
宛先: 山本 恵 <yamamoto-megumi@city.yonago.lg.jp>
差出人: "松本 健一" <matsumoto-kenichi@city.kurayoshi.lg.jp>
日付: 2026/05/12 16:48
件名: 連絡

山本様 明日の件です。
"""),
             "松本様\n\n了解いたしました。\n\n山本"),
        Case("notes_dashed_ga_kakimashita_header",
             plain("""了解いたしました。

-----"松本 健一" <matsumoto-kenichi@city.kurayoshi.lg.jp>が書きました: -----

宛先: 山本 恵
差出人: "松本 健一" <matsumoto-kenichi@city.kurayoshi.lg.jp>
日付: 2026/05/12 16:48
件名: 連絡

明日の件です。
"""),
             "了解いたしました。"),
        Case("notes_wrote_on_attribution",
             plain("""Understood, we will join.

Kenichi Matsumoto/Zeimu/Kurayoshi wrote on 2026/05/12 16:48:44:

> Please tell us whether you join.
""", charset="us-ascii"),
             "Understood, we will join."),
        Case("notes_forwarded_by_kept",
             plain("""ご参考まで。

----- Forwarded by 山本 恵/子育て支援課/米子市 on 2026/05/13 10:21 -----

松本 健一 <matsumoto-kenichi@city.kurayoshi.lg.jp>
2026/05/12 16:48

説明会の案内です。
""", subject="転送: 説明会の案内"),
             """ご参考まで。

----- Forwarded by 山本 恵/子育て支援課/米子市 on 2026/05/13 10:21 -----

松本 健一 <matsumoto-kenichi@city.kurayoshi.lg.jp>
2026/05/12 16:48

説明会の案内です。"""),
        # --- Groupware (Shift_JIS 8bit) ---
        Case("groupware_sjis_gt_header_block",
             plain("""山本様

お世話になります。㈱山陰システムの髙木です。
ご指摘の件、修正版を来週お送りします。

＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿
㈱山陰システム 営業部　髙木 聡
TEL 0857-00-1234　携帯 090-0000-5678
＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿

>差出人：山本 恵
>日時：2026/05/12(火) 16:48
>件名：修正のお願い
>
>髙木様
>修正をお願いします。
""", charset="Shift_JIS", cte="8bit"),
             "山本様\n\nお世話になります。㈱山陰システムの髙木です。\nご指摘の件、修正版を来週お送りします。"),
        Case("groupware_sjis_fullwidth_nested",
             plain("""了解しました。

＞山本様
＞
＞＞松本様
＞＞日程をお知らせください。
＞6月3日です。
""", charset="cp932", cte="8bit"),
             "了解しました。"),
        # --- full-width and inline quotes ---
        Case("fullwidth_gt_inline_with_space",
             plain("""松本様

山本です。お答えします。

＞ 会場の収容人数
80名です。

＞ プロジェクターの有無
あります。

よろしくお願いします。

＞ 以上2点教えてください。
＞ 松本
"""),
             "松本様\n\n山本です。お答えします。\n\n＞ 会場の収容人数\n80名です。\n\n＞ プロジェクターの有無\nあります。\n\nよろしくお願いします。"),
        Case("gt_equals_lines_are_content",
             plain("""評価基準は次のとおりとします。

>= 90点 A
>= 70点 B
>= 50点 C

以上です。

-- 
鳥取県 教育委員会 谷口

On Tue, 12 May 2026 16:48:02 +0900
松本 健一 <matsumoto-kenichi@city.kurayoshi.lg.jp> wrote:
> 評価基準を教えてください。
"""),
             "評価基準は次のとおりとします。\n\n>= 90点 A\n>= 70点 B\n>= 50点 C\n\n以上です。"),
        # --- forwards ---
        Case("outlook_forward_original_message_kept",
             plain("""皆様

県からの依頼を転送します。ご対応ください。

""" + OUTLOOK_JA_HEADER + "\n", subject="FW: 【照会】固定資産税の課税資料について"),
             "皆様\n\n県からの依頼を転送します。ご対応ください。\n\n" + OUTLOOK_JA_HEADER),
        Case("outlook_forward_tensou_subject_signature_between",
             plain("""課長

ご確認をお願いします。

米子市 子育て支援課 山本
内線 3321

""" + UNDERSCORE_HEADER + "\n", subject="転送: 研修会の出欠について"),
             "課長\n\nご確認をお願いします。\n\n" + UNDERSCORE_HEADER),
        Case("iphone_forward_kept",
             plain("""共有します

iPhoneから送信

転送されたメッセージ:

差出人: 松本 健一 <matsumoto-kenichi@city.kurayoshi.lg.jp>
日付: 2026年5月12日 16:48:02 JST
宛先: 山本 恵 <yamamoto-megumi@city.yonago.lg.jp>
件名: 説明会

説明会は中止です。
""", charset="utf-8", cte="quoted-printable", subject="Fwd: 説明会"),
             """共有します

転送されたメッセージ:

差出人: 松本 健一 <matsumoto-kenichi@city.kurayoshi.lg.jp>
日付: 2026年5月12日 16:48:02 JST
宛先: 山本 恵 <yamamoto-megumi@city.yonago.lg.jp>
件名: 説明会

説明会は中止です。"""),
        # --- signatures, closings, names ---
        Case("signature_long_url_last_line",
             plain("""各位

倉吉市の松本です。
説明資料を市のホームページに掲載しました。

以上、よろしくお願いいたします。

倉吉市 総務部 税務課 固定資産税係
松本 健一
TEL 0858-22-8111
URL https://www.city.kurayoshi.lg.jp/gyousei/div/zeimu/kotei/documents/setsumei.html
"""),
             "各位\n\n倉吉市の松本です。\n説明資料を市のホームページに掲載しました。\n\n以上、よろしくお願いいたします。"),
        Case("signature_with_blank_line_inside",
             plain("""松本様

ご連絡ありがとうございます。
内容了解しました。

米子市 福祉保健部 子育て支援課
主任 山本 恵

TEL 0859-23-5156（内線 3321）
E-mail kosodate@city.yonago.lg.jp
"""),
             "松本様\n\nご連絡ありがとうございます。\n内容了解しました。"),
        Case("closing_and_bare_name_kept_no_signature",
             plain("""松本様

資料を拝見しました。特に修正はありません。

引き続きよろしくお願いいたします。
山本
"""),
             "松本様\n\n資料を拝見しました。特に修正はありません。\n\n引き続きよろしくお願いいたします。\n山本"),
        Case("phone_number_in_sentence_is_content",
             plain("""各位

当日の緊急連絡先は次のとおりです。
会場の代表電話は0859-22-0000です。
""", charset="utf-8", cte="8bit"),
             "各位\n\n当日の緊急連絡先は次のとおりです。\n会場の代表電話は0859-22-0000です。"),
        Case("circle_rule_box_signature",
             plain("""承知しました。よろしくお願いします。

◎━━━━━━━━━━━━━━━━━━◎
　智頭町 企画課　西村 彩
　Tel 0858-75-4111
◎━━━━━━━━━━━━━━━━━━◎
"""),
             "承知しました。よろしくお願いします。"),
        Case("dash_dash_signature_then_gt_quote_with_sig_box",
             plain(f"{BODY_SHORT}\n\n{SIG_DASHES}\n\n{QUOTE_GT}\n> \n> ━━━━━━━━━━━━━━━\n> 倉吉市 税務課\n"),
             BODY_SHORT, signature_has="内線 3321"),
        # --- English and other languages ---
        Case("english_outlook_underscores",
             plain("""Hi Kenji,

Thanks for the update. The revised schedule works for us.

Best regards,
Anna

Anna Schmidt | International Relations Officer
Prefectural Office
Tel: +81 857 26 0000

________________________________
From: Kenji Sato <kenji.sato@example.org>
Sent: Tuesday, May 12, 2026 4:48 PM
To: Anna Schmidt <anna@example.org>
Subject: Revised schedule

Hi Anna, see the revised schedule attached.
""", charset="utf-8", cte="quoted-printable", subject="RE: Revised schedule"),
             "Hi Kenji,\n\nThanks for the update. The revised schedule works for us.\n\nBest regards,\nAnna"),
        Case("french_gmail_attribution",
             plain("""Bonjour,

C'est noté, merci.

Le mar. 12 mai 2026 à 16:48, Jean Dupont <jean.dupont@example.fr> a écrit :

> Pouvez-vous confirmer la date ?
""", charset="utf-8", cte="quoted-printable"),
             "Bonjour,\n\nC'est noté, merci."),
        Case("german_outlook_block",
             plain("""Hallo Herr Sato,

vielen Dank, das passt.

Viele Grüße
Anna Schmidt

Von: Kenji Sato <kenji.sato@example.org>
Gesendet: Dienstag, 12. Mai 2026 16:48
An: Anna Schmidt <anna@example.org>
Betreff: Termin

Passt Ihnen Mittwoch?
""", charset="utf-8", cte="quoted-printable"),
             "Hallo Herr Sato,\n\nvielen Dank, das passt.\n\nViele Grüße\nAnna Schmidt"),
        Case("korean_gmail_attribution",
             plain("""네, 확인했습니다.

2026년 5월 12일 (화) 오후 4:48, 김민수 <minsu.kim@example.kr>님이 작성:

> 자료를 확인해 주세요.
""", charset="utf-8", cte="base64"),
             "네, 확인했습니다."),
        Case("chinese_attribution",
             plain("""收到，谢谢。

李明 <li.ming@example.cn> 于2026年5月12日周二 16:48写道：

> 请确认附件。
""", charset="utf-8", cte="base64"),
             "收到，谢谢。"),
        Case("spanish_attribution_parenthesized_address",
             plain("""Perfecto, gracias.

El mar, 12 may 2026 a las 16:48, Juan Pérez (<juan.perez@example.es>) escribió:

> ¿Te viene bien el jueves?
""", charset="utf-8", cte="quoted-printable"),
             "Perfecto, gracias."),
        Case("outlook_mobile_tagline",
             plain("""Sounds good, see you there.

Get Outlook for Android<https://aka.ms/AAb9ysg>
________________________________
From: Kenji Sato <kenji.sato@example.org>
Sent: Tuesday, May 12, 2026 4:48:02 PM
To: Anna Schmidt <anna@example.org>
Subject: Meeting

Meet at 3?
""", charset="utf-8", cte="quoted-printable"),
             "Sounds good, see you there."),
        Case("english_inline_answers_signature_dashes",
             plain("""Hi Kenji,

On Tue, May 12, 2026 at 4:48 PM Kenji Sato <kenji.sato@example.org> wrote:
> Can you send the draft by Friday?
Yes, it will be ready Thursday.

> Do you need the venue booked?
No, we have it.

Anna

-- 
Anna Schmidt
International Relations, Prefectural Office
""", charset="utf-8", cte="8bit"),
             "Hi Kenji,\n\n> Can you send the draft by Friday?\nYes, it will be ready Thursday.\n\n> Do you need the venue booked?\nNo, we have it.\n\nAnna",
             signature_has="Anna Schmidt"),
        # --- second round: wrapping, labels, endings ---
        Case("gmail_ja_attribution_wrapped_after_name",
             plain("""確認しました。

2026年5月12日(火) 16:48 倉吉市 総務部 税務課 固定資産税係 松本 健一
<matsumoto-kenichi@city.kurayoshi.lg.jp>:

> 確認お願いします。
""", charset="utf-8", cte="base64"),
             "確認しました。"),
        Case("groupware_fullwidth_colon_header_block",
             plain("""承知しました。

差出人：松本 健一 <matsumoto-kenichi@city.kurayoshi.lg.jp>
送信日時：2026年5月12日(火) 16:48
宛先：山本 恵
件名：連絡

明日の件です。
""", charset="Shift_JIS", cte="8bit"),
             "承知しました。"),
        Case("outlook_header_block_from_wrapped_address",
             plain("""了解です。

________________________________
差出人: 倉吉市 総務部 税務課 固定資産税係 松本 健一
 <matsumoto-kenichi@city.kurayoshi.lg.jp>
送信日時: 2026年5月12日 16:48
宛先: 山本 恵
件名: 連絡

明日の件です。
"""),
             "了解です。"),
        Case("thunderbird_us_date_attribution",
             plain("""I'll send it tomorrow morning.

On 5/12/26 4:48 PM, 松本 健一 wrote:
> Could you send the file?
""", charset="utf-8", cte="8bit"),
             "I'll send it tomorrow morning."),
        Case("fullwidth_inline_answers_with_gmail_attribution",
             plain("""松本さん

2026年5月12日(火) 16:48 松本 健一 <matsumoto-kenichi@city.kurayoshi.lg.jp>:
＞参加者数
5名です。
＞昼食の要否
不要です。

山本
""", charset="utf-8", cte="base64"),
             "松本さん\n\n＞参加者数\n5名です。\n＞昼食の要否\n不要です。\n\n山本"),
        Case("url_at_end_of_new_text_is_content",
             plain("""各位

説明会の資料を県のホームページに掲載しました。
掲載先
https://www.pref.tottori.lg.jp/item/1234567.htm
""", charset="utf-8", cte="8bit"),
             "各位\n\n説明会の資料を県のホームページに掲載しました。\n掲載先\nhttps://www.pref.tottori.lg.jp/item/1234567.htm"),
        Case("html_only_original_message_paragraphs_and_box",
             html_only("""<html><body>
<p>山本様</p><p>ご回答ありがとうございました。</p><p>以上、よろしくお願いいたします。</p>
<p>＝＝＝＝＝＝＝＝＝＝＝＝＝＝＝＝</p><p>倉吉市 税務課　松本 健一</p><p>TEL 0858-22-8111</p><p>＝＝＝＝＝＝＝＝＝＝＝＝＝＝＝＝</p>
<p>-----Original Message-----<br>From: 山本 恵 [mailto:yamamoto-megumi@city.yonago.lg.jp]<br>Sent: Tuesday, May 12, 2026 4:48 PM<br>To: 松本 健一<br>Subject: 回答</p>
<p>回答します。</p></body></html>""", charset="iso-2022-jp"),
             "山本様\nご回答ありがとうございました。\n以上、よろしくお願いいたします。"),
        Case("english_original_message_regards_kept",
             plain("""Hi Anna,

Attached is the final version.

Regards,
Tom

-----Original Message-----
From: Anna Schmidt [mailto:anna@example.org]
Sent: Tuesday, May 12, 2026 4:48 PM
To: Tom Baker
Subject: Final version

Could you send the final version?
""", charset="us-ascii"),
             "Hi Anna,\n\nAttached is the final version.\n\nRegards,\nTom"),
        Case("android_gmail_ja_signature_tagline",
             plain("""了解です

Android で Gmail を使用して送信

2026年5月12日(火) 16:48 松本 健一 <matsumoto-kenichi@city.kurayoshi.lg.jp>:

> 了解ですか？
""", charset="utf-8", cte="base64"),
             "了解です"),
    ]
    return cases


CASES = reply_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_reply_variant(case: Case):
    result = parse_result_json(case.raw)
    assert normalize(result["reply_text"]) == normalize(case.reply)
    assert case.signature_has in result["signature"]
    assert case.quoted_has in result["quoted_text"]


def test_variant_names_are_unique():
    assert len({c.name for c in CASES}) == len(CASES)


# --- parsing -----------------------------------------------------------------

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")
XLSX = b"PK\x03\x04" + bytes(range(256)) * 3


@dataclass(frozen=True)
class ParseCase:
    name: str
    raw: bytes
    expect: dict


def _attachment(ctype: str, data: bytes, headers: tuple[str, ...]) -> bytes:
    return part(ctype, transfer(data, "base64"), ("Content-Transfer-Encoding: base64", *headers))


def _mixed(body: bytes, *attachments: bytes, **kw) -> bytes:
    return message(multipart("mixed", [body, *attachments], "----=_Part_12345_67890.1778635293000"), **kw)


JIS_NAME = urllib.parse.quote(jis("実施要項"), safe="")
INNER = (b"From: =?ISO-2022-JP?B?GyRCPD5LXCEhN3I/dBsoQg==?= <matsumoto@example.lg.jp>\r\n"
         b"Subject: =?UTF-8?B?5YaF5YG05Lu25ZCN?=\r\nMIME-Version: 1.0\r\n"
         b"Content-Type: multipart/mixed; boundary=\"in\"\r\n\r\n--in\r\n"
         b"Content-Type: text/plain; charset=utf-8\r\n\r\ninner body\r\n--in\r\n"
         b"Content-Type: application/pdf; name=\"inner.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
         b"JVBERi0xLjQK\r\n--in--\r\n")


def parse_cases() -> list[ParseCase]:
    return [
        ParseCase("from_name_utf8_words_cut_mid_character",
                  plain("本文です。", charset="utf-8", cte="base64",
                        from_=f"{ew('米子市 子育て支援課 山本 恵', 'utf-8', cut=7)} <yamamoto-megumi@city.yonago.lg.jp>"),
                  {"from_name": "米子市 子育て支援課 山本 恵", "from_address": "yamamoto-megumi@city.yonago.lg.jp"}),
        ParseCase("from_name_sjis_q_words_cut_mid_character",
                  plain("本文", charset="utf-8", cte="8bit",
                        from_=f"\"{ew('髙橋 ①課', 'Shift_JIS', enc='Q', cut=3)}\" <takahashi@example.jp>"),
                  {"from_name": "髙橋 ①課", "from_address": "takahashi@example.jp"}),
        ParseCase("subject_mixed_charsets_and_ascii",
                  plain("本文", subject_charset="utf-8",
                        headers=(), subject="x") .replace(b"Subject: x",
                        f"Subject: Re: {ew('【照会】', 'iso-2022-jp')} {ew('①様式', 'utf-8')} (2026)".encode()),
                  {"subject": "Re: 【照会】①様式 (2026)"}),  # RFC 2047: blank between words goes
        ParseCase("rfc2231_filename_shift_jis",
                  _mixed(text_part("添付します。"), _attachment(
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", XLSX,
                      ("Content-Disposition: attachment; filename*=shift_jis''%8F%C6%89%EF%87%40.xlsx",))),
                  {"attachments": [{"filename": "照会①.xlsx", "size": len(XLSX),
                                    "content_type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}],
                   "body_contains": ["添付します。"]}),
        ParseCase("rfc2231_filename_iso2022jp_with_language",
                  _mixed(text_part("添付"), _attachment("application/pdf", b"%PDF-1.7\n",
                         (f"Content-Disposition: attachment;\r\n filename*0*=iso-2022-jp'ja'{JIS_NAME[:19]};\r\n"
                          f" filename*1*={JIS_NAME[19:]}.pdf",))),
                  {"attachments": [{"filename": "実施要項.pdf", "size": 9, "content_type": "application/pdf"}]}),
        ParseCase("rfc2231_filename_utf8_language_tag",
                  _mixed(text_part("添付", charset="utf-8", cte="8bit"), _attachment("text/csv", "a,b\r\n".encode(),
                         ("Content-Disposition: attachment; filename*=UTF-8'ja'%E5%90%8D%E7%B0%BF.csv",))),
                  {"attachments": [{"filename": "名簿.csv", "size": 5, "content_type": "text/csv"}]}),
        ParseCase("x_sjis_label",
                  plain("髙橋です。①②の件、承知しました～", charset="x-sjis", cte="8bit"),
                  {"body_contains": ["髙橋です。①②の件、承知しました～"]}),
        ParseCase("cp932_label_quoted",
                  plain("㈱山陰システム 髙木", charset="cp932", cte="base64"),
                  {"body_contains": ["㈱山陰システム 髙木"]}),
        ParseCase("shift_hyphen_jis_label",
                  plain("ﾊﾝｶｸｶﾅ と ～ と ㈲", charset="Shift-JIS", cte="8bit"),
                  {"body_contains": ["ﾊﾝｶｸｶﾅ と ～ と ㈲"]}),
        ParseCase("ks_c_5601_labelled_korean",
                  plain("안녕하세요. 자료를 보내드립니다.", charset="ks_c_5601-1987", cte="base64",
                        subject="자료 송부", subject_charset="ks_c_5601-1987"),
                  {"subject": "자료 송부", "body_contains": ["자료를 보내드립니다."]}),
        ParseCase("attached_message_without_filename_then_pdf",
                  _mixed(text_part("転送します。", charset="utf-8", cte="8bit"),
                         part("message/rfc822", INNER, ("Content-Disposition: attachment",)),
                         _attachment("application/pdf", b"%PDF-1.4\n%\xe2\xe3\n", (
                             f"Content-Disposition: attachment; filename=\"{ew('資料.pdf', 'iso-2022-jp')}\"",))),
                  {"attachments": [{"filename": None, "size": None, "content_type": "message/rfc822"},
                                   {"filename": "資料.pdf", "size": 13, "content_type": "application/pdf"}],
                   "body_contains": ["転送します。"]}),
        ParseCase("inline_image_with_content_id_in_related",
                  message(multipart("related", [
                      multipart("alternative", [text_part("図のとおりです。", charset="utf-8", cte="base64"),
                                                text_part('<p>図のとおりです。<img src="cid:image001.png@01DC1234"></p>',
                                                          "html", charset="utf-8", cte="base64")], "alt-b"),
                      _attachment("image/png", PNG, ('Content-ID: <image001.png@01DC1234>',
                                                     'Content-Disposition: inline; filename="image001.png"')),
                  ], "rel-b")),
                  {"attachments": [{"filename": "image001.png", "size": len(PNG), "content_type": "image/png"}],
                   "body_contains": ["図のとおりです。"]}),
        ParseCase("attachment_without_any_name",
                  _mixed(text_part("添付のとおり"), _attachment("application/octet-stream", b"\x00\x01\x02", ()),
                         _attachment("text/plain", "メモ".encode("cp932"), ("Content-Disposition: attachment",))),
                  {"attachments": [{"filename": None, "size": 3, "content_type": "application/octet-stream"},
                                   {"filename": None, "size": 4, "content_type": "text/plain"}],
                   "body_contains": ["添付のとおり"]}),
        ParseCase("says_iso2022jp_but_is_utf8",
                  message(part('text/plain; charset="ISO-2022-JP"', "実はUTF-8の本文です。\r\n".encode(),
                               ("Content-Transfer-Encoding: 8bit",))),
                  {"body_contains": ["実はUTF-8の本文です。"]}),
        ParseCase("says_us_ascii_but_is_8bit_sjis",
                  message(part("text/plain; charset=us-ascii", "髙橋です。資料を送ります。\r\n".encode("cp932"),
                               ("Content-Transfer-Encoding: 7bit",))),
                  {"body_contains": ["髙橋です。資料を送ります。"]}),
        ParseCase("says_shift_jis_but_is_utf8",
                  message(part("text/plain; charset=Shift_JIS", "ご確認ください。よろしくお願いします。\r\n".encode(),
                               ("Content-Transfer-Encoding: 8bit",))),
                  {"body_contains": ["ご確認ください。よろしくお願いします。"]}),
        ParseCase("missing_mime_version",
                  plain("MIME-Version のないメールです。①", mime_version=False),
                  {"body_contains": ["MIME-Version のないメールです。①"], "subject": "Re: 照会について"}),
        ParseCase("no_content_type_raw_utf8",
                  message("ヘッダのないUTF-8本文\r\n".encode(), mime_version=False)
                  .replace(b"Message-ID", b"X-Mailer: sendmail-script\r\nMessage-ID"),
                  {"body_contains": ["ヘッダのないUTF-8本文"]}),
        ParseCase("raw_8bit_utf8_from_name",
                  plain("本文", charset="utf-8", cte="8bit",
                        from_="\"山本 恵\" <yamamoto-megumi@city.yonago.lg.jp>"),
                  {"from_name": "山本 恵"}),
        ParseCase("html_only_shift_jis_meta_and_label",
                  html_only('<html><head><meta charset="Shift_JIS"></head><body><p>①会議室&nbsp;A</p><p>髙橋</p></body></html>',
                            charset="Shift_JIS", cte="quoted-printable"),
                  {"body_contains": ["①会議室 A", "髙橋"]}),
    ]


PARSE_CASES = parse_cases()


@pytest.mark.parametrize("case", PARSE_CASES, ids=[c.name for c in PARSE_CASES])
def test_parse_variant(case: ParseCase):
    result = parse_result_json(case.raw)
    for field, expected in case.expect.items():
        if field == "body_contains":
            assert all(piece in result["body_text"] for piece in expected), result["body_text"]
        elif field == "attachments":
            assert [{k: a[k] for k in ("filename", "size", "content_type")} for a in result["attachments"]] == expected
        else:
            assert result[field] == expected
