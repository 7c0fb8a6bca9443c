"""Text of Office Open XML files (xlsx, docx), read as a stream with caps.

A 1 MB .xlsx can inflate to 180 MB of shared strings, and the Office libraries build whole
parts in memory. Here each part is inflated a chunk at a time through a reader that stops at
`max_member_bytes`, parsed with `lxml.etree.iterparse` (elements cleared as soon as they are
read, huge text nodes refused), and reading stops once enough text is out: shared strings at
`max_shared_strings` or the text cap, rows at `max_rows` per sheet. Memory stays at the caps
whatever the file claims; what was read before a cap is kept.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Iterator

from lxml import etree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SHEET = re.compile(r"^xl/worksheets/sheet(\d+)\.xml$")


@dataclass(frozen=True)
class OfficeCaps:
    max_member_bytes: int = 64 * 1024 * 1024    # inflated bytes read of any one part
    max_shared_strings: int = 200_000
    max_shared_chars: int = 1_000_000
    max_rows: int = 100_000                     # per sheet
    max_sheets: int = 100


class MemberTooLarge(Exception):
    """A zip member inflated past its cap; what was read before stays usable."""


class _Capped(io.RawIOBase):
    """A zip member's inflated bytes, refusing to go past `limit`."""

    def __init__(self, stream, limit: int):
        self._stream = stream
        self._left = limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._left <= 0:
            raise MemberTooLarge("part inflates past its cap")
        data = self._stream.read(min(len(buffer), self._left, 1 << 16))
        self._left -= len(data)
        buffer[:len(data)] = data
        return len(data)


def _ends(archive: zipfile.ZipFile, name: str, tags: tuple[str, ...],
          caps: OfficeCaps) -> Iterator[etree._Element]:
    """End events of `tags` in one part; after the caller saw an element it is cleared and the
    siblings before it dropped, so the tree in memory stays a thin spine whatever the part holds."""
    with archive.open(name) as raw:
        stream = io.BufferedReader(_Capped(raw, caps.max_member_bytes))
        try:
            for _, element in etree.iterparse(stream, events=("end",), tag=tags, huge_tree=False,
                                              resolve_entities=False, no_network=True, load_dtd=False):
                yield element
                element.clear()
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
        except (MemberTooLarge, etree.XMLSyntaxError):
            return                                # keep what was read before the cap or the break


def _grouped(archive: zipfile.ZipFile, name: str, group: str, leaf: str, caps: OfficeCaps,
             value=lambda element: element.text or "", also: tuple[str, ...] = ()) -> Iterator[list[str]]:
    """The `value` of each `leaf`, gathered per enclosing `group` (a paragraph, a row, a string);
    elements of the `also` tags in between are only cleared (a paragraph's runs)."""
    items: list[str] = []
    for element in _ends(archive, name, (group, leaf, *also), caps):
        if element.tag == leaf:
            items.append(value(element))
        elif element.tag == group:
            yield items
            items = []


def _shared_strings(archive: zipfile.ZipFile, caps: OfficeCaps) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings, chars = [], 0
    for pieces in _grouped(archive, "xl/sharedStrings.xml", f"{_MAIN}si", f"{_MAIN}t", caps):
        text = "".join(pieces)
        strings.append(text)
        chars += len(text)
        if len(strings) >= caps.max_shared_strings or chars >= caps.max_shared_chars:
            break
    return strings


def _sheet_names(archive: zipfile.ZipFile, caps: OfficeCaps) -> list[str]:
    if "xl/workbook.xml" not in archive.namelist():
        return []
    names = []
    for sheet in _ends(archive, "xl/workbook.xml", (f"{_MAIN}sheet",), caps):
        names.append(sheet.get("name") or "")
        if len(names) >= caps.max_sheets:
            break
    return names


def _cell_value(strings: list[str]):
    def value(cell: etree._Element) -> str:
        kind = cell.get("t")
        if kind == "inlineStr":
            return "".join(t.text or "" for t in cell.iter(f"{_MAIN}t"))
        found = cell.find(f"{_MAIN}v")
        text = found.text if found is not None and found.text else ""
        if kind == "s":
            index = int(text) if text.isdigit() else -1
            return strings[index] if 0 <= index < len(strings) else ""
        return text
    return value


def xlsx_text(data: bytes, caps: OfficeCaps = OfficeCaps()) -> Iterator[str]:
    """Sheet names, then each row's cell texts joined by spaces."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        yield " ".join(_sheet_names(archive, caps))
        value = _cell_value(_shared_strings(archive, caps))
        sheets = sorted((int(m.group(1)), name) for name in archive.namelist() if (m := _SHEET.match(name)))
        for _, name in sheets[:caps.max_sheets]:
            rows = _grouped(archive, name, f"{_MAIN}row", f"{_MAIN}c", caps, value=value)
            for count, cells in enumerate(rows):
                if count >= caps.max_rows:
                    break
                yield " ".join(v for v in cells if v)


def docx_text(data: bytes, caps: OfficeCaps = OfficeCaps()) -> Iterator[str]:
    """Each paragraph's text (table cells are paragraphs too), in document order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for pieces in _grouped(archive, "word/document.xml", f"{_WORD}p", f"{_WORD}t", caps,
                               also=(f"{_WORD}r",)):
            yield "".join(pieces)
