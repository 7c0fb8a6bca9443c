"""An address (slug) suggested from a title: 税務担当者連絡会 → zeimu-tantousha-renrakukai.

Japanese is read with pykakasi (its dictionary ships with the package; nothing is fetched).
The suggestion only helps: the person may type any address that passes the space rules.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import pykakasi

MAX_LENGTH = 40


@functools.lru_cache(maxsize=1)
def _reader() -> pykakasi.kakasi:
    return pykakasi.kakasi()


def warm_up() -> None:
    """Load the dictionary (a second or more) before the first suggestion is asked for."""
    _reader()


def suggest_slug(title: str) -> str:
    """Lowercase ASCII words joined by '-', at most MAX_LENGTH characters; '' when nothing is readable."""
    text = unicodedata.normalize("NFKC", title or "")[:120]
    words = []
    for part in _reader().convert(text):
        romaji = (part.get("hepburn") or part.get("orig") or "").lower()
        words.extend(re.findall(r"[a-z0-9]+", romaji))
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_LENGTH:
            break
        slug = candidate
    return slug or ""
