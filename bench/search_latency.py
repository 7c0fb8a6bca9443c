"""Mail → searchable: how long from sending a message until search finds it, under steady ingest.

Starts `kairan serve` on loopback (a fresh data folder), sends RATE messages/s over real
SMTP for SECONDS, each with a unique word, and polls `GET /api/search` for that word until
it is found. Prints p50/p95/max of send-start → found.

    .venv/bin/python bench/search_latency.py [--rate 20] [--seconds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

import aiosmtplib
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kairan.fixtures import DOMAIN, make_data_dir  # noqa: E402

SENDER = "sato@pref.yamakawa.lg.jp"


def kairan(data: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "kairan", *args, "--data", str(data)], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def setup(data: Path) -> str:
    kairan(data, "org", "add", "pref", "--name", "山河県", "--mail-domain", "pref.yamakawa.lg.jp")
    kairan(data, "org", "add", "aoba", "--name", "青葉市", "--mail-domain", "city.aoba.lg.jp")
    kairan(data, "user", "add", SENDER, "--name", "佐藤 健一", "--org", "pref")
    kairan(data, "user", "add", "suzuki@city.aoba.lg.jp", "--name", "鈴木 裕子", "--org", "aoba")
    kairan(data, "space", "create", "zeimu", "--title", "税務", "--member", SENDER, "--member",
           "suzuki@city.aoba.lg.jp")
    return kairan(data, "token", "create", "suzuki@city.aoba.lg.jp")


def message(n: int) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"佐藤 健一 <{SENDER}>"
    msg["To"] = f"zeimu@{DOMAIN}"
    msg["Subject"] = f"固定資産税の減免について（{n}）"
    msg.set_content(f"各位\n\n減免申請の件、照会番号 zq{n}x を確認しました。\n議会支援の資料も添付します。\n" * 5)
    return msg


async def one(n: int, smtp_port: int, api: httpx.AsyncClient, token: str) -> float:
    began = time.monotonic()
    await aiosmtplib.send(message(n), hostname="127.0.0.1", port=smtp_port)
    while True:
        response = await api.get("/api/search", params={"q": f"zq{n}x"}, headers={"Authorization": f"Bearer {token}"})
        if response.json()["total"] > 0:
            return time.monotonic() - began
        await asyncio.sleep(0.05)


async def drive(rate: float, seconds: float, smtp_port: int, http_port: int, token: str) -> list[float]:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{http_port}", timeout=30) as api:
        tasks = []
        began = time.monotonic()
        for n in range(int(rate * seconds)):
            await asyncio.sleep(max(0.0, began + n / rate - time.monotonic()))
            tasks.append(asyncio.create_task(one(n, smtp_port, api, token)))
        return await asyncio.gather(*tasks)


def main(rate: float, seconds: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = make_data_dir(Path(tmp) / "data", DOMAIN)
        token = setup(data)
        smtp_port, http_port = free_port(), free_port()
        server = subprocess.Popen([sys.executable, "-m", "kairan", "serve", "--data", str(data),
                                   "--smtp", f"127.0.0.1:{smtp_port}", "--http", f"127.0.0.1:{http_port}"],
                                  cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            server.stdout.readline()                    # "kairan: SMTP on …": listening
            latencies = asyncio.run(drive(rate, seconds, smtp_port, http_port, token))
        finally:
            server.terminate()
            server.wait(10)
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(f"{len(latencies)} messages at {rate:g}/s over real SMTP; mail → searchable (send start → found):")
    print(f"p50 {statistics.median(latencies) * 1000:.0f} ms  p95 {p95 * 1000:.0f} ms  "
          f"max {ordered[-1] * 1000:.0f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    main(args.rate, args.seconds)
