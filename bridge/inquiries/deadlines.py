"""Reading a reply deadline out of Japanese office mail: 回答期限：１２月５日（金）17時まで → 2026-12-05.

Pure functions. A date counts as the deadline only when the text marks it as one:
a deadline word before it (回答期限：, 〆切, 提出期限は…) or after it (12/5〆, 12月5日必着),
or まで/までに/中に after it (12/5(金)17時まで) unless it closes a period (4月1日から3月31日まで).
Other dates (meetings, fiscal years, the date of a notice) are not deadlines.
Times of day are read past and dropped: the deadline is a date (end of that day).
A date without a year is the next such date on or after the day the mail was sent.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

ERA_START = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988}

_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_NUMBER = re.compile(r"([〇零一二三四五六七八九十]{1,4})(?=[年月日時])")
_GAN_NEN = re.compile(r"(令和|平成)\s*元\s*年")

_SEP = r"\s*[年./\-]\s*"
_DATE = re.compile(
    r"(?<![A-Za-z\d])(?P<era>令和|平成|R|H)\s*(?P<ey>\d{1,2})" + _SEP + r"(?P<em>\d{1,2})\s*[月./\-]\s*(?P<ed>\d{1,2})(?:\s*日)?"
    r"|(?<!\d)(?P<y>20\d{2})" + _SEP + r"(?P<m>\d{1,2})\s*[月./\-]\s*(?P<d>\d{1,2})(?:\s*日)?(?![\d])"
    r"|(?<![\d./\-])(?P<m2>\d{1,2})\s*(?:月\s*(?P<d2>\d{1,2})\s*日|/(?P<d3>\d{1,2})(?![\d/]))"
    r"|(?P<rel>今月|本月|来月|翌月)\s*末"
    r"|(?<![\d./\-])(?P<m4>\d{1,2})\s*月\s*末")

_WEEKDAY = r"(?:\s*\(\s*[月火水木金土日](?:曜日?)?\s*(?:・\s*祝|祝)?\s*\)|\s*[月火水木金土日]曜日?)?"
_TIME = (r"(?:\s*(?:の|、)?\s*(?:(?:午前|午後|AM|PM|am|pm)\s*)?(?:\d{1,2}\s*(?:時(?:\s*\d{1,2}\s*分|半)?|:\s*\d{2})"
         r"|正午|終業時|業務終了時)|\s*(?:の)?\s*正午)?")
_DEADLINE_WORD = r"(?:期限|期日|締切|締め切り|締切り|〆切り?|〆|しめきり|必着|厳守)"
_AFTER_WORD = re.compile(_WEEKDAY + _TIME + r"\s*(?:まで|迄)?\s*(?:に|を)?\s*" + _DEADLINE_WORD)
_AFTER_MADE = re.compile(_WEEKDAY + r"(?:" + _TIME + r"\s*(?:まで|迄)|\s*中に)")
_BEFORE_WORD = re.compile(_DEADLINE_WORD + r"(?:日|日時)?[^\n。]{0,10}$")
_PERIOD_START = re.compile(r"(?:から|より|~|〜|～|－|ー|-)\s*$")

STRENGTH_WORD, STRENGTH_MADE = 2, 1


@dataclass(frozen=True)
class FoundDate:
    """A date in the text, where it stands, and how surely it is a deadline (0: not marked)."""
    day: date
    start: int
    strength: int


def normalize(text: str) -> str:
    """Full-width to ASCII (NFKC), 元年 to 1年, kanji numerals before 年月日時 to digits."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _GAN_NEN.sub(r"\g<1>1年", text)
    return _KANJI_NUMBER.sub(lambda m: str(kanji_to_int(m.group(1))), text)


def kanji_to_int(text: str) -> int:
    """十二 → 12, 二十五 → 25, 三十一 → 31, 二〇二六 → 2026."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _positional(tens or "一") * 10 + (_positional(ones) if ones else 0)
    return _positional(text)


def _positional(text: str) -> int:
    value = 0
    for char in text:
        value = value * 10 + _KANJI_DIGITS.get(char, 0)
    return value


def next_on_or_after(month: int, day: int, sent_on: date) -> date | None:
    """The first `month/day` on or after `sent_on` (29 Feb looks up to four years ahead)."""
    for year in range(sent_on.year, sent_on.year + 5):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= sent_on:
            return candidate
    return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _resolve(match: re.Match, sent_on: date) -> date | None:
    """The calendar date one match names, or None when it names none (13月, 2月30日…)."""
    g = match.groupdict()
    try:
        if g["era"]:
            return date(ERA_START[g["era"]] + int(g["ey"]), int(g["em"]), int(g["ed"]))
        if g["y"]:
            return date(int(g["y"]), int(g["m"]), int(g["d"]))
        if g["m2"]:
            month, day = int(g["m2"]), int(g["d2"] or g["d3"])
            return next_on_or_after(month, day, sent_on) if 1 <= month <= 12 else None
        if g["rel"]:
            shift = 0 if g["rel"] in ("今月", "本月") else 1
            year, month = divmod(sent_on.year * 12 + sent_on.month - 1 + shift, 12)
            return _month_end(year, month + 1)
        month = int(g["m4"])
        if 1 <= month <= 12:
            year = sent_on.year if month >= sent_on.month else sent_on.year + 1
            return _month_end(year, month)
    except ValueError:
        return None
    return None


def _strength(text: str, match: re.Match) -> int:
    before = text[max(0, match.start() - 16):match.start()]
    after = text[match.end():match.end() + 40]
    if _BEFORE_WORD.search(before) or _AFTER_WORD.match(after):
        return STRENGTH_WORD
    if _AFTER_MADE.match(after) and not _PERIOD_START.search(before[-4:]):
        return STRENGTH_MADE
    return 0


def dates_in(text: str, sent_on: date) -> list[FoundDate]:
    """Every date the text names, in order, each with how surely it is a deadline."""
    text = normalize(text)
    found = []
    for match in _DATE.finditer(text):
        day = _resolve(match, sent_on)
        if day is not None:
            found.append(FoundDate(day, match.start(), _strength(text, match)))
    return found


def deadline_in(text: str, sent_on: date) -> date | None:
    """The first date marked by a deadline word, else the first date followed by まで; else None."""
    found = dates_in(text, sent_on)
    for strength in (STRENGTH_WORD, STRENGTH_MADE):
        for item in found:
            if item.strength == strength:
                return item.day
    return None


def find_deadline(subject: str, bodies: tuple[str, ...], sent_on: date) -> date | None:
    """The subject decides first (it is written for that), then each body text in turn."""
    for text in (subject, *bodies):
        day = deadline_in(text, sent_on)
        if day is not None:
            return day
    return None


def read_date(text: str, today: date) -> date | None:
    """A date typed by a person (a form, a command line): the first date in it, marked or not."""
    found = dates_in(text, today)
    return found[0].day if found else None
