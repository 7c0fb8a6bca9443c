"""Reading 8-bit text whose charset is not declared (or whose declared charset cannot read it).

The order the mail we get makes likely: UTF-8 (strict), then the Japanese
charsets (Shift_JIS as CP932, EUC-JP; the one whose reading has the most kana
wins), then what `charset-normalizer` (a maintained detector) finds coherent.
Only a bounded sample is examined, so detection costs a few milliseconds at
most whatever the size.  Nothing here raises; callers record what was assumed
as a defect.

Mobile carriers' Shift_JIS emoji (docomo, au/KDDI, SoftBank: lead bytes
0xF3-0xF9, CP932's user-defined area) read as private-use characters that no
font shows; they become 〓 so the text around them stays readable.  SoftBank's
older `ESC $ G … SI` sequences inside Shift_JIS are cut out the same way.
"""

from __future__ import annotations

import re

import charset_normalizer

SAMPLE = 16 * 1024
_SHORT = 200            # bytes: a header value or a file name, too short for statistics
GETA = "〓"
_KANA = re.compile(r"[ぁ-んァ-ヶ]")      # full-width only: EUC-JP read as CP932 is half-width kana
_STRAY = re.compile("[\uf8f0-\uf8f3]")      # CP932 "reads" stray 0xFD-0xFF single bytes as these
_CARRIER = re.compile("[\ue000-\ue757]")     # CP932 user-defined area: where carrier emoji land
_SOFTBANK = re.compile(rb"\x1b\$[EFGOPQ][\x21-\x7e]{0,64}\x0f")
_JAPANESE = ("cp932", "euc_jis_2004")


def detect(data: bytes) -> tuple[str, str] | None:
    """(text, codec) for bytes that are not ASCII, or None when nothing reads them coherently."""
    sample = _cut(data[:SAMPLE])
    try:
        sample.decode("utf-8")
        return _whole(data, "utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    codec, readable = _japanese(sample)
    if codec is None:
        codec = _other(sample) or readable
    return (_whole(data, codec), codec) if codec else None


def _cut(sample: bytes) -> bytes:
    """A sample cut at its last line break, so a character split by the cut does not count against it."""
    end = sample.rfind(b"\n")
    return sample[:end] if end > len(sample) // 2 else sample


def _japanese(sample: bytes) -> tuple[str | None, str | None]:
    """(the Japanese codec whose reading looks Japanese, a Japanese codec that merely reads the bytes).

    Text with kana (or a short string, like a file name of two kanji) is taken
    as Japanese; longer text without kana may be Chinese or Korean, so the
    detector is asked first and the Japanese reading is the fallback.
    """
    best, best_kana, readable = None, -1, None
    for codec in _JAPANESE:
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        if codec == "cp932" and _STRAY.search(text):
            continue
        readable = readable or codec
        kana = len(_KANA.findall(text))
        wide = sum(1 for ch in text if ord(ch) > 0x7F) or 1
        if (kana * 10 >= wide or len(sample) < _SHORT) and kana > best_kana:
            best, best_kana = codec, kana
    return best, readable


def _other(sample: bytes) -> str | None:
    try:
        match = charset_normalizer.from_bytes(sample, cp_exclusion=["utf_16", "utf_16_be", "utf_16_le", "utf_32",
                                                                     "utf_32_be", "utf_32_le", "utf_7"]).best()
    except Exception:       # the detector failing is "not detected", never a lost message
        return None
    if match is None or match.chaos > 0.3 or match.coherence <= 0.1:
        return None
    return match.encoding


def _whole(data: bytes, codec: str) -> str:
    text = data.decode(codec, "replace")
    return text


def softbank_escapes(data: bytes) -> tuple[bytes, int]:
    """Shift_JIS bytes with SoftBank's `ESC $ G … SI` emoji runs replaced by 〓, and how many there were."""
    if b"\x1b$" not in data:
        return data, 0
    count = len(_SOFTBANK.findall(data))
    return _SOFTBANK.sub(GETA.encode("cp932"), data), count


def carrier_emoji(text: str) -> tuple[str, int]:
    """CP932 text with carrier emoji (user-defined area) shown as 〓, and how many there were."""
    found = len(_CARRIER.findall(text))
    return (_CARRIER.sub(GETA, text), found) if found else (text, 0)
