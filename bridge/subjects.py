"""Subject normalization for threading: the one place reply prefixes are known."""

from __future__ import annotations

import re
import unicodedata

# Reply and forward prefixes of the mail clients in use, Japanese ones included,
# optionally numbered ("Re[2]:", "RE^3:") and with ASCII or full-width colons.
_PREFIX = re.compile(
    r"^\s*(?:(?:re|fw|fwd|aw|wg|sv|vs|tr|rif|antw|odp|r|返信|転送|返|転)\s*(?:\[\d+\]|\^\d+|\(\d+\))?\s*[:：]\s*)",
    re.IGNORECASE)
# A leading tag: "[tax]", "[tax:0012]", "【照会】" stays (it carries meaning); ASCII brackets go.
_TAG = re.compile(r"^\s*\[[^\]]{0,40}\]\s*")


def normalize_subject(subject: str) -> str:
    """Strip reply prefixes and list tags, repeatedly; fold width and case; squeeze spaces."""
    text = unicodedata.normalize("NFKC", subject or "")
    previous = None
    while previous != text:
        previous = text
        text = _PREFIX.sub("", text)
        text = _TAG.sub("", text)
    return " ".join(text.split()).casefold()


def strip_reply_prefixes(subject: str) -> str:
    """The subject as a thread title: prefixes gone, the author's wording kept."""
    text = subject or ""
    previous = None
    while previous != text:
        previous = text
        text = _PREFIX.sub("", text)
    return " ".join(text.split())
