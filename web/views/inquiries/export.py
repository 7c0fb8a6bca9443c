"""The inquiry matrix as files for Excel: CSV (UTF-8 with BOM, CRLF) and XLSX, every answer in full.

Pure and blocking (openpyxl): callers run `to_xlsx` in a thread. Cells that Excel would
read as a formula (=, +, -, @ first) are kept as text.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from archive.formats import japanese_date, japanese_datetime
from archive.inquiries.records import Inquiry
from archive.inquiries.status import STATUS_LABELS, OrgRow
from archive.models import Attachment, Space, Thread

MATRIX_HEADER = ("団体", "団体ID", "状況", "回答日時", "回答者", "回答", "添付ファイル", "回答数", "期限後の回答")
ANSWERS_HEADER = ("団体", "団体ID", "日時", "回答者", "回答", "添付ファイル")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MATRIX_WIDTHS = (14, 10, 10, 18, 14, 60, 30, 8, 12)
ANSWERS_WIDTHS = (14, 10, 18, 14, 60, 30)

AttachmentUrl = Callable[[Attachment], str]


def format_day(day: date | None) -> str:
    """2026年12月5日(土); 期限なし when there is no date."""
    return "期限なし" if day is None else japanese_date(day)


def local_time(iso_utc: str, timezone: str) -> datetime:
    return datetime.fromisoformat(iso_utc).astimezone(ZoneInfo(timezone))


def format_moment(iso_utc: str | None, timezone: str) -> str:
    """2026年11月27日(金) 10:00 in the deployment's zone; '' for None."""
    if not iso_utc:
        return ""
    return japanese_datetime(local_time(iso_utc, timezone))


@dataclass(frozen=True)
class MatrixExport:
    """Everything a file needs: the inquiry, its thread and space, the rows, the zone."""
    inquiry: Inquiry
    thread: Thread
    space: Space
    rows: list[OrgRow]
    timezone: str
    attachment_url: AttachmentUrl | None = None


def _files(attachments, url: AttachmentUrl | None) -> str:
    return "\n".join(f"{a.filename or '(名前なし)'}" + (f" <{url(a)}>" if url else "") for a in attachments)


def _csv_moment(iso_utc: str | None, timezone: str) -> str:
    return local_time(iso_utc, timezone).strftime("%Y-%m-%d %H:%M") if iso_utc else ""


def matrix_records(export: MatrixExport) -> list[list]:
    """One list per organization, in MATRIX_HEADER's order, the latest answer in full."""
    records = []
    for row in export.rows:
        latest = row.latest
        when = row.na_at if row.status == "not_applicable" else row.answered_at
        who = row.na_by if row.status == "not_applicable" else row.by
        records.append([row.org.name, row.org.slug, STATUS_LABELS[row.status], when, who or "",
                        latest.reply_text.strip() if latest else "", _files(row.attachments, export.attachment_url),
                        len(row.answers), "はい" if row.late else ""])
    return records


def answer_records(export: MatrixExport) -> list[list]:
    """Every answer of every organization, oldest first (ANSWERS_HEADER's order)."""
    records = []
    for row in export.rows:
        for post in row.answers:
            records.append([row.org.name, row.org.slug, post.date_utc, post.from_name, post.reply_text.strip(),
                            _files(post.attachments, export.attachment_url)])
    return records


def safe_text(value):
    """Text Excel would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(export: MatrixExport) -> bytes:
    """The matrix for Excel: UTF-8 with BOM, CRLF, every answer's text in full."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(MATRIX_HEADER)
    for record in matrix_records(export):
        record[3] = _csv_moment(record[3], export.timezone)
        writer.writerow([safe_text(v) for v in record])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _sheet(ws, header: tuple, widths: tuple, records: list[list], time_column: int, timezone: str) -> None:
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for record in records:
        record[time_column] = local_time(record[time_column], timezone).replace(tzinfo=None) \
            if record[time_column] else None
        ws.append([safe_text(v) for v in record])
        ws.cell(ws.max_row, time_column + 1).number_format = "yyyy/mm/dd hh:mm"
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def to_xlsx(export: MatrixExport, exported_at: str) -> bytes:
    """Three sheets: 回答状況 (the matrix), 全回答 (every answer), 照会 (what was asked, by when)."""
    book = Workbook()
    matrix = book.active
    matrix.title = "回答状況"
    _sheet(matrix, MATRIX_HEADER, MATRIX_WIDTHS, matrix_records(export), 3, export.timezone)
    _sheet(book.create_sheet("全回答"), ANSWERS_HEADER, ANSWERS_WIDTHS, answer_records(export), 2, export.timezone)
    about = book.create_sheet("照会")
    for label, value in (("件名", export.thread.subject), ("スペース", f"{export.space.title} ({export.space.slug})"),
                         ("照会元", export.inquiry.asker.name), ("回答期限", format_day(export.inquiry.deadline)),
                         ("出力日時", format_moment(exported_at, export.timezone))):
        about.append([label, safe_text(value)])
    about.column_dimensions["A"].width = 12
    about.column_dimensions["B"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_filename(thread: Thread, extension: str) -> str:
    return f"inquiry-{thread.id}.{extension}"
