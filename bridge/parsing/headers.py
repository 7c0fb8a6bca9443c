"""Decoding header fields: RFC 2047 words, addresses, and MIME parameters.

Japanese senders break the RFCs in well-known ways, and the stdlib decodes
each encoded-word on its own, so a character cut between two words (or a JIS
stream whose escape sequences sit in different words) comes out broken.  Here
adjacent encoded-words of one charset are joined as bytes before decoding,
RFC 2231 continuations are joined as bytes, encoded-words inside quoted
parameters are honoured, and raw 8-bit bytes are read as UTF-8 or CP932.

Header strings arrive from the stdlib parser (compat32) with raw 8-bit bytes
kept as surrogate escapes; `raw_bytes()` gets the original bytes back.
"""

from __future__ import annotations

import base64
import binascii
import email.message
import email.utils
import quopri
import re
from urllib.parse import unquote_to_bytes

from bridge.parsing.charsets import decode, decode_unlabelled

MAX_HEADER = 65_536        # longer values are cut before any regex sees them (hostile input)
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_FOLD = re.compile(r"\r?\n[ \t]")
_PARAM_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|[^";]+|;')
# Raw 8-bit Shift_JIS puts 0x5C (`\`) as the second byte of 表, ソ, 能 …: in a header
# with raw 8-bit bytes a backslash is a byte of the name, never a quoted-pair
# (Windows file names hold neither `\` nor `"`).
_PARAM_TOKEN_8BIT = re.compile(r'"[^"]*"?|[^";]+|;')
_8BIT = re.compile("[\udc80-\udcff]")
_QUOTED_PAIR = re.compile(r"\\(.)")


def raw_bytes(value: str) -> bytes:
    """The bytes a header string was parsed from (8-bit bytes were surrogate-escaped)."""
    return value.encode("utf-8", "surrogateescape")


def get(msg: email.message.Message, name: str) -> str:
    """The first `name` field of `msg` as parsed: raw 8-bit bytes still surrogate-escaped.

    (compat32's `msg.get()` turns such values into Header objects that lose the bytes.)
    """
    wanted = name.lower()
    for key, value in msg.raw_items():
        if key.lower() == wanted:
            return str(value)
    return ""


def decode_text(value: object) -> str:
    """Decode an unstructured header value (Subject, a display name) to text."""
    text = _FOLD.sub(" ", str(value or "")[:MAX_HEADER])
    text = _decode_8bit(text)
    out: list[str] = []
    pos = 0
    pending: list[tuple[str, bytes]] = []
    for match in _ENCODED_WORD.finditer(text):
        gap = text[pos:match.start()]
        if pending and gap.strip():
            out.append(_flush(pending))
        if not pending or gap.strip():
            out.append(gap)
        charset = match.group(1).split("*", 1)[0].lower()
        data = _word_bytes(match.group(2), match.group(3))
        if pending and pending[-1][0] != charset:
            out.append(_flush(pending))
        pending.append((charset, data))
        pos = match.end()
    if pending:
        out.append(_flush(pending))
    out.append(text[pos:])
    return "".join(out).strip()


def _flush(pending: list[tuple[str, bytes]]) -> str:
    """Decode a run of same-charset encoded-words as one byte string."""
    charset = pending[0][0]
    text, _ = decode(b"".join(data for _, data in pending), charset)
    pending.clear()
    return text


def _word_bytes(encoding: str, payload: str) -> bytes:
    if encoding in "bB":
        padded = payload + "=" * (-len(payload) % 4)
        try:
            return base64.b64decode(padded)
        except (binascii.Error, ValueError):
            return payload.encode("ascii", "replace")
    return quopri.decodestring(payload.replace("_", " ").encode("ascii", "replace"), header=False)


def _decode_8bit(text: str) -> str:
    """Read raw 8-bit header bytes (surrogate-escaped) as UTF-8, else CP932."""
    if text.isascii():
        return text
    return decode_unlabelled(raw_bytes(text))


def first_address(value: object) -> tuple[str, str]:
    """Display name and lowercased addr-spec of the first real mailbox (`local@domain`) in an address
    header, else of its first entry. The gateway's membership check and the archive both use this,
    so `From: junk, member@…` is checked and credited as the same address."""
    text = _FOLD.sub(" ", str(value or ""))
    pairs = [(name, _decode_8bit(address).strip().lower()) for name, address in email.utils.getaddresses([text])]
    for name, address in sorted(pairs, key=lambda pair: "@" not in pair[1].strip("@")):
        if address or name:
            return decode_text(name).strip('"').strip(), address
    return "", ""


def all_addresses(value: object) -> tuple[str, ...]:
    """Every addr-spec in an address header, lowercased."""
    pairs = email.utils.getaddresses([_FOLD.sub(" ", str(value or ""))])
    return tuple(_decode_8bit(a).lower() for _, a in pairs if a)


def param(header: object, name: str) -> str | None:
    """Decoded value of parameter `name` in a Content-Type/-Disposition header.

    RFC 2231 (`name*=`, `name*0*=` …) wins over the plain form; continuations
    are joined as bytes before decoding with the declared charset.
    """
    params = _parse_params(_FOLD.sub(" ", str(header or "")[:MAX_HEADER]))
    extended = _rfc2231(params, name)
    if extended is not None:
        return extended
    for key, value in params:
        if key == name:
            return decode_text(value)
    return None


def _parse_params(header: str) -> list[tuple[str, str]]:
    """(lowercased key, unquoted value) pairs after the first `;`.

    Tokenized in one linear pass (quoted strings, runs, `;`), so a huge
    parameter cannot make the scan quadratic.
    """
    _, _, rest = header.partition(";")
    raw8 = _8BIT.search(rest) is not None
    items, current = [], []
    for token in (_PARAM_TOKEN_8BIT if raw8 else _PARAM_TOKEN).findall(rest):
        if token == ";":
            items.append("".join(current))
            current = []
        else:
            current.append(token)
    items.append("".join(current))
    pairs = []
    for item in items:
        key, equals, value = item.partition("=")
        if equals and key.strip():
            pairs.append((key.strip().lower(), _unquote(value.strip(), pairs_escaped=not raw8)))
    return pairs


def _unquote(value: str, pairs_escaped: bool = True) -> str:
    if not value.startswith('"'):
        return value
    inner = value[1:-1] if value.endswith('"') and len(value) > 1 else value[1:]
    return _QUOTED_PAIR.sub(r"\1", inner) if pairs_escaped else inner


def _rfc2231(params: list[tuple[str, str]], name: str) -> str | None:
    """Join `name*`, `name*0`, `name*1*` … sections as bytes and decode them."""
    sections: dict[int, tuple[bool, str]] = {}
    for key, value in params:
        if key == name + "*":
            sections[0] = (True, value)
        elif key.startswith(name + "*"):
            index = key[len(name) + 1:].rstrip("*")
            if index.isdigit():
                sections.setdefault(int(index), (key.endswith("*"), value))
    if not sections:
        return None
    charset = "us-ascii"
    chunks = []
    for position, index in enumerate(sorted(sections)):
        encoded, value = sections[index]
        if position == 0 and encoded and value.count("'") >= 2:
            charset, _, value = value.split("'", 2)
        chunks.append(unquote_to_bytes(value) if encoded else raw_bytes(value))
    return decode(b"".join(chunks), charset or "us-ascii")[0]


MAX_ENCODED_WORDS = 200     # per header field; a subject of 60,000 encoded-words is cut here
_ENCODED_WORD_BYTES = re.compile(rb"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")


def bound_header_section(raw: bytes) -> tuple[bytes, list[str]]:
    """The message with each top-level header field cut at MAX_HEADER bytes and MAX_ENCODED_WORDS
    encoded-words, and a defect for each cut: decoding (ours and mail-parser's) then costs time
    in proportion to what is kept, however long the field the sender wrote. One linear pass."""
    end = raw.find(b"\r\n\r\n")
    end = raw.find(b"\n\n") if end < 0 else end
    section = raw if end < 0 else raw[:end]
    if len(section) <= MAX_HEADER and section.count(b"=?") <= MAX_ENCODED_WORDS:
        return raw, []
    fields: list[bytes] = []
    for line in section.split(b"\n"):
        if fields and line[:1] in (b" ", b"\t"):
            fields[-1] += b"\n" + line
        else:
            fields.append(line)
    kept, defects = [], []
    for field in fields:
        cut = _cut_field(field)
        if cut is not field:
            defects.append(f"header {field.split(b':', 1)[0][:40].decode('ascii', 'replace')} too long "
                           f"({len(field)} bytes); only its start was read")
        kept.append(cut)
    return b"\n".join(kept) + (b"" if end < 0 else raw[end:]), defects


def _cut_field(field: bytes) -> bytes:
    if len(field) <= MAX_HEADER and field.count(b"=?") <= MAX_ENCODED_WORDS:
        return field
    stop = min(len(field), MAX_HEADER)
    for count, word in enumerate(_ENCODED_WORD_BYTES.finditer(field, 0, stop), start=1):
        if count == MAX_ENCODED_WORDS:
            stop = word.end()
            break
    return field[:stop].rstrip(b"\r\n\t ") + (b"\r" if field.endswith(b"\r") else b"")
