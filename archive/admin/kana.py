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


def query_words(query: str) -> list[str]:
    return fold(query).split()


def haystack(*fields: str) -> str:
    """The fields folded once, joined by a separator no word contains (words never span two fields)."""
    return fold("\x00".join(f.replace(" ", "").replace("\u3000", "") for f in fields))


def matches(words: list[str], folded: str) -> bool:
    """Every word of the query is in one of the fields (folded alike)."""
    return all(word in folded for word in words)
