"""Which posts the index holds: for `kairan check`, which compares them with the archive's posts."""

from __future__ import annotations

import tantivy

from search.index import SearchIndex


def indexed_post_ids(index: SearchIndex) -> set[int]:
    """The post ids of every document in the committed index (blocking; run it in a thread)."""
    index.reload()
    searcher = index.searcher()
    total = searcher.num_docs
    if total == 0:
        return set()
    hits = searcher.search(tantivy.Query.all_query(), limit=total).hits
    return {searcher.doc(address)["post_id"][0] for _, address in hits}
