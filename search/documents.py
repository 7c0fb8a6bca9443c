"""An archived post as an index document (blocking: runs in the indexer's thread)."""

from __future__ import annotations

import json
import re

import tantivy

from archive.blobs import BlobStore
from archive.clock import from_iso
from archive.indexing import IndexRecord
from search.analysis import index_text
from search.extract import Limits, extract_text

_SPACES = re.compile(r"\s+")


class AttachmentTexts:
    """Extracted attachment text by SHA-256: an attachment sent a hundred times is read once."""

    def __init__(self, blobs: BlobStore, limits: Limits = Limits(), keep: int = 256):
        self._blobs = blobs
        self._limits = limits
        self._keep = keep
        self._cache: dict[str, str] = {}

    def known(self, sha256: str) -> bool:
        return sha256 in self._cache

    def remember(self, sha256: str, text: str) -> None:
        """Text read elsewhere (a worker process of the pool) for `text()` to give."""
        if len(self._cache) >= self._keep:
            self._cache.clear()
        self._cache[sha256] = text

    def text(self, sha256: str, filename: str | None, content_type: str, size: int | None) -> str:
        if sha256 in self._cache:
            return self._cache[sha256]
        text = ""
        if size is None or size <= self._limits.max_bytes:
            try:
                data = self._blobs.get(sha256)
            except (OSError, ValueError):
                data = b""
            text = extract_text(filename, content_type, data, self._limits) if data else ""
        if len(self._cache) >= self._keep:
            self._cache.clear()
        self._cache[sha256] = text
        return text


def name_variants(name: str) -> str:
    """A name as written and without its spaces: 佐藤 健一 is found as 佐藤健一 too."""
    joined = _SPACES.sub("", name)
    return name if joined == name else f"{name}\n{joined}"


def build_document(record: IndexRecord, texts: AttachmentTexts) -> tantivy.Document:
    post = record.post
    doc = tantivy.Document()
    doc.add_integer("post_id", post.id)
    doc.add_integer("space_id", post.space_id)
    doc.add_integer("ts", int(from_iso(post.date_utc).timestamp()))
    doc.add_integer("thread_id", post.thread_id)
    doc.add_integer("org_id", record.org_id)
    doc.add_text("subject", index_text(post.subject))
    doc.add_text("body", index_text(post.reply_text))
    doc.add_text("people", index_text(f"{name_variants(post.from_name)}\n{post.from_address}"))
    doc.add_text("org", index_text(f"{name_variants(record.org_name)}\n{record.org_slug}"))
    stored = []
    for att in post.attachments:
        text = texts.text(att.sha256, att.filename, att.content_type, att.size)
        doc.add_text("att_name", index_text(att.filename or ""))
        if text:
            doc.add_text("att_text", index_text(text))
            stored.append([att.filename or "", text])
    if post.attachments:
        doc.add_text("has", "attachment")
    if stored:
        doc.add_bytes("attachments", json.dumps(stored, ensure_ascii=False).encode("utf-8"))
    return doc
