"""Text of attachments (xlsx, docx, pdf, csv, txt) for the index: bounded, never fatal.

Staff circulate spreadsheets and Word/PDF notices; what they contain must be findable. A
sender chooses what an attachment costs to read, so every reader streams under caps: input
bytes, output characters, inflated bytes per zip part, shared strings and rows
(`search.office`), PDF pages and content-stream bytes (below), and time between pieces.
`kairan serve` runs `extract_file` in a worker process under a wall-time and memory budget as
well (kairan.pool), so even a reader that overruns its caps costs one killed child. Any failure
yields no text and a reason; a broken attachment never stops indexing.
"""

from __future__ import annotations

import csv
import io
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import pypdf

from search.office import OfficeCaps, docx_text, xlsx_text

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * 1024 * 1024       # larger files are not read
    max_chars: int = 200_000                # text kept per attachment
    max_seconds: float = 5.0                # per attachment, checked between pieces
    max_pdf_pages: int = 300
    max_pdf_page_bytes: int = 2 * 1024 * 1024      # decoded content stream of one page
    max_pdf_content_bytes: int = 16 * 1024 * 1024  # all pages together
    office: OfficeCaps = field(default_factory=OfficeCaps)


@dataclass(frozen=True)
class Extracted:
    text: str
    note: str = ""                           # why text is missing or cut ("" when read whole)


class _Budget:
    def __init__(self, limits: Limits):
        self.limits = limits
        self.deadline = time.monotonic() + limits.max_seconds
        self.parts: list[str] = []
        self.chars = 0
        self.note = ""

    def add(self, text: str) -> bool:
        """Keep `text`; False once the text or the time is used up (stop reading)."""
        if text:
            room = self.limits.max_chars - self.chars
            self.parts.append(text[:room])
            self.chars += min(len(text), room) + 1        # the line break that joins the pieces
        if self.chars >= self.limits.max_chars:
            self.note = f"text cut at {self.limits.max_chars} characters"
            return False
        if time.monotonic() >= self.deadline:
            self.note = f"text cut after {self.limits.max_seconds:g} s"
            return False
        return True

    def text(self) -> str:
        return "\n".join(self.parts)


def kind_of(filename: str | None, content_type: str) -> str | None:
    name = (filename or "").lower()
    for ext in ("xlsx", "xlsm", "docx", "pdf", "csv", "txt"):
        if name.endswith("." + ext):
            return {"xlsm": "xlsx"}.get(ext, ext)
    return {"application/pdf": "pdf", "text/csv": "csv", "text/plain": "txt",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
            }.get(content_type.lower())


def extract(filename: str | None, content_type: str, data: bytes, limits: Limits = Limits()) -> Extracted:
    """The attachment's text and, when text is missing or cut, why."""
    kind = kind_of(filename, content_type)
    if kind is None:
        return Extracted("", "")
    if len(data) > limits.max_bytes:
        return Extracted("", f"not read: larger than {limits.max_bytes // 2**20} MB")
    budget = _Budget(limits)
    try:
        for piece in READERS[kind](data, limits):
            if not budget.add(piece):
                break
    except Exception as error:           # a hostile or broken file must never stop the indexer
        log.warning("no text from attachment %r (%s): %s: %s", filename, kind, type(error).__name__, error)
        budget.note = f"unreadable {kind}: {type(error).__name__}"
    return Extracted(budget.text(), budget.note)


def extract_text(filename: str | None, content_type: str, data: bytes, limits: Limits = Limits()) -> str:
    """The attachment's text, or '' (unknown kind, too big, broken)."""
    return extract(filename, content_type, data, limits).text


def extract_file(path: str, filename: str | None, content_type: str, limits: Limits = Limits()) -> Extracted:
    """`extract` of a blob on disk: what a worker process runs, so the bytes never cross a pipe."""
    file = Path(path)
    if file.stat().st_size > limits.max_bytes:
        return Extracted("", f"not read: larger than {limits.max_bytes // 2**20} MB")
    return extract(filename, content_type, file.read_bytes(), limits)


def decode_text(data: bytes) -> str:
    """Japanese text files come as UTF-8 (with or without BOM), CP932 or EUC-JP."""
    for encoding in ("utf-8-sig", "cp932", "euc_jp"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _txt(data: bytes, limits: Limits) -> Iterator[str]:
    text = decode_text(data)
    for start in range(0, len(text), 10_000):
        yield text[start:start + 10_000]


def _csv(data: bytes, limits: Limits) -> Iterator[str]:
    for row in csv.reader(io.StringIO(decode_text(data))):
        yield " ".join(cell for cell in row if cell)


def _xlsx(data: bytes, limits: Limits) -> Iterator[str]:
    return xlsx_text(data, limits.office)


def _docx(data: bytes, limits: Limits) -> Iterator[str]:
    return docx_text(data, limits.office)


def _pdf(data: bytes, limits: Limits) -> Iterator[str]:
    """Page texts; a page whose content stream is over the cap is skipped (its text would cost
    time in proportion to its operators), and reading stops at the page or total cap."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    total = 0
    for number, page in enumerate(reader.pages):
        if number >= limits.max_pdf_pages:
            return
        size = _content_bytes(page)
        total += size
        if total > limits.max_pdf_content_bytes:
            return
        if size > limits.max_pdf_page_bytes:
            continue
        yield page.extract_text() or ""


def _content_bytes(page) -> int:
    contents = page.get_contents()
    return len(contents.get_data()) if contents is not None else 0


READERS: dict[str, Callable[[bytes, Limits], Iterator[str]]] = {
    "txt": _txt, "csv": _csv, "xlsx": _xlsx, "docx": _docx, "pdf": _pdf}
