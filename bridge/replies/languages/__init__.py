"""Reply markers of mail clients, per language, as data.

Each language family has one module of `Row`s.  A row is one pattern of one
kind, with an example: the line as that client writes it (the tests run every
example through the extractor, so each row is tested by construction).

Kinds:

- WROTE: the verb that ends an attribution (`schrieb`, `a écrit`, `님이 작성`);
  `inside=True` when clients also put it before the name or a date
  (`Am … schrieb Anna Weber <a@…>:`, `… ezt írta (időpont: …):`);
- OPENER: the word(s) an attribution starts with (`Am`, `Le`, `W dniu`);
- SEPARATOR: the words inside Outlook's `-----Original Message-----`;
- FORWARD: the words of a forwarded-message marker;
- FROM / FIELD: header labels of a quoted header block (`Von:`, `Gesendet:`);
- TAGLINE: a device/app line, `{d}` standing for a device or app name.

Patterns are regex fragments, matched case-insensitively on lines capped in
length, always anchored by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

WROTE, OPENER, SEPARATOR, FORWARD, FROM, FIELD, TAGLINE = (
    "wrote", "opener", "separator", "forward", "from", "field", "tagline")


@dataclass(frozen=True)
class Row:
    lang: str
    kind: str
    pattern: str
    example: str
    client: str
    inside: bool = False        # WROTE only: the verb may stand before the name or a date


def rows(lang: str, client: str, kind: str, *pairs: tuple[str, str], inside: bool = False) -> tuple[Row, ...]:
    """Rows of one kind from (pattern, example) pairs."""
    return tuple(Row(lang, kind, pattern, example, client, inside) for pattern, example in pairs)
