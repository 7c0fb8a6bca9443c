"""The Tantivy index: its schema, opening it, and the one writer.

Analyzed fields hold the token stream of `search.analysis` (whitespace
tokenizer, real positions). Nothing is stored but the post id and the
extracted attachment text (for snippets): the archive is the truth, the index
only finds. A version file next to the index says which schema built it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import tantivy

SCHEMA_VERSION = 2                  # 2: thread_id and org_id fast fields (grouping, facets)
VERSION_FILE = "kairan-index.json"
# Analyzed text fields, and the weight a match in each carries for a plain query word.
TEXT_FIELDS = {"subject": 3.0, "body": 1.5, "people": 1.0, "org": 0.5, "att_name": 1.5, "att_text": 0.7}
RAW_FIELDS = ("has",)


class IndexBusy(Exception):
    """Another process (or object) holds the index writer."""


class IndexOutdated(Exception):
    """The index on disk was built with another schema."""


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("post_id", stored=True, indexed=True, fast=True)
    builder.add_integer_field("space_id", indexed=True, fast=True)
    builder.add_integer_field("ts", indexed=True, fast=True)            # post date, Unix seconds
    builder.add_integer_field("thread_id", indexed=True, fast=True)     # hits grouped by thread
    builder.add_integer_field("org_id", indexed=True, fast=True)        # the author's organization (0: unknown)
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    for name in RAW_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic")
    builder.add_bytes_field("attachments", stored=True)                # JSON [[filename, text]] for snippets
    return builder.build()


class SearchIndex:
    """One index folder. Reading is shared; `writer()` gives the single writer or raises IndexBusy."""

    def __init__(self, path: Path, index: tantivy.Index):
        self.path = path
        self.index = index
        self.schema = index.schema

    @classmethod
    def open(cls, path: Path) -> "SearchIndex":
        """Opens the index, creating it in an empty or missing folder."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        version_file = path / VERSION_FILE
        if tantivy.Index.exists(str(path)):
            if _version(version_file) != SCHEMA_VERSION:
                raise IndexOutdated(f"the search index in {path} was built by another version of kairan: "
                                    "run 'kairan reindex'")
            return cls(path, tantivy.Index.open(str(path)))
        index = tantivy.Index(build_schema(), str(path), reuse=False)
        version_file.write_text(json.dumps({"schema": SCHEMA_VERSION}), encoding="utf-8")
        return cls(path, index)

    @classmethod
    def recreate(cls, path: Path) -> "SearchIndex":
        """An empty index in place of whatever is there; IndexBusy if a writer holds the old one."""
        path = Path(path)
        if tantivy.Index.exists(str(path)):
            old = tantivy.Index.open(str(path))
            try:
                old.writer(15_000_000, 1)        # taken and dropped at once: only to see the lock is free
            except ValueError as error:
                raise IndexBusy(str(error)) from None
        shutil.rmtree(path, ignore_errors=True)
        return cls.open(path)

    def writer(self, heap_bytes: int = 64_000_000, threads: int = 1) -> tantivy.IndexWriter:
        try:
            return self.index.writer(heap_bytes, threads)
        except ValueError as error:
            raise IndexBusy(f"the search index is being written by another process (is 'kairan serve' "
                            f"running?): {error}") from None

    def searcher(self) -> tantivy.Searcher:
        return self.index.searcher()

    def reload(self) -> None:
        self.index.reload()


def _version(version_file: Path) -> int | None:
    try:
        return int(json.loads(version_file.read_text(encoding="utf-8"))["schema"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
