"""Attachment bombs, built on the fly: small files whose text costs a naive reader minutes and GiBs."""

from __future__ import annotations

import io
import zlib
import zipfile

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BLOCK = 1 << 20


def _stream_member(archive: zipfile.ZipFile, name: str, head: bytes, unit: bytes, total: int, tail: bytes) -> None:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as out:
        out.write(head)
        block = unit * (BLOCK // len(unit))
        written = 0
        while written < total:
            out.write(block)
            written += len(block)
        out.write(tail)


def xlsx_bomb(inflated_bytes: int) -> bytes:
    """A workbook whose sharedStrings.xml inflates to `inflated_bytes`; the sheet uses the first strings."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", f'<workbook xmlns="{_MAIN}"><sheets><sheet name="集計表"/></sheets></workbook>')
        archive.writestr("xl/worksheets/sheet1.xml",
                         f'<worksheet xmlns="{_MAIN}"><sheetData><row><c t="s"><v>0</v></c><c t="s"><v>1</v></c>'
                         '</row></sheetData></worksheet>')
        _stream_member(archive, "xl/sharedStrings.xml",
                       f'<sst xmlns="{_MAIN}"><si><t>固定資産税減免一覧</t></si><si><t>被災家屋</t></si>'.encode(),
                       "<si><t>繰り返しの文字列</t></si>".encode(), inflated_bytes, b"</sst>")
    return buffer.getvalue()


def docx_bomb(inflated_bytes: int) -> bytes:
    """A document whose document.xml inflates to `inflated_bytes`, its first paragraph readable."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _stream_member(archive, "word/document.xml",
                       f'<w:document xmlns:w="{_WORD}"><w:body><w:p><w:r><w:t>避難所運営訓練の案内</w:t></w:r></w:p>'
                       .encode(), "<w:p><w:r><w:t>同じ段落</w:t></w:r></w:p>".encode(), inflated_bytes,
                       b"</w:body></w:document>")
    return buffer.getvalue()


def pdf_bomb(operators: int, first_page_text: str = "kairan readable page") -> bytes:
    """A two-page PDF: a normal first page, then one content stream of `operators` text operators."""
    bomb = b"BT /F1 12 Tf 72 700 Td " + b"(x) Tj " * operators + b"ET"
    normal = f"BT /F1 12 Tf 72 700 Td ({first_page_text}) Tj ET".encode()
    streams = [zlib.compress(normal), zlib.compress(bomb)]
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R /Resources << /Font << /F1 7 0 R >> >> >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 6 0 R /Resources << /Font << /F1 7 0 R >> >> >>"]
    objects += [b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(s) + s + b"\nendstream" for s in streams]
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def million_lines(lines: int = 1_000_000) -> str:
    return "あ\n" * lines
