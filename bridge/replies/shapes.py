"""Telling a short signature from text by the shape of its lines, not by a list of names.

Japanese office signatures without a delimiter are one to three lines such as
`智頭町 企画課`, `森 一樹（もり かずき）`, `智頭町 企画課　森 一樹（内線 215）`: tokens
(split at ASCII or full-width spaces) that end in an organization or title word,
then a personal name of 1–4 + 1–4 kanji (or 3–5 kanji run together; a given name
may be kana), then optionally a reading or an extension/phone in parentheses.
A bare name alone, a greeting, or a sentence is not a signature.
"""

from __future__ import annotations

import re

_ORG_END = re.compile(r"(?:県|都|道|府|市|町|村|区|課|係|室|部|局|班|庁|所|館|署|院|校|会|団|社|店|グループ|チーム|センター"
                      r"|担当|役場|役所|本部|支所|組合|法人|株式会社|有限会社|㈱|㈲|事務局|研究所|委員会|協議会)$")
# Suffixes that end offices but (almost) never family names: 西村, 阿部, 田所, 小室 are people.
_STRONG_ORG_END = re.compile(r"(?:県|都|府|市|町|課|係|局|班|庁|署|グループ|チーム|センター|担当|役場|役所|本部|支所|組合|法人"
                             r"|株式会社|有限会社|㈱|㈲|事務局|研究所|委員会|協議会)$")
_TITLE = re.compile(r"^(?:主任|主事|主査|係長|課長|室長|部長|局長|所長|参事|補佐|課長補佐|主幹|副主幹|次長|技師|保健師"
                    r"|指導主事|専門員|会計年度任用職員|担当|理事|主任主事|技術員|事務員)$")
_KANJI_NAME = re.compile(r"^[一-龥々〆ヶ]{1,4}$")
_GIVEN_NAME = re.compile(r"^[一-龥々〆ヶぁ-んァ-ヶー]{1,4}$")
_JOINED_NAME = re.compile(r"^[一-龥々〆ヶ]{3,5}$")
_PAREN = re.compile(r"[（(]([^（）()]{1,30})[）)]\s*$")
_READING = re.compile(r"^[ぁ-んァ-ヶー・ 　A-Za-z.\-]{2,30}$")
_NUMBER = re.compile(r"(?:内線|外線|TEL|Tel|tel|電話|直通|ext\.?|Ext\.?)\s*[:：.]?\s*[0-9０-９][0-9０-９\-－()（） ]{1,16}$"
                     r"|^[0-9０-９]{2,5}[\-－][0-9０-９]{2,4}[\-－][0-9０-９]{3,4}$")
_SENTENCE = re.compile(r"[。、！？!?「」]|です|ます|ました|ください|お願い")
_CLOSING = re.compile(r"^(?:以上|敬具|草々|早々|不一|取急|謹白|再拝|拝|宜敷|追伸|記|御中|各位|様|殿)$")
_SPACES = re.compile(r"[ \u3000\t]+")


def line_kind(line: str) -> str | None:
    """'orgname', 'org', 'name', 'name+' (a name with a reading or number), 'number', or None for text."""
    text = line.strip()
    if not text or len(text) > 48 or _SENTENCE.search(text):
        return None
    extra = False
    for _ in range(2):          # a reading and an extension may both follow the name
        paren = _PAREN.search(text)
        if not paren:
            break
        inner = paren.group(1).strip()
        if not (_READING.match(inner) or _NUMBER.search(inner)):
            return None
        extra, text = True, text[:paren.start()].strip()
    if not text:
        return "number" if extra else None
    if _NUMBER.search(text) and not _ORG_END.search(_SPACES.split(text)[0]):
        return "number"
    tokens = _SPACES.split(text)
    for k in range(len(tokens) + 1):
        head, tail = tokens[:k], tokens[k:]
        if not all(_ORG_END.search(t) or _TITLE.match(t) for t in head):
            break
        if _is_name(tail, after_org=bool(head)):
            kind = "orgname" if head else "name"
            return kind + ("+" if extra and kind == "name" else "")
        if not tail:
            return "org" if not extra else "orgname"
    return None


def _is_name(tokens: list[str], after_org: bool) -> bool:
    """A family and a given name, or a run of 3–5 kanji (a bare family name is not a signature)."""
    if any(_STRONG_ORG_END.search(t) or _TITLE.match(t) or _CLOSING.match(t) for t in tokens):
        return False
    if len(tokens) == 2:
        return bool(_KANJI_NAME.match(tokens[0]) and _GIVEN_NAME.match(tokens[1]))
    return len(tokens) == 1 and bool(_JOINED_NAME.match(tokens[0]))


def is_short_signature(lines: list[str]) -> bool:
    """1–3 lines that together name an office and a person, or a person with a reading/extension."""
    if not 1 <= len(lines) <= 3:
        return False
    kinds = [line_kind(line) for line in lines]
    if None in kinds:
        return False
    has = set(kinds)
    return "orgname" in has or "name+" in has or ("org" in has and bool(has & {"name", "name+"})) \
        or ("name" in has and "number" in has)


def is_footer(block: list[str]) -> bool:
    """Lines under a decorative rule at the end that read like an office's name and a person."""
    content = [line.strip() for line in block if line.strip()]
    return 0 < len(content) <= 3 and is_short_signature(content)
