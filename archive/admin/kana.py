"""Keys for ordering and finding Japanese names.

A reading (ふりがな) is kept in hiragana: full-width/half-width forms folded (NFKC), katakana
turned into hiragana, spaces collapsed. People are ordered by their reading where one is known,
else by their name's code points; ties keep a stable order (the caller adds an id).
"""

from __future__ import annotations

import unicodedata

_KATAKANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}     # ァ..ヶ → ぁ..ゖ


def fold(text: str) -> str:
    """NFKC, katakana → hiragana, lower case, runs of spaces as one: what comparisons see."""
    text = unicodedata.normalize("NFKC", text).translate(_KATAKANA).lower()
    return " ".join(text.split())


def normalize_reading(reading: str) -> str:
    """How a reading is stored: folded (so ｻﾄｳ, サトウ and さとう are one)."""
    return fold(reading)


def person_key(reading: str, name: str) -> tuple[int, str]:
    """Readings first in あいうえお order, then names without a reading by code point."""
    reading = fold(reading).replace(" ", "")
    if reading:
        return 0, reading
    return 1, unicodedata.normalize("NFKC", name).replace(" ", "").replace("\u3000", "")


def matches(query: str, *fields: str) -> bool:
    """Every word of the query is in one of the fields (folded alike)."""
    words = fold(query).split()
    haystack = [fold(f).replace(" ", "") for f in fields]
    return all(any(word in field for field in haystack) for word in words)
