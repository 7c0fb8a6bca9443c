"""Raw RFC 5322 bytes the way Japanese (and other) mail clients write them, for tests.

Text is encoded the way the imitated client does it: ISO-2022-JP as Windows'
CP50220 (the text is encoded as CP932 and each double-byte run rewritten as
JIS, so NEC row 13 and NEC-selected IBM characters survive, half-width kana
become full-width), Shift_JIS as raw CP932 bytes, UTF-8 as base64 or
quoted-printable.  Header words are RFC 2047 encoded, optionally cut at
arbitrary byte offsets the way broken encoders do.  Every line ends in CRLF.
"""

from __future__ import annotations

import base64
import quopri
import unicodedata

CRLF = b"\r\n"
_SJIS_LABELS = {"shift_jis", "shift-jis", "x-sjis", "cp932", "windows-31j", "sjis"}


def jis(text: str) -> bytes:
    """ISO-2022-JP bytes as CP50220 writes them (vendor characters kept, kana widened)."""
    out = bytearray()
    double = False
    for ch in text:
        if 0xFF61 <= ord(ch) <= 0xFF9F:
            ch = unicodedata.normalize("NFKC", ch)
        code = ch.encode("cp932")
        if len(code) == 1:
            if double:
                out += b"\x1b(B"
                double = False
            out += code
            continue
        if not double:
            out += b"\x1b$B"
            double = True
        out += _sjis_to_jis(code[0], code[1])
    if double:
        out += b"\x1b(B"
    return bytes(out)


def _sjis_to_jis(s1: int, s2: int) -> bytes:
    j1 = (s1 - (0x70 if s1 <= 0x9F else 0xB0)) * 2 - 1
    if s2 >= 0x9F:
        return bytes((j1 + 1, s2 - 0x7E))
    return bytes((j1, s2 - 0x1F - (1 if s2 >= 0x80 else 0)))


def encode_text(text: str, charset: str) -> bytes:
    """`text` (LF line ends) in `charset`, lines ending in CRLF."""
    text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    label = charset.lower()
    if label.startswith("iso-2022-jp"):
        return b"\r\n".join(jis(line) for line in text.split("\r\n"))
    if label in _SJIS_LABELS:
        return text.encode("cp932")
    if label.startswith("ks_c_5601") or label == "euc-kr":
        return text.encode("cp949")
    if label in ("us-ascii", "ascii"):
        return text.encode("ascii")
    return text.encode(label)


def transfer(data: bytes, cte: str) -> bytes:
    """Apply a content-transfer-encoding; output lines end in CRLF."""
    if cte == "base64":
        flat = base64.b64encode(data)
        return CRLF.join(flat[i:i + 76] for i in range(0, len(flat), 76)) + CRLF
    if cte == "quoted-printable":
        encoded = quopri.encodestring(data.replace(b"\r\n", b"\n"))
        return encoded.replace(b"\n", CRLF)
    return data if data.endswith(CRLF) else data + CRLF


def ew(text: str, charset: str = "utf-8", enc: str = "B", cut: int | None = None) -> str:
    """RFC 2047 encoded word(s); `cut` splits the encoded bytes every `cut` bytes (mid-character)."""
    data = jis(text) if charset.lower().startswith("iso-2022-jp") else encode_text(text, charset)
    pieces = [data[i:i + cut] for i in range(0, len(data), cut)] if cut else [data]
    words = []
    for piece in pieces:
        if enc == "B":
            payload = base64.b64encode(piece).decode("ascii")
        else:
            payload = "".join(chr(b) if (0x30 <= b <= 0x39 or 0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A)
                              else "_" if b == 0x20 else f"={b:02X}" for b in piece)
        words.append(f"=?{charset}?{enc}?{payload}?=")
    return "\r\n ".join(words)


def part(ctype: str, body: bytes, headers: tuple[str, ...] = ()) -> bytes:
    """One MIME entity: Content-Type plus extra header lines, blank line, body."""
    head = [f"Content-Type: {ctype}", *headers]
    return CRLF.join(h.encode("utf-8", "surrogateescape") for h in head) + CRLF + CRLF + body


def text_part(text: str, subtype: str = "plain", charset: str = "iso-2022-jp", cte: str = "7bit",
              extra: str = "", headers: tuple[str, ...] = ()) -> bytes:
    data = transfer(encode_text(text, charset), cte)
    return part(f"text/{subtype}; charset=\"{charset}\"{extra}",
                data, (f"Content-Transfer-Encoding: {cte}", *headers))


def multipart(subtype: str, parts: list[bytes], boundary: str) -> bytes:
    body = b"".join(b"--" + boundary.encode() + CRLF + p + (b"" if p.endswith(CRLF) else CRLF) for p in parts)
    body += b"--" + boundary.encode() + b"--" + CRLF
    return part(f'multipart/{subtype}; boundary="{boundary}"', body)


def message(entity: bytes, subject: str = "Re: 照会について", from_: str = "", to: str = "",
            date: str = "Wed, 13 May 2026 10:21:33 +0900", headers: tuple[str, ...] = (),
            mime_version: bool = True, subject_charset: str = "iso-2022-jp") -> bytes:
    """A whole message: From/To/Subject/Date/Message-ID, then the entity's own header and body."""
    subj = subject if subject.isascii() else ew(subject, subject_charset)
    head = [
        f"From: {from_ or ew('山本 恵', 'iso-2022-jp') + ' <yamamoto-megumi@city.yonago.lg.jp>'}",
        f"To: {to or 'kosodate@example.lg.jp'}",
        f"Subject: {subj}",
        f"Date: {date}",
        "Message-ID: <20260513102133.4F2A@mail.example.lg.jp>",
        *headers,
    ]
    if mime_version:
        head.append("MIME-Version: 1.0")
    return CRLF.join(h.encode("utf-8", "surrogateescape") for h in head) + CRLF + entity


def plain(text: str, charset: str = "iso-2022-jp", cte: str = "7bit", **kw) -> bytes:
    """A text/plain single-part message (kwargs go to `message`)."""
    return message(text_part(text, "plain", charset, cte), **kw)


def html_only(html: str, charset: str = "utf-8", cte: str = "quoted-printable", **kw) -> bytes:
    return message(text_part(html, "html", charset, cte), **kw)


def alternative(text: str, html: str, charset: str = "utf-8", cte_text: str = "base64",
                cte_html: str = "base64", **kw) -> bytes:
    entity = multipart("alternative", [text_part(text, "plain", charset, cte_text),
                                       text_part(html, "html", charset, cte_html)],
                       "_000_TYCP286MB2419A1B2C3D4E5F6TYCP286MB2419JPNP_")
    return message(entity, **kw)
