"""Backup and check against a plain copy of the same data folder.

Seeds a data folder (posts with attachments, through the spool and the ingest
worker, as mail arrives), then times, over ROUNDS rounds: `kairan backup`'s work
(online backup of the database + blob copy), `kairan check`'s blob verification
(every blob read and hashed), and as the reference a plain `shutil.copytree`
of the folder. Prints medians, spreads, ratios to the reference, and the load.

    .venv/bin/python bench/ops.py [--posts N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.ops.integrity import check_blobs  # noqa: E402
from bridge.gateway.spooler import Spooler  # noqa: E402
from bridge.ingest.worker import IngestWorker  # noqa: E402
from kairan.backup import backup  # noqa: E402
from kairan.context import open_context  # noqa: E402
from kairan.fixtures import DOMAIN, make_data_dir, seed  # noqa: E402

ROUNDS = 3
SENDER = "sato@pref.yamakawa.lg.jp"


def message(n: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = SENDER
    msg["To"] = f"zeimu@{DOMAIN}"
    msg["Subject"] = f"運用ベンチ {n}"
    msg.set_content(("固定資産税の減免について確認します。" * 20 + "\n") * 5)
    msg.add_attachment(os.urandom(20_000), maintype="application", subtype="octet-stream", filename=f"資料{n}.bin")
    return msg.as_bytes()


async def build(data: Path, posts: int) -> None:
    async with open_context(data) as ctx:
        await seed(ctx)
        spooler = Spooler(ctx.db, ctx.blobs)
        for n in range(posts):
            await spooler.accept(message(n), received_at="2026-11-27T01:00:00Z", mail_from=SENDER,
                                 rcpts=(f"zeimu@{DOMAIN}",), peer="bench")
        await IngestWorker(ctx.db, ctx.blobs, DOMAIN).drain()


async def verify(data: Path) -> int:
    async with open_context(data) as ctx:
        return len(await check_blobs(ctx.db, ctx.blobs))


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def summary(name: str, times: list[float], reference: float) -> str:
    median = statistics.median(times)
    return (f"{name:<22} median {median * 1000:8.1f} ms  spread {(max(times) - min(times)) * 1000:7.1f} ms  "
            f"x{median / reference:5.2f} of the plain copy")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = make_data_dir(Path(tmp) / "data")
        asyncio.run(build(data, args.posts))
        size = sum(p.stat().st_size for p in data.rglob("*") if p.is_file())
        copies, backups, checks = [], [], []
        for n in range(ROUNDS):
            copies.append(timed(lambda: shutil.copytree(data, Path(tmp) / f"copy{n}")))
            backups.append(timed(lambda: asyncio.run(backup(data, Path(tmp) / f"backup{n}"))))
            checks.append(timed(lambda: asyncio.run(verify(data))))
        reference = statistics.median(copies)
        print(f"data folder: {args.posts} posts, {size / 1e6:.1f} MB; {ROUNDS} rounds; load {os.getloadavg()}")
        print(summary("plain copytree", copies, reference))
        print(summary("kairan backup", backups, reference))
        print(summary("check (blob SHA-256)", checks, reference))
        print(f"check reads {size / 1e6 / statistics.median(checks):.0f} MB/s")


if __name__ == "__main__":
    main()
