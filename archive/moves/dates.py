"""発令日 as people write it in Excel: ISO, slashes, or the Japanese era (令和8年4月1日)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

ERAS = {"令和": 2018, "平成": 1988, "R": 2018, "H": 1988}
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_KANJI = re.compile(r"^(?:(令和|平成)\s*(元|\d{1,2})|(\d{4}))\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_LETTER = re.compile(r"^([RH])\s*(\d{1,2})[./](\d{1,2})[./](\d{1,2})$", re.IGNORECASE)


def parse_effective(text: str) -> date:
    """The date, or ValueError with a sentence saying what is accepted."""
    value = unicodedata.normalize("NFKC", text or "").strip()
    try:
        if match := _ISO.match(value):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _KANJI.match(value):
            year = int(match[3]) if match[3] else ERAS[match[1]] + (1 if match[2] == "元" else int(match[2]))
            return date(year, int(match[4]), int(match[5]))
        if match := _LETTER.match(value):
            return date(ERAS[match[1].upper()] + int(match[2]), int(match[3]), int(match[4]))
    except ValueError:
        pass
    raise ValueError(f"発令日 {text!r} is not a date: write 2027-04-01 or 令和9年4月1日")
