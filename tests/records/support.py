"""The command line and the data folder of the records tests."""

from __future__ import annotations

import asyncio
import shutil
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from kairan.context import open_context
from kairan.fixtures import make_data_dir, seed

ROOT = Path(__file__).resolve().parents[2]


def kairan(data: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kairan", *args, "--data", str(data)], capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, "KAIRAN_DATA": ""}, timeout=timeout)


def ok(data: Path, *args: str) -> list[str]:
    done = kairan(data, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()


def seeded_data(path: Path) -> Path:
    data = make_data_dir(path)

    async def run():
        async with open_context(data) as ctx:
            await seed(ctx)
    asyncio.run(run())
    return data


def show(data: Path, slug: str = "zeimu") -> dict:
    return json.loads(ok(data, "show", slug, "--json")[-1])


def rows(data: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(data / "kairan.db") as conn:
        return conn.execute(sql, params).fetchall()


def without_ids(document: dict) -> list:
    """A space's threads and posts, with everything that names this space or its row ids left out."""
    return [{"subject": t["subject"], "posts": [{k: v for k, v in p.items() if k != "id"} for p in t["posts"]]}
            for t in document["threads"]]


def copy_of(template: Path, target: Path) -> Path:
    """A fresh copy of a data folder built once per module (no process has it open)."""
    shutil.copytree(template, target)
    return target
