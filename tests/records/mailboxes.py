"""Mailboxes written the way real tools write them, for the import tests.

- Thunderbird's mbox: `From - <asctime>` separators, `>From ` quoting of body lines, LF endings.
- A Maildir with cur/ and new/, written by Python's `mailbox.Maildir` (as a delivery agent does).
- A folder of .eml files as Outlook saves them: CRLF, ISO-2022-JP body, encoded-word subject
  and names, Thread-Index and X-Mailer headers.
- Outlook .msg files, written by msgforge (an MS-OXMSG writer; no Outlook needed).
"""

from __future__ import annotations

import base64
import mailbox
from datetime import datetime, timedelta, timezone
from email.header import Header
from email.utils import format_datetime
from pathlib import Path

from msgforge import Message

JST = timezone(timedelta(hours=9))
SATO = ("佐藤 健一", "sato@pref.yamakawa.lg.jp")
SUZUKI = ("鈴木 裕子", "suzuki@city.aoba.lg.jp")
RETIRED = ("山田 退職", "yamada@city.aoba.lg.jp")        # not (or no longer) a member


def rfc822(mid: str, subject: str, sender: tuple[str, str], date: datetime, body: str,
           parent: str | None = None, attachment: tuple[str, bytes] | None = None) -> bytes:
    """A plain UTF-8 message as Thunderbird sends it (LF endings)."""
    head = [f"From: {Header(sender[0], 'utf-8').encode()} <{sender[1]}>", "To: zeimu@kairan.test.lg.jp",
            f"Subject: {Header(subject, 'utf-8').encode()}", f"Date: {format_datetime(date)}"]
    if mid:
        head.append(f"Message-ID: {mid}")
    if parent:
        head += [f"In-Reply-To: {parent}", f"References: {parent}"]
    head += ["MIME-Version: 1.0", "User-Agent: Mozilla Thunderbird"]
    text = base64.encodebytes(body.encode("utf-8")).decode("ascii")
    if attachment is None:
        head += ["Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: base64", "", text]
    else:
        name, data = attachment
        encoded = Header(name, "utf-8").encode()
        head += ['Content-Type: multipart/mixed; boundary="b1"', "", "--b1",
                 "Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: base64", "", text,
                 "--b1", f'Content-Type: application/octet-stream; name="{encoded}"',
                 f'Content-Disposition: attachment; filename="{encoded}"', "Content-Transfer-Encoding: base64", "",
                 base64.encodebytes(data).decode("ascii"), "--b1--", ""]
    return "\n".join(head).encode("utf-8")


def plain_8bit(mid: str, subject: str, sender: tuple[str, str], date: datetime, body: str) -> bytes:
    """Like rfc822 but the body in 8-bit, so `From ` lines stay visible to the mbox quoting."""
    return (f"From: {sender[1]}\nTo: zeimu@kairan.test.lg.jp\nSubject: {subject}\nDate: {format_datetime(date)}\n"
            f"Message-ID: {mid}\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
            f"Content-Transfer-Encoding: 8bit\n\n{body}").encode("utf-8")


def thunderbird_mbox(path: Path, messages: list[bytes]) -> Path:
    """mboxo as Thunderbird writes it: `From - ` lines, body lines `From ` quoted as `>From `."""
    with path.open("wb") as out:
        for raw in messages:
            stamp = datetime(2026, 12, 1, 10, 0).strftime("%a %b %d %H:%M:%S %Y")
            body = b"\n".join((b">" + line if line.startswith(b"From ") else line) for line in raw.split(b"\n"))
            out.write(b"From - " + stamp.encode() + b"\n" + body + (b"" if body.endswith(b"\n") else b"\n") + b"\n")
    return path


def maildir(path: Path, cur: list[bytes], new: list[bytes]) -> Path:
    box = mailbox.Maildir(path, create=True)
    for raw in cur:
        key = box.add(mailbox.MaildirMessage(raw))
        message = box[key]
        message.set_subdir("cur")
        message.add_flag("S")
        box[key] = message
    for raw in new:
        box.add(raw)
    box.close()
    return path


def outlook_eml(mid: str, subject: str, sender: tuple[str, str], date: datetime, body: str,
                parent: str | None = None) -> bytes:
    """An .eml as Outlook saves it: CRLF, ISO-2022-JP, encoded words, Outlook's own headers."""
    lines = [f"From: {Header(sender[0], 'iso-2022-jp').encode()} <{sender[1]}>",
             "To: =?iso-2022-jp?B?GyRCQGdMMxsoQg==?= <zeimu@kairan.test.lg.jp>",
             f"Subject: {Header(subject, 'iso-2022-jp').encode()}",
             f"Date: {format_datetime(date)}", f"Message-ID: {mid}"]
    if parent:
        lines += [f"In-Reply-To: {parent}", f"References: {parent}"]
    lines += ["MIME-Version: 1.0", "Thread-Index: AQHbRm2Xk5c1y1mG0E2Y7Q==",
              "X-Mailer: Microsoft Outlook 16.0", 'Content-Type: text/plain; charset="iso-2022-jp"',
              "Content-Transfer-Encoding: 7bit", "Content-Language: ja", ""]
    text = body.encode("iso-2022-jp").decode("ascii")
    return ("\r\n".join(lines) + "\r\n" + text.replace("\n", "\r\n")).encode("ascii")


def outlook_msg(path: Path, subject: str, sender: tuple[str, str], date: datetime, body: str,
                attachment: tuple[str, bytes] | None = None) -> Path:
    message = Message(subject=subject, text_body=body, to=[("zeimu@kairan.test.lg.jp", "税務")],
                      sender=(sender[1], sender[0]), sent=date)
    if attachment:
        message.attach_bytes(*attachment)
    message.save(path)
    return path
