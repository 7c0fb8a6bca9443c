"""Search wiring shared by `kairan serve` and the commands: the service, and draining when allowed."""

from __future__ import annotations

import logging

from kairan.config import ConfigError
from kairan.context import Context
from search.index import IndexBusy, IndexOutdated
from search.indexer import Indexer
from search.service import SearchService

log = logging.getLogger(__name__)


def open_search(ctx: Context) -> SearchService:
    try:
        return SearchService(ctx.db, ctx.settings.index_dir, ctx.blobs, timezone=ctx.settings.timezone,
                             clock=ctx.clock)
    except IndexOutdated as error:
        raise ConfigError(str(error)) from None


async def catch_up(ctx: Context, service: SearchService) -> bool:
    """Index what is queued, if no other process (a running `kairan serve`) holds the index writer.

    When one does, its indexer is draining the same queue already, so searching what
    is committed is as fresh as it gets. True when this process drained the queue.
    """
    indexer = Indexer(ctx.db, service.index, ctx.blobs)
    try:
        await indexer.drain()
        return True
    except IndexBusy:
        log.info("index writer busy (kairan serve?): searching what is committed")
        return False
    finally:
        await indexer.close()
