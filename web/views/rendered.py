"""Rendered posts, kept: a thread of 200 posts is rendered once, then served from memory.

A post's article depends only on the post, its author's organization and department, whether it
is new to the reader, and the language; the key holds all of them (the post by a hash of every
field, so a changed or emptied post is rendered afresh, never served stale). The store is
bounded (least recently used out first) and lives on the app, not in a global.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Callable

from markupsafe import Markup

MAX_ARTICLES = 20_000          # a few KB each: tens of MB at most


class RenderedPosts:
    def __init__(self, limit: int = MAX_ARTICLES):
        self._limit = limit
        self._items: OrderedDict[tuple, Markup] = OrderedDict()

    def get_or_render(self, key: tuple, render: Callable[[], str]) -> Markup:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
            return found
        found = Markup(render())
        self._items[key] = found
        if len(self._items) > self._limit:
            self._items.popitem(last=False)
        return found

    def __len__(self) -> int:
        return len(self._items)
