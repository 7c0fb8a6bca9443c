"""Text of attachments (xlsx, docx, pdf, csv, txt) for the index: bounded, never fatal.

Staff circulate spreadsheets and Word/PDF notices; what they contain must be
findable. Extraction is bounded in input bytes, output characters and time
(checked between rows, paragraphs and pages: a library call cannot be
interrupted, so one pathological page may overrun a little). Any failure is
logged and yields no text: a broken attachment never stops indexing.
Blocking; the indexer runs it in its own thread.
"""

from __future__ import annotations

import csv
import io
import logging
import time
import zipfile
from dataclasses import dataclass
from typing import Callable, Iterator

import docx
import openpyxl
import pypdf

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * 1024 * 1024       # larger files are not read
    max_chars: int = 200_000                # text kept per attachment
    max_seconds: float = 5.0                # per attachment


class _Budget:
    def __init__(self, limits: Limits):
        self.limits = limits
        self.deadline = time.monotonic() + limits.max_seconds
        self.parts: list[str] = []
        self.chars = 0

    def add(self, text: str) -> bool:
        """Keep `text`; False once the text or the time is used up (stop reading)."""
        if text:
            room = self.limits.max_chars - self.chars
            self.parts.append(text[:room])
            self.chars += min(len(text), room)
        return self.chars < self.limits.max_chars and time.monotonic() < self.deadline

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


def extract_text(filename: str | None, content_type: str, data: bytes, limits: Limits = Limits()) -> str:
    """The attachment's text, or '' (unknown kind, too big, broken)."""
    kind = kind_of(filename, content_type)
    if kind is None or len(data) > limits.max_bytes:
        return ""
    budget = _Budget(limits)
    try:
        for piece in READERS[kind](data):
            if not budget.add(piece):
                break
    except Exception as error:           # a hostile or broken file must never stop the indexer
        log.warning("no text from attachment %r (%s): %s: %s", filename, kind, type(error).__name__, error)
    return budget.text()


def decode_text(data: bytes) -> str:
    """Japanese text files come as UTF-8 (with or without BOM), CP932 or EUC-JP."""
    for encoding in ("utf-8-sig", "cp932", "euc_jp"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _txt(data: bytes) -> Iterator[str]:
    text = decode_text(data)
    for start in range(0, len(text), 10_000):
        yield text[start:start + 10_000]


def _csv(data: bytes) -> Iterator[str]:
    for row in csv.reader(io.StringIO(decode_text(data))):
        yield " ".join(cell for cell in row if cell)


def _xlsx(data: bytes) -> Iterator[str]:
    _check_zip(data)
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            yield sheet.title
            for row in sheet.iter_rows(values_only=True):
                yield " ".join(str(v) for v in row if v is not None)
    finally:
        book.close()


def _docx(data: bytes) -> Iterator[str]:
    _check_zip(data)
    document = docx.Document(io.BytesIO(data))
    for paragraph in document.paragraphs:
        yield paragraph.text
    for table in document.tables:
        for row in table.rows:
            yield " ".join(cell.text for cell in row.cells)


def _pdf(data: bytes) -> Iterator[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    for page in reader.pages:
        yield page.extract_text() or ""


def _check_zip(data: bytes, max_ratio: int = 200, max_total: int = 200 * 1024 * 1024) -> None:
    """Refuse zip bombs before an Office library inflates them."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        total = sum(info.file_size for info in archive.infolist())
    if total > max_total or total > max_ratio * max(len(data), 1):
        raise ValueError(f"inflates to {total} bytes")


READERS: dict[str, Callable[[bytes], Iterator[str]]] = {
    "txt": _txt, "csv": _csv, "xlsx": _xlsx, "docx": _docx, "pdf": _pdf}
