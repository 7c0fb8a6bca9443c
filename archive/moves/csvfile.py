"""The moves CSV as Excel writes it: CP932 or UTF-8 (with or without BOM), Japanese or English headers.

Columns (either name): メールアドレス|email, 発令日|effective, 新団体|new_org, 新所属|new_dept,
新アドレス|new_address, 後任|successor, 退職|leave. Only the first two are required. This module
only reads: which rows make sense against the archive is `schedule`'s business.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from datetime import date

from archive.moves.dates import parse_effective

COLUMNS = {
    "メールアドレス": "email", "email": "email",
    "発令日": "effective", "effective": "effective",
    "新団体": "new_org", "new_org": "new_org",
    "新所属": "new_dept", "new_dept": "new_dept",
    "新アドレス": "new_address", "new_address": "new_address",
    "後任": "successor", "successor": "successor",
    "退職": "leave", "leave": "leave",
}
REQUIRED = ("email", "effective")
YES = {"1", "true", "yes", "y", "はい", "○", "〇", "退職"}
NO = {"", "0", "false", "no", "n", "いいえ"}
MAX_ROWS = 50_000


@dataclass(frozen=True)
class MoveRow:
    """One data row, read but not yet checked against the archive. Empty text means: not given."""
    line: int
    email: str
    effective: date
    new_org: str = ""
    new_dept: str | None = None
    new_address: str = ""
    successor: str = ""
    leave: bool = False


class CsvProblem(Exception):
    """The file as a whole can't be read (encoding, headers)."""


def decode(data: bytes) -> str:
    """UTF-8 (Excel's 'CSV UTF-8' has a BOM) or else CP932 (Excel's plain 'CSV')."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp932")
        except UnicodeDecodeError:
            raise CsvProblem("the file is neither UTF-8 nor Shift_JIS (CP932): save it from Excel as CSV")


def _header(name: str) -> str:
    return unicodedata.normalize("NFKC", name or "").strip().lower()


def header_map(fields: list[str]) -> dict[str, str]:
    """CSV header → our column; unknown headers or a missing required one are a CsvProblem."""
    found: dict[str, str] = {}
    for field in fields:
        key = COLUMNS.get(_header(field)) or COLUMNS.get(unicodedata.normalize("NFKC", field or "").strip())
        if key is None:
            if _header(field):
                raise CsvProblem(f"unknown column {field!r}: the columns are {', '.join(k for k in COLUMNS if not k.isascii())}"
                                 f" (or {', '.join(k for k in COLUMNS if k.isascii())})")
            continue
        if key in found.values():
            raise CsvProblem(f"column {field!r} appears twice")
        found[field] = key
    missing = [k for k in REQUIRED if k not in found.values()]
    if missing:
        raise CsvProblem(f"the file lacks the column(s) {', '.join(missing)} (メールアドレス, 発令日)")
    return found


def parse_leave(text: str) -> bool:
    value = unicodedata.normalize("NFKC", text or "").strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValueError(f"退職 {text!r} is neither 1 nor empty")


def _row(line: int, values: dict[str, str]) -> MoveRow:
    def cell(key: str) -> str:
        return unicodedata.normalize("NFKC", values.get(key) or "").strip()
    dept = values.get("new_dept")
    return MoveRow(line=line, email=cell("email").lower(), effective=parse_effective(values.get("effective", "")),
                   new_org=cell("new_org"), new_dept=None if dept is None or not dept.strip() else dept.strip(),
                   new_address=cell("new_address").lower(), successor=cell("successor").lower(),
                   leave=parse_leave(values.get("leave", "")))


def read_rows(data: bytes) -> tuple[list[MoveRow], list[str]]:
    """(rows that could be read, 'line N: problem' for each that could not). Blank lines are skipped."""
    reader = csv.reader(io.StringIO(decode(data), newline=""))
    try:
        fields = next(reader)
    except StopIteration:
        raise CsvProblem("the file is empty: the first line must name the columns (メールアドレス,発令日,…)")
    except csv.Error as error:
        raise CsvProblem(f"the file is not CSV ({error})")
    columns = header_map(fields)
    order = [columns.get(f) for f in fields]
    rows, errors = [], []
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(rows) + len(errors) >= MAX_ROWS:
                raise CsvProblem(f"the file has more than {MAX_ROWS} rows: split it")
            values = {key: cell for key, cell in zip(order, cells) if key}
            try:
                rows.append(_row(number, values))
            except ValueError as error:
                errors.append(f"line {number}: {error}")
    except csv.Error as error:
        raise CsvProblem(f"the file is not CSV near line {reader.line_num} ({error})")
    return rows, errors
