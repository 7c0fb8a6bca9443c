"""Which mail opens an inquiry (照会), and with what deadline. Pure functions.

A thread's first post opens an inquiry when its subject, after any Re:/Fwd:/転送:
prefixes and other leading tags ([tax], 【至急】), starts with an inquiry marker:
【照会】 [照会] 〔照会〕 <照会> 照会： (full-width forms alike; 【再照会】【至急照会】 too).
【照会回答】 is an answer, not an inquiry. Replies never open one: the ingest asks
only for posts that start a thread.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bridge.inquiries.deadlines import find_deadline
from bridge.subjects import strip_reply_prefixes

_INQUIRY_WORD = r"(?:再|至急|緊急|追加)?\s*照会\s*(?:依頼)?"
_MARKER = re.compile(
    r"^(?:【\s*" + _INQUIRY_WORD + r"\s*】|\[\s*" + _INQUIRY_WORD + r"\s*\]|〔\s*" + _INQUIRY_WORD + r"\s*〕"
    r"|<\s*" + _INQUIRY_WORD + r"\s*>|≪\s*" + _INQUIRY_WORD + r"\s*≫|《\s*" + _INQUIRY_WORD + r"\s*》"
    r"|照会\s*:)")
_OTHER_TAG = re.compile(r"^(?:【[^】]{0,20}】|\[[^\]]{0,40}\]|〔[^〕]{0,20}〕|<[^>]{0,20}>)\s*")
MAX_LEADING_TAGS = 3


@dataclass(frozen=True)
class InquiryRequest:
    """What a mail asks for: an inquiry, with this deadline (None: 期限なし)."""
    deadline: date | None


def has_inquiry_marker(subject: str) -> bool:
    """True when the subject (prefixes and up to three other leading tags aside) starts with a marker."""
    text = unicodedata.normalize("NFKC", strip_reply_prefixes(subject or "")).strip()
    for _ in range(MAX_LEADING_TAGS + 1):
        if _MARKER.match(text):
            return True
        stripped = _OTHER_TAG.sub("", text, count=1)
        if stripped == text:
            return False
        text = stripped.lstrip()
    return False


def inquiry_request(subject: str, bodies: tuple[str, ...], sent: datetime,
                    timezone: str = "Asia/Tokyo") -> InquiryRequest | None:
    """For a thread's first post: the inquiry it opens, or None when its subject marks none.

    `sent` is the mail's date; a deadline without a year is the next such date from
    the day it was sent, in the deployment's time zone.
    """
    if not has_inquiry_marker(subject):
        return None
    sent_on = sent.astimezone(ZoneInfo(timezone)).date()
    return InquiryRequest(find_deadline(strip_reply_prefixes(subject), bodies, sent_on))
