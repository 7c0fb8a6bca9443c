"""Decoding bytes the way Japanese mail clients meant them.

Mail labels its charsets with the names of standards, but Windows clients send
the Microsoft variants: "Shift_JIS" is really CP932 and "ISO-2022-JP" is really
CP50221 (NEC row 13 ①㈱, NEC-selected IBM extensions 髙﨑, half-width katakana,
and JIS 0x2141 as U+FF5E ～).  Python's strict codecs reject or remap those, so
ISO-2022-JP is decoded here by turning each JIS run into Shift_JIS and reading
it as CP932, and Shift_JIS labels are read as CP932.  Other labels map to the
superset a browser would use (WHATWG Encoding Standard).

Every function here is total: undecodable input yields U+FFFD plus a defect
string, never an exception.
"""

from __future__ import annotations

import codecs
import re

from bridge.parsing import detect

# Labels whose real-world content is a superset encoding (WHATWG, plus mail habits).
_SUPERSETS = {
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
    "s-jis": "cp932", "ms_kanji": "cp932", "csshiftjis": "cp932", "windows-31j": "cp932",
    "x-ms-cp932": "cp932", "cp932": "cp932", "ms932": "cp932",
    "euc-jp": "euc_jis_2004", "x-euc-jp": "euc_jis_2004", "eucjp": "euc_jis_2004",
    "us-ascii": "utf-8", "ascii": "utf-8", "ansi_x3.4-1968": "utf-8",
    "iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030",
    "ks_c_5601-1987": "cp949", "euc-kr": "cp949",
    "tis-620": "cp874", "iso-8859-11": "cp874",
    "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8",
}
_ISO2022JP = {"iso-2022-jp", "csiso2022jp", "iso-2022-jp-ms", "cp50220", "cp50221",
              "cp50222", "iso-2022-jp-1", "iso-2022-jp-2", "iso-2022-jp-3"}

_JAPANESE = {"iso-2022-jp", "cp932", "euc_jis_2004"}
_UNDECLARED = re.compile(r"^(|us-ascii|ascii|ansi_x3\.4-1968|x-unlabelled)$", re.I)

# ISO-2022-JP escape sequences and the mode each one selects.
_ESCAPE = re.compile(rb"\x1b(\(B|\(J|\(H|\(I|\$@|\$B|\$\(B|\$\(D|\$\(Q|\$\(O|&@\x1b\$B|\.A|\.F|N.|\$A|\$\(C)")
_MODES = {b"(B": "ascii", b"(J": "ascii", b"(H": "ascii", b"(I": "kana",
          b"$@": "jis", b"$B": "jis", b"$(B": "jis", b"$(Q": "jis", b"$(O": "jis",
          b"&@\x1b$B": "jis", b"$(D": "jisx0212"}


def codec_for(label: str | None) -> str | None:
    """The Python codec that best reads text labelled `label`; None if unknown."""
    name = (label or "").strip().strip('"\'').lower()
    if not name:
        return "utf-8"
    if name in _ISO2022JP:
        return "iso-2022-jp"
    if name in _SUPERSETS:
        return _SUPERSETS[name]
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):
        return None


