import pytest

from tests.world import build_world, seed_mail


@pytest.fixture
async def world(tmp_path):
    w = await build_world(tmp_path)
    w.ids = await seed_mail(w)
    yield w
    await w.db.close()
