"""The member CSV as Excel writes it: UTF-8 (with or without BOM) or CP932, CRLF, quoted fields.

Encoding rule (strict, no guessing): a UTF-8 BOM means UTF-8; else the bytes are UTF-8 if they
decode as UTF-8 without error; else CP932 if they decode as CP932 without error; else the file
is refused. Japanese text in CP932 is practically never valid UTF-8, so this tells the two apart
without a detector's heuristics. Headers may be Japanese or English (`COLUMNS`). A column that is
present is authoritative (an empty cell is empty, a flag's empty cell is 0); an absent column
leaves that field alone. Export writes the same columns, UTF-8 with BOM and CRLF.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from dataclasses import dataclass

from archive.errors import Invalid

COLUMNS = {
    "email": ("メールアドレス", "email", "メール", "e-mail", "mail"),
    "name": ("氏名", "name", "名前"),
    "reading": ("ふりがな", "reading", "フリガナ", "よみがな", "ヨミガナ"),
    "org": ("団体", "org", "organization", "団体名"),
    "dept": ("所属", "dept", "department", "部署"),
    "rep": ("課代表", "rep", "representative"),
    "org_admin": ("団体管理者", "org_admin", "org admin"),
}
EXPORT_HEADER = ("メールアドレス", "氏名", "ふりがな", "団体", "所属", "課代表", "団体管理者")
EXPORT_KEYS = ("email", "name", "reading", "org", "dept", "rep", "org_admin")
FLAGS = ("rep", "org_admin")
TRUE = {"1", "○", "〇", "◯", "true", "yes", "はい", "y"}
FALSE = {"0", "", "false", "no", "いいえ", "n", "×", "-"}
MAX_ROWS = 50_000


@dataclass(frozen=True)
class Row:
    line: int                    # the file line the record starts on (the header is line 1)
    values: dict[str, str]       # column key → cell text, for the columns the file has


def decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8")
        except UnicodeDecodeError:
            raise Invalid("the file starts with a UTF-8 mark but is not UTF-8: save it again as CSV UTF-8") from None
    for encoding in ("utf-8", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Invalid("the file is neither UTF-8 nor Shift_JIS (CP932): save it from Excel as CSV")


def header_key(cell: str) -> str | None:
    cell = unicodedata.normalize("NFKC", cell).strip().lower().replace("_", " ")
    for key, names in COLUMNS.items():
        if cell in {unicodedata.normalize("NFKC", n).lower().replace("_", " ") for n in names}:
            return key
    return None


def parse_header(cells: list[str]) -> list[str | None]:
    keys: list[str | None] = []
    for cell in cells:
        key = header_key(cell)
        if key is None and cell.strip():
            raise Invalid(f"line 1: unknown column {cell.strip()!r}: use " + ", ".join(
                f"{names[0]} ({names[1]})" for names in COLUMNS.values()))
        if key is not None and key in keys:
            raise Invalid(f"line 1: column {cell.strip()!r} appears twice")
        keys.append(key)
    if "email" not in keys:
        raise Invalid("line 1: the header needs a メールアドレス (email) column")
    return keys


def read_rows(data: bytes) -> list[Row]:
    """The records after the header; rows with only empty cells are skipped."""
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    try:
        header = next(reader, None)
        if header is None:
            raise Invalid("the file is empty: it needs a header row and one row per member")
        keys = parse_header(header)
        rows, start = [], reader.line_num + 1
        for cells in reader:
            if any(c.strip() for c in cells):
                if len(cells) > len(keys) and any(c.strip() for c in cells[len(keys):]):
                    raise Invalid(f"line {start}: more cells than the header has columns")
                rows.append(Row(start, {k: from_excel((cells[i] if i < len(cells) else "").strip())
                                        for i, k in enumerate(keys) if k is not None}))
                if len(rows) > MAX_ROWS:
                    raise Invalid(f"the file has more than {MAX_ROWS} rows: split it")
            start = reader.line_num + 1
    except csv.Error as error:
        raise Invalid(f"line {reader.line_num}: the CSV can't be read ({error})") from None
    return rows


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def excel_safe(value: str) -> str:
    """A cell Excel will not run as a formula: one starting with = + - @ gets a leading apostrophe
    (what Excel itself shows for text), which `from_excel` takes off again on import."""
    return "'" + value if value.startswith(FORMULA_START) else value


def from_excel(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


def parse_flag(value: str, column: str) -> bool:
    folded = unicodedata.normalize("NFKC", value).strip().lower()
    if folded in TRUE or value.strip() in TRUE:
        return True
    if folded in FALSE or value.strip() in FALSE:
        return False
    raise Invalid(f"{column} must be 1/0, ○/empty or true/false (not {value!r})")


def write_rows(records: list[dict]) -> bytes:
    """UTF-8 with BOM, CRLF, the Japanese header; flags as 1/0."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_HEADER)
    for record in records:
        writer.writerow([("1" if record[k] else "0") if k in FLAGS else excel_safe(record[k]) for k in EXPORT_KEYS])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")
