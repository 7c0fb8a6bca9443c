"""Outlook `.msg` → RFC 5322, with extract-msg (what Japanese staff save from Outlook).

The converted message is the one kairan keeps as the raw message (the post says it was
converted). Conversion is made deterministic — MIME boundaries and a missing Message-ID
are derived from the .msg file's bytes — so importing the same file twice finds the
same post. Empty headers extract-msg writes for absent properties are dropped.
"""

from __future__ import annotations

import email.policy
import hashlib
import logging

import extract_msg

# extract-msg logs each absent optional property; a whole folder would drown the progress bar.
logging.getLogger("extract_msg").setLevel(logging.ERROR)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_MIN_SIZE = 1536          # below this, olefile would take the bytes for a file name


class MsgUnreadable(Exception):
    """Not an Outlook message file, or one extract-msg can't convert."""


def msg_to_rfc5322(data: bytes) -> bytes:
    digest = hashlib.sha256(data).hexdigest()
    if not data.startswith(OLE_MAGIC) or len(data) < OLE_MIN_SIZE:
        raise MsgUnreadable("not an OLE compound file (Outlook saves .msg files as one)")
    try:
        msg = extract_msg.openMsg(data)
    except Exception as error:          # the library raises many kinds for a damaged file
        raise MsgUnreadable(f"{type(error).__name__}: {error}") from None
    try:
        message = msg.asEmailMessage()
        subject = msg.subject or ""
        in_reply_to = getattr(msg, "inReplyTo", None) or ""
    except Exception as error:
        raise MsgUnreadable(f"{type(error).__name__}: {error}") from None
    finally:
        msg.close()
    for name in set(message.keys()):
        if not str(message.get(name, "")).strip():
            del message[name]
    if "Subject" not in message and subject:
        message["Subject"] = subject
    if "Message-ID" not in message:
        message["Message-ID"] = f"<msg-{digest[:32]}@kairan.invalid>"
    if "In-Reply-To" not in message and in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if "MIME-Version" not in message:
        message["MIME-Version"] = "1.0"
    for number, part in enumerate(message.walk()):
        if part.is_multipart():
            part.set_boundary(f"kairan-msg-{digest[:16]}-{number}")
    return message.as_bytes(policy=email.policy.SMTP)
