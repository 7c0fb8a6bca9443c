"""Mail content made safe to show: sanitized HTML, linked plain text, download headers.

HTML mail is cleaned by nh3 (ammonia) with a short allow-list: no script, no
style, no forms, no event handlers, no `javascript:`; `cid:` images become
links to their attachment in this space and every other image source is
dropped, so opening a mail never makes a request outside the archive.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable
from urllib.parse import quote, unquote

import nh3
from markupsafe import Markup, escape

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "div", "dl",
    "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p", "pre", "q",
    "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"}, "img": {"src", "alt", "width", "height"}, "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"}, "ol": {"start"}, "abbr": {"title"},
}
DROPPED_WITH_CONTENT = {"script", "style", "title", "head", "textarea", "select", "option", "noscript",
                        "iframe", "object", "embed", "svg", "math", "template"}

# Served with their own type (images can then be shown by <img>); anything else as octet-stream.
INLINE_SAFE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"}
DOWNLOAD_TYPES = INLINE_SAFE_TYPES | {
    "application/pdf", "text/plain", "text/csv", "application/zip", "application/msword",
    "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}

URL = re.compile(r"https?://[^\s<>\"'（）「」『』【】、。，．\u3000]+", re.IGNORECASE)
CONTROL = re.compile(r"[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def normalize_cid(value: str) -> str:
    return unquote(value.strip()).strip("<>").strip().lower()


def sanitize_html(html: str, cid_url: Callable[[str], str | None]) -> str:
    """Inert HTML: `cid_url(content_id)` gives an attachment URL for an inline image, or None."""

    def keep(tag: str, attr: str, value: str) -> str | None:
        if tag == "img" and attr == "src":
            return cid_url(normalize_cid(value[4:])) if value.lower().startswith("cid:") else None
        return value

    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     clean_content_tags=DROPPED_WITH_CONTENT, url_schemes={"http", "https", "mailto", "cid"},
                     link_rel="noopener noreferrer nofollow", strip_comments=True, attribute_filter=keep)


def linkify(text: str) -> Markup:
    """Escaped plain text with http(s) URLs as links (opened without a referrer)."""
    out, last = [], 0
    for match in URL.finditer(text):
        url = match.group(0).rstrip(".,;:!?)]}")
        start, end = match.start(), match.start() + len(url)
        out.append(escape(text[last:start]))
        out.append(Markup('<a href="{0}" rel="noopener noreferrer nofollow">{0}</a>').format(url))
        last = end
    out.append(escape(text[last:]))
    return Markup("").join(out)


def clean_filename(name: str | None, fallback: str = "attachment") -> str:
    """A file name fit for a header and a disk: no paths, controls, bidi tricks or leading dots."""
    name = unicodedata.normalize("NFC", name or "")
    name = CONTROL.sub("", name).replace("/", "_").replace("\\", "_").strip().lstrip(".")
    return name[:200] or fallback


def content_disposition(name: str | None) -> str:
    """RFC 6266: an ASCII fallback `filename` and the exact name as UTF-8 `filename*`."""
    clean = clean_filename(name)
    ascii_name = "".join(c if 32 <= ord(c) < 127 and c not in '"\\;' else "_" for c in clean)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(clean, safe='')}"


def download_type(declared: str) -> str:
    ctype = (declared or "").split(";")[0].strip().lower()
    return ctype if ctype in DOWNLOAD_TYPES else "application/octet-stream"