def decode(data: bytes, label: str | None) -> tuple[str, str | None]:
    """Decode `data` labelled `label`; return the text and a defect or None.

    Undeclared 8-bit text, an unknown label, or bytes the labelled codec
    cannot read are detected (`bridge.parsing.detect`: UTF-8, then Japanese,
    then others), else read as UTF-8 with replacement characters -- recording
    what was assumed as a defect each time.  Carrier emoji in Shift_JIS become 〓.
    """
    codec = codec_for(label)
    if codec in ("cp932", "utf-8", None):
        data, escapes = detect.softbank_escapes(data)
        if escapes:
            text, defect = decode(data, label)
            return text, defect or f"{escapes} SoftBank emoji escape(s) shown as {detect.GETA}"
    if codec in _JAPANESE and _really_utf8(data):
        return data.decode("utf-8"), f"charset {label!r} mislabels UTF-8 text; read as utf-8"
    if codec == "iso-2022-jp" or (codec in ("utf-8", None) and (b"\x1b$B" in data or b"\x1b$@" in data)):
        text, bad = decode_iso2022jp(data)
        return text, f"undecodable bytes in ISO-2022-JP text (label {label!r})" if bad else None
    undeclared = _UNDECLARED.match((label or "").strip().strip('"\'')) is not None and not data.isascii()
    if codec is not None and not undeclared:
        try:
            return _with_emoji(data.decode(codec), codec, None)
        except UnicodeDecodeError:
            pass
        except LookupError:  # a codec that exists but refuses (e.g. a text transform)
            codec = None
    found = detect.detect(data)
    if found is not None:
        text, name = found
        what = "declares no charset" if undeclared else f"charset {label!r} could not decode the text"
        return _with_emoji(text, name, f"undeclared 8-bit text ({what}); detected and read as {name}")
    return (data.decode(codec or "utf-8", "replace"),
            f"charset {label!r} could not decode the text; undecodable bytes replaced")


def _with_emoji(text: str, codec: str, defect: str | None) -> tuple[str, str | None]:
    if codec != "cp932":
        return text, defect
    text, emoji = detect.carrier_emoji(text)
    if not emoji:
        return text, defect
    note = f"{emoji} carrier emoji (Shift_JIS user-defined area) shown as {detect.GETA}"
    return text, f"{defect}; {note}" if defect else note


def _really_utf8(data: bytes) -> bool:
    """8-bit bytes that read as UTF-8 with Japanese characters in it, and carry no JIS escapes.

    Valid UTF-8 multi-byte runs almost never come out of Shift_JIS or EUC-JP
    text, and ISO-2022-JP has no 8-bit bytes at all: a client that labels such
    a body with a Japanese charset sent UTF-8 under the wrong name.
    """
    if data.isascii() or b"\x1b" in data:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return sum(1 for ch in text[:4000] if "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef") >= 2


def decode_unlabelled(data: bytes) -> str:
    """Raw 8-bit bytes with no label (headers, file names): UTF-8, else CP932, else U+FFFD."""
    return decode(data, "x-unlabelled")[0]


_CP50221_FIXES = str.maketrans({"\u301c": "\uff5e", "\u2016": "\u2225", "\u2212": "\uff0d",
                                "\u00a2": "\uffe0", "\u00a3": "\uffe1", "\u00ac": "\uffe2"})


_JIS0208 = (b"\x1b$B", b"\x1b$@")
_FAST_ESCAPE = re.compile(rb"\x1b(?:\(B|\(J|\(I|\$@|\$B|&@\x1b\$B)")


class _NotPlain(Exception):
    """The C codec met something only the careful decoder below reads the Windows way."""


def _vendor_pair(error: UnicodeDecodeError):
    """Codec error handler: a JIS pair outside JIS X 0208 (NEC row 13, IBM extensions) read as CP932."""
    data, start = error.object, error.start
    pair = data[start:error.end]
    escape = data.rfind(b"\x1b", 0, start)
    if len(pair) != 2 or not all(0x21 <= b <= 0x7E for b in pair) or data[escape:escape + 3] not in _JIS0208:
        raise _NotPlain()
    text = _jis_to_sjis(bytes(pair)).decode("cp932", "replace")
    if "\ufffd" in text:
        raise _NotPlain()
    return text, error.end


codecs.register_error("kairan-cp50221", _vendor_pair)


def _plain_escapes(data: bytes) -> bool:
    """Every ESC in `data` starts one of the escape sequences the C codec reads as Windows does."""
    return data.count(b"\x1b") == sum(m.group(0).count(b"\x1b") for m in _FAST_ESCAPE.finditer(data))


