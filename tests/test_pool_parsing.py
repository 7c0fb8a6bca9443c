"""Parsing in the worker pool gives the same `kairan parse` output as the in-process path:
one code path (`bridge.ingest.understand`), the pool only runs it."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bridge.ingest.understand import parse_result_json, result_json, understand_stored
from kairan.pool import Budget, ProcessPool
from tests.corpora_support import all_messages

BUDGET = Budget(seconds=60, memory_bytes=512 * 2**20)
CORPUS = [path.read_bytes() for path in all_messages()]


def mutated(seed: int) -> bytes:
    """A corpus message with bytes flipped, cut or repeated: random, yet mail-shaped."""
    rng = random.Random(seed)
    raw = bytearray(rng.choice(CORPUS))
    for _ in range(rng.randint(0, 6)):
        spot = rng.randrange(max(len(raw), 1))
        roll = rng.random()
        if roll < 0.5:
            raw[spot:spot + 1] = bytes([rng.randrange(256)])
        elif roll < 0.8:
            raw[spot:spot + rng.randint(1, 200)] = b""
        else:
            raw[spot:spot] = raw[spot:spot + rng.randint(1, 400)] * rng.randint(1, 5)
    return bytes(raw)


async def test_every_corpus_message_parses_in_the_pool_as_in_process(tmp_path):
    pool = ProcessPool(2, max_memory=512 * 2**20)
    try:
        for raw in CORPUS:
            pooled = result_json(*await pool.run(understand_stored, raw, str(tmp_path), budget=BUDGET))
            assert pooled == parse_result_json(raw)
    finally:
        await pool.close()


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(seed=st.integers(0, 2**32))
async def test_random_messages_parse_in_the_pool_as_in_process(tmp_path_factory, seed):
    raw = mutated(seed)
    pool = ProcessPool(1, max_memory=512 * 2**20)
    try:
        pooled = result_json(*await pool.run(understand_stored, raw, str(tmp_path_factory.mktemp("blobs")),
                                             budget=BUDGET))
    finally:
        await pool.close()
    assert pooled == parse_result_json(raw)
