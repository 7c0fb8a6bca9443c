"""Helpers for search tests: real mail through the real spool and ingest path, real attachments."""

from __future__ import annotations

import io
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from datetime import datetime, timedelta, timezone

import docx
import openpyxl

from bridge.ingest.worker import IngestWorker
from bridge.gateway.spooler import Spooler
from kairan.context import Context
from tests.conftest import DOMAIN

JST = timezone(timedelta(hours=9))


def message(sender: str, space: str, subject: str, body: str, when: datetime,
            attachments: tuple[tuple[str, bytes, str], ...] = ()) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = f"{space}@{DOMAIN}"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = make_msgid(domain="test.lg.jp")
    msg.set_content(body)
    for filename, data, content_type in attachments:
        maintype, subtype = content_type.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg


async def deliver(ctx: Context, *messages: EmailMessage) -> None:
    """Spool (as the SMTP gateway does) and ingest, through the real code."""
    spooler = Spooler(ctx.db, ctx.blobs)
    for msg in messages:
        sender = msg["From"].addresses[0].addr_spec
        await spooler.accept(msg.as_bytes(), received_at="2026-06-01T00:00:00Z", mail_from=sender,
                             rcpts=(str(msg["To"]),), peer="test")
    await IngestWorker(ctx.db, ctx.blobs, ctx.settings.domain).drain()


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx_bytes(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(text: str) -> bytes:
    """A minimal valid one-page PDF showing `text` (ASCII) in Helvetica, xref offsets computed."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
