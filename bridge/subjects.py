"""Subjects: the one place reply prefixes, list tags and generic subjects are known.

- `normalize_subject`: the key subject matching uses (prefixes and ASCII list
  tags gone, width and case folded);
- `thread_subject`: the title stored and shown (prefixes, repeated or mixed
  `Re: RE: 転送:`, and the space's own `[title]` tag that notifications add,
  gone; the author's wording kept);
- `has_reply_prefix`: whether the subject says "reply" (a reply signal);
- `is_generic`: subjects too common to join threads by (「連絡」「ご報告」…).
"""

from __future__ import annotations

import re
import unicodedata

# Reply and forward prefixes of the mail clients in use, Japanese ones included,
# optionally numbered ("Re[2]:", "RE^3:") and with ASCII or full-width colons.
_REPLY_WORDS = r"re|ｒｅ|aw|sv|vs|rif|antw|odp|ynt|απ|отв|res|r|返信|返|回复|回覆|답장|회신"
_FORWARD_WORDS = r"fw|ｆｗ|fwd|ｆｗｄ|wg|tr|enc|rv|doorst|vb|転送|転|转发|轉寄|전달|İlt|ilt"
_NUMBER = r"(?:\[\d+\]|\^\d+|\(\d+\)|［\d+］)?"
_PREFIX = re.compile(rf"^\s*(?:(?:{_REPLY_WORDS}|{_FORWARD_WORDS})\s*{_NUMBER}\s*[:：]\s*)", re.IGNORECASE)
_REPLY_PREFIX = re.compile(rf"^\s*(?:{_REPLY_WORDS})\s*{_NUMBER}\s*[:：]", re.IGNORECASE)
# A leading tag: "[tax]", "[tax:0012]", "【照会】" stays (it carries meaning); ASCII brackets go.
_TAG = re.compile(r"^\s*\[[^\]]{0,40}\]\s*")
GENERIC = frozenset({
    "", "連絡", "ご連絡", "御連絡", "連絡です", "報告", "ご報告", "御報告", "お知らせ", "確認", "ご確認", "お願い",
    "お願いです", "ご依頼", "依頼", "送付", "ご送付", "資料", "資料送付", "質問", "ご質問", "問い合わせ", "お問い合わせ",
    "お問合せ", "相談", "ご相談", "件名なし", "(件名なし)", "無題", "(無題)", "(no subject)", "no subject", "none",
    "fyi", "test", "テスト", "hello", "hi", "お疲れ様です", "お世話になっております", "re", "fw", "fwd", "転送", "返信",
    "【連絡】", "【報告】", "【確認】", "【依頼】", "【お知らせ】", "【重要】", "【至急】", "至急", "重要",
})


def normalize_subject(subject: str) -> str:
    """Strip reply prefixes and list tags, repeatedly; fold width and case; squeeze spaces."""
    text = unicodedata.normalize("NFKC", subject or "")
    previous = None
    while previous != text:
        previous = text
        text = _PREFIX.sub("", text)
        text = _TAG.sub("", text)
    return " ".join(text.split()).casefold()


def strip_reply_prefixes(subject: str) -> str:
    """The subject without reply/forward prefixes, the author's wording kept."""
    return thread_subject(subject)


def thread_subject(subject: str, space_title: str = "") -> str:
    """The title to store and show: prefixes (however repeated or mixed) and the space's `[title]` tag gone."""
    text = " ".join((subject or "").split())
    tag = re.compile(rf"^\s*[\[［]\s*{re.escape(space_title.strip())}\s*[\]］]\s*") if space_title.strip() else None
    previous = None
    while previous != text:
        previous = text
        text = _PREFIX.sub("", text)
        if tag is not None:
            text = tag.sub("", text)
    return text.strip()


def has_reply_prefix(subject: str) -> bool:
    """`Re:`, `RE:`, `Ｒｅ：`, `返信:`, `AW:`, `SV:`, `Re[2]:` … before the topic (after any list tags)."""
    text = unicodedata.normalize("NFKC", subject or "")
    while not _REPLY_PREFIX.match(text):
        stripped = _TAG.sub("", _PREFIX.sub("", text, count=1))     # a forward prefix or a tag before it
        if stripped == text:
            return False
        text = stripped
    return True


def is_generic(norm_subject: str) -> bool:
    """A normalized subject too common to mean one topic (empty, 「連絡」, 「ご報告」, "(no subject)" …)."""
    text = norm_subject.strip().strip("。.!！ ")
    return text in GENERIC or len(text) <= 1
