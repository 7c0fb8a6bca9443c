"""The mail kairan writes itself (text + HTML alternative, UTF-8, base64), serialized directly.

The standard library's generator folds headers and writes bodies line by line
in Python: about 20 ms for a 300 KB digest, so 20,000 digests would take
minutes. Our mails always have the same simple shape, so this writes them in
one pass (base64 in C, headers RFC 2047-encoded) and offers the few
EmailMessage methods the senders use: `as_bytes`, `get`, `get_all`, `[]`.
"""

from __future__ import annotations

import base64
import re
import secrets
from email.header import Header
from email.headerregistry import Address
from email.utils import formataddr

_TRAILING_ID = re.compile(r"^(?P<phrase>.*\S)\s+(?P<id><[^<>]*>)$")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f]+")
MAX_LINE = 78
MAX_PLAIN_NAME = 60            # a longer ASCII display name is encoded too, so it can be folded


def header_text(text: str) -> str:
    """Text fit for a header: CR, LF and other controls (from a hostile encoded-word) become one space,
    so no value can end its line and start a header of its own."""
    return _CONTROLS.sub(" ", text or "").strip()


def encode_header(name: str, value: str | Address) -> str:
    """A header value as it travels: non-ASCII phrases as encoded-words (each at most 75 characters,
    folded), addresses and ids kept readable, lines within 78 characters wherever there is a space."""
    if isinstance(value, Address):
        return _mailbox(name, header_text(value.display_name), value.addr_spec)
    value = header_text(value)
    if value.isascii():
        if len(name) + 2 + len(value) <= MAX_LINE:
            return value
        return Header(value, "us-ascii", header_name=name).encode(splitchars=" ", linesep="\n")
    match = _TRAILING_ID.match(value)
    if match:                                   # List-Id: the label in <> must stay visible
        return _then(_encoded(name, match['phrase']), match['id'])
    return _encoded(name, value)


def _mailbox(name: str, display_name: str, addr_spec: str) -> str:
    if display_name.isascii() and len(display_name) <= MAX_PLAIN_NAME:
        return formataddr((display_name, addr_spec))
    return _then(_encoded(name, display_name), f"<{addr_spec}>") if display_name else addr_spec


def _then(encoded: str, tail: str) -> str:
    """`tail` after the encoded words: on the last line if it fits there, else on a folded line of its own."""
    last = encoded.rsplit("\n", 1)[-1]
    separator = " " if len(last) + 1 + len(tail) <= MAX_LINE else "\n "
    return f"{encoded}{separator}{tail}"


def _encoded(name: str, text: str) -> str:
    return Header(text, "utf-8", header_name=name, maxlinelen=MAX_LINE - 2).encode(linesep="\n")


def _base64(text: str) -> bytes:
    return base64.encodebytes(text.encode("utf-8"))


class OutgoingMail:
    """Headers in order, a plain-text part and an HTML part."""

    def __init__(self, text: str, html: str):
        self._headers: list[tuple[str, str | Address]] = []
        self._text = text
        self._html = html

    def __setitem__(self, name: str, value: str | Address) -> None:
        self._headers.append((name, value))

    def get_all(self, name: str, default=None) -> list[str] | None:
        found = [str(v) for n, v in self._headers if n.lower() == name.lower()]
        return found or default

    def get(self, name: str, default=None) -> str | None:
        found = self.get_all(name)
        return found[0] if found else default

    def __getitem__(self, name: str) -> str | None:
        return self.get(name)

    @property
    def text(self) -> str:
        return self._text

    @property
    def html(self) -> str:
        return self._html

    def as_bytes(self) -> bytes:
        boundary = "=_kairan_" + secrets.token_hex(12)
        head = "".join(f"{name}: {encode_header(name, value)}\n" for name, value in self._headers)
        head += f'MIME-Version: 1.0\nContent-Type: multipart/alternative;\n boundary="{boundary}"\n\n'
        part = 'Content-Type: text/{}; charset="utf-8"\nContent-Transfer-Encoding: base64\n\n'
        return b"".join((
            head.encode("ascii"),
            f"--{boundary}\n{part.format('plain')}".encode("ascii"), _base64(self._text),
            f"--{boundary}\n{part.format('html')}".encode("ascii"), _base64(self._html),
            f"--{boundary}--\n".encode("ascii")))
