"""Ingest throughput and latency over real SMTP: kairan against a do-nothing aiosmtpd handler.

Prints messages/s and p50/p99 latency at 1 and 16 connections for 4 KB and 1 MB
messages, for both servers in the same run, and kairan's share of the baseline.
For kairan it also prints "stored/s": messages divided by the time until every one
of them is a post (ingest included); each kairan round starts with an empty spool.
Each server runs in its own process (kairan with its ingest worker running, as in
production); the clients share one asyncio loop here. Rounds alternate between
the servers and the median round is printed.

    .venv/bin/python bench/ingest.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

import aiosmtplib

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kairan.fixtures import DOMAIN, make_data_dir, seed  # noqa: E402
from archive.db import Database  # noqa: E402
from kairan.context import open_context  # noqa: E402

ROUNDS = 3          # alternate the two servers; report each one's median round
SENDER = "sato@pref.yamakawa.lg.jp"
RCPT = f"zeimu@{DOMAIN}"

NOTHING_SERVER = """
import asyncio
from aiosmtpd.smtp import SMTP
class Nothing:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"
async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(Nothing(), data_size_limit=60 * 2**20), "127.0.0.1", 0)
    print("SMTP on 127.0.0.1:%d;" % server.sockets[0].getsockname()[1], flush=True)
    await asyncio.Event().wait()
asyncio.run(main())
"""


def message_bytes(size: int, n: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"佐藤 <{SENDER}>"
    msg["To"] = RCPT
    msg["Subject"] = f"ベンチマーク {n}"
    msg["Message-ID"] = f"<bench-{size}-{n}-{time.monotonic_ns()}@pref.yamakawa.lg.jp>"
    line = "固定資産税の減免について確認します。" * 3 + "\n"
    msg.set_content((line * (size // len(line.encode()) + 1))[: size // 3])
    if size > 100_000:
        msg.add_attachment(b"\x01" * (size * 3 // 4), maintype="application", subtype="pdf", filename="資料.pdf")
    return msg.as_bytes()


def start(args: list[str]) -> tuple[subprocess.Popen, int]:
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()
    return process, int(line.split("SMTP on ", 1)[1].split(";", 1)[0].rsplit(":", 1)[1])


async def client(port: int, payloads: list[bytes], latencies: list[float]) -> None:
    smtp = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=120)
    await smtp.connect()
    for payload in payloads:
        started = time.perf_counter()
        await smtp.sendmail(SENDER, [RCPT], payload)
        latencies.append(time.perf_counter() - started)
    await smtp.quit()


async def measure(port: int, size: int, connections: int, per_connection: int,
                  db_path: Path | None = None) -> tuple[float, float, float, float]:
    """(accepted msg/s, p50 ms, p99 ms, stored msg/s: until every message is a post, for kairan)."""
    payloads = [[message_bytes(size, c * 100_000 + i) for i in range(per_connection)] for c in range(connections)]
    latencies: list[float] = []
    started = time.perf_counter()
    await asyncio.gather(*(client(port, p, latencies) for p in payloads))
    elapsed = time.perf_counter() - started
    if db_path is not None:
        await until_processed(db_path)
    stored = time.perf_counter() - started
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return len(latencies) / elapsed, statistics.median(latencies) * 1000, p99 * 1000, len(latencies) / stored


async def until_processed(db_path: Path) -> None:
    """Poll the spool (read-only, WAL) until the ingest worker has stored everything."""
    db = await Database.open(db_path)
    try:
        while await db.fetchval("SELECT COUNT(*) FROM spool WHERE status = 'received'"):
            await asyncio.sleep(0.02)
    finally:
        await db.close()


async def prepare_kairan(data_dir: Path) -> None:
    make_data_dir(data_dir)
    async with open_context(data_dir) as ctx:
        await seed(ctx)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer messages")
    args = parser.parse_args()
    scale = 0.25 if args.quick else 1.0
    cases = [(4096, 1, int(300 * scale)), (4096, 16, int(60 * scale)),
             (1024 * 1024, 1, max(2, int(20 * scale))), (1024 * 1024, 16, max(1, int(4 * scale)))]
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        await prepare_kairan(data_dir)
        kairan, kairan_port = start([sys.executable, "-m", "kairan", "serve", "--data", str(data_dir),
                                     "--smtp", "127.0.0.1:0", "--http", "127.0.0.1:0"])
        nothing, nothing_port = start([sys.executable, "-c", NOTHING_SERVER])
        try:
            print(f"{'size':>7} {'conns':>5} | {'kairan msg/s':>12} {'p50 ms':>7} {'p99 ms':>7} "
                  f"{'stored/s':>8} | {'nothing msg/s':>13} {'p50 ms':>7} {'p99 ms':>7} | ratio")
            for size, connections, per in cases:
                runs = [(await measure(nothing_port, size, connections, per),
                         await measure(kairan_port, size, connections, per, data_dir / "kairan.db"))
                        for _ in range(ROUNDS)]
                base, ours = (sorted((r[i] for r in runs), key=lambda m: m[0])[ROUNDS // 2] for i in (0, 1))
                label = "4 KB" if size < 100_000 else "1 MB"
                print(f"{label:>7} {connections:>5} | {ours[0]:12.0f} {ours[1]:7.1f} {ours[2]:7.1f} {ours[3]:8.0f} | "
                      f"{base[0]:13.0f} {base[1]:7.1f} {base[2]:7.1f} | {ours[0] / base[0]:5.0%}", flush=True)
        finally:
            kairan.terminate()
            nothing.terminate()
            kairan.wait()
            nothing.wait()


if __name__ == "__main__":
    asyncio.run(main())