def decode_iso2022jp(data: bytes) -> tuple[str, bool]:
    """Decode ISO-2022-JP as Windows does (CP50221); return text and whether bytes were bad.

    Python's C codec reads the text; the six characters JIS and Windows map differently are
    changed afterwards (～ as U+FF5E …), and pairs JIS X 0208 leaves undefined (NEC row 13,
    the IBM extensions) are read as CP932 by an error handler. Anything else that codec would
    not read the Windows way (SO/SI shifts, 8-bit bytes, broken pairs, rarer escapes) goes the
    careful way: each JIS run rewritten as Shift_JIS and read as CP932.
    """
    if b"\x0e" not in data and _plain_escapes(data):
        try:
            text = data.replace(b"\x1b(J", b"\x1b(B").decode("iso2022_jp_ext", "kairan-cp50221")
        except (_NotPlain, UnicodeDecodeError):
            pass
        else:
            return text.translate(_CP50221_FIXES), "\ufffd" in text
    return _decode_careful(data)


def _decode_careful(data: bytes) -> tuple[str, bool]:
    """ISO-2022-JP the slow, careful way (what the C codec can't read the Windows way).

    Each two-byte JIS X 0208 run is rewritten as Shift_JIS and read as CP932,
    which brings NEC row 13, the IBM extensions, and ～ as U+FF5E.
    """
    out: list[str] = []
    bad = False
    mode, pos = "ascii", 0
    for match in _ESCAPE.finditer(data):
        text, err = _decode_run(data[pos:match.start()], mode)
        out.append(text)
        bad |= err
        mode = _MODES.get(match.group(1), "ascii")
        pos = match.end()
    text, err = _decode_run(data[pos:], mode)
    out.append(text)
    return "".join(out), bad | err


def _decode_run(run: bytes, mode: str) -> tuple[str, bool]:
    """Decode bytes written in one ISO-2022-JP mode (SO/SI shifts handled too)."""
    if not run:
        return "", False
    if mode == "ascii" and b"\x0e" in run:
        return _decode_shifted(run)
    if mode == "kana":
        sjis = bytes(b | 0x80 if 0x21 <= b <= 0x5F else b for b in run)
        return _cp932(sjis)
    if mode == "jis":
        return _cp932(_jis_to_sjis(run))
    if mode == "jisx0212":
        text = (b"\x1b$(D" + run + b"\x1b(B").decode("iso2022_jp_2", "replace")
        return text, "\ufffd" in text
    return _cp932(run) if max(run) > 0x7F else (run.decode("ascii"), False)


def _decode_shifted(run: bytes) -> tuple[str, bool]:
    """CP50221's SO/SI: bytes between 0x0E and 0x0F are half-width katakana."""
    out, bad, shifted = [], False, False
    for piece in re.split(rb"([\x0e\x0f])", run):
        if piece in (b"\x0e", b"\x0f"):
            shifted = piece == b"\x0e"
            continue
        text, err = _decode_run(piece, "kana" if shifted else "ascii")
        out.append(text)
        bad |= err
    return "".join(out), bad


def _jis_to_sjis(run: bytes) -> bytes:
    """Rewrite JIS X 0208 byte pairs as Shift_JIS (line breaks pass through)."""
    out = bytearray()
    i, n = 0, len(run)
    while i < n:
        j1 = run[i]
        if j1 in (0x0A, 0x0D) or i + 1 >= n or not (0x21 <= j1 <= 0x7E):
            out.append(j1 if j1 < 0x80 else 0x3F)
            i += 1
            continue
        j2 = run[i + 1]
        s1 = ((j1 + 1) >> 1) + (0x70 if j1 <= 0x5E else 0xB0)
        if j1 & 1:
            s2 = j2 + 0x1F + (1 if j2 >= 0x60 else 0)
        else:
            s2 = j2 + 0x7E
        out += bytes((s1 & 0xFF, s2 & 0xFF))
        i += 2
    return bytes(out)


def _cp932(data: bytes) -> tuple[str, bool]:
    text = data.decode("cp932", "replace")
    return text, "\ufffd" in text
