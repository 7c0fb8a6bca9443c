"""Import throughput and memory: `kairan import` of a large mbox, and `kairan export` of a big space.

Writes an mbox of N ordinary messages (Japanese text of a few KB, threads of replies,
one in twenty with a small attachment), imports it into an empty space with the real
command (`kairan import`, in its own process, as staff would run it) and prints
messages/s and the command's peak RSS (its own and its parse workers'). As a reference
measured in the same run, it times the parse+extract step alone on a sample of the
same messages, single process (the import's floor would be that rate times the workers).
Then `kairan export` of the first 10,000 posts' space to .mbox and .zip.
Rounds: 3 of the import (each in a fresh data folder) by default; median and spread.

    .venv/bin/python bench/import.py [--messages 100000] [--rounds 3] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kairan.context import open_context  # noqa: E402
from kairan.fixtures import DOMAIN, make_data_dir, seed  # noqa: E402
from bridge.ingest.understand import parse_and_extract  # noqa: E402

KAIRAN = [sys.executable, "-m", "kairan"]
SENDERS = ("佐藤 健一 <sato@pref.yamakawa.lg.jp>", "鈴木 裕子 <suzuki@city.aoba.lg.jp>",
           "伊藤 翔太 <ito@town.wakaba.lg.jp>", "退職 太郎 <retired@city.aoba.lg.jp>")
JST = timezone(timedelta(hours=9))


def message(n: int) -> bytes:
    """An ordinary message: a thread of five, quoted history in replies, an attachment now and then."""
    root = n - n % 5
    msg = EmailMessage()
    msg["From"] = SENDERS[n % len(SENDERS)]
    msg["To"] = f"zeimu@{DOMAIN}"
    msg["Subject"] = ("Re: " if n != root else "") + f"固定資産税の評価替えについて（第{root}号）"
    msg["Date"] = format_datetime(datetime(2015, 4, 1, 9, tzinfo=JST) + timedelta(minutes=37 * n))
    msg["Message-ID"] = f"<bench-{n}@pref.yamakawa.lg.jp>"
    if n != root:
        msg["In-Reply-To"] = f"<bench-{n - 1}@pref.yamakawa.lg.jp>"
        msg["References"] = " ".join(f"<bench-{i}@pref.yamakawa.lg.jp>" for i in range(root, n))
    text = ("各位\n\nお世話になっております。標記の件について、評価替えの資料を確認しました。\n"
            "土地の評価については、前回の照会のとおり進めてください。\n" * 8)
    if n != root:
        text += "\n" + "\n".join("> " + line for line in ("前回のメールです。" * 6).split("。") if line) + "\n"
    text += "\n--\n山河県 総務部 税務課\n電話 000-000-0000\n"
    msg.set_content(text)
    if n % 20 == 7:
        msg.add_attachment(("評価替え資料 " * 200).encode("utf-8"), maintype="text", subtype="plain",
                           filename="評価替え資料.txt")
    return bytes(msg)


def write_mbox(path: Path, count: int) -> int:
    with path.open("wb") as out:
        for n in range(count):
            raw = message(n).replace(b"\nFrom ", b"\n>From ")
            out.write(b"From - Mon Apr 01 09:00:00 2019\n" + raw + (b"" if raw.endswith(b"\n") else b"\n") + b"\n")
    return path.stat().st_size


async def prepare(data: Path) -> None:
    make_data_dir(data)
    async with open_context(data) as ctx:
        await seed(ctx)


def run_timed(args: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, timeout=3600, cwd=ROOT)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr.strip()[-2000:]}")
    return elapsed, done.stdout.strip().splitlines()[-1]


def reference_rate(sample: int) -> float:
    raws = [message(n) for n in range(sample)]
    started = time.perf_counter()
    for raw in raws:
        parse_and_extract(raw)
    return sample / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="10,000 messages, one round")
    args = parser.parse_args()
    count, rounds = (10_000, 1) if args.quick else (args.messages, args.rounds)
    with tempfile.TemporaryDirectory(prefix="kairan-bench-import-") as tmp:
        box = Path(tmp) / "big.mbox"
        size = write_mbox(box, count)
        print(f"mbox: {count:,} messages, {size / 2**20:,.0f} MiB; load average {os.getloadavg()[0]:.2f}")
        rates, refs = [], []
        for number in range(rounds):
            data = Path(tmp) / f"data{number}"
            asyncio.run(prepare(data))
            refs.append(reference_rate(500))
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            elapsed, last = run_timed([*KAIRAN, "--data", str(data), "import", "zeimu", str(box)])
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            rates.append(count / elapsed)
            print(f"round {number + 1}: {count / elapsed:,.0f} messages/s ({elapsed:,.1f} s, indexing included), "
                  f"peak RSS of a process {max(peak, before) / 1024:,.0f} MiB; "
                  f"parse reference {refs[-1]:,.0f} msg/s/process; load {os.getloadavg()[0]:.2f}; {last!r}")
        print(f"import: median {statistics.median(rates):,.0f} messages/s, spread {min(rates):,.0f}–{max(rates):,.0f}; "
              f"ratio to the one-process parse reference {statistics.median(rates) / statistics.median(refs):.2f}")
        export_round(Path(tmp), box, min(count, 10_000))


def export_round(tmp: Path, box: Path, posts: int) -> None:
    """Export a space of `posts` posts (a fresh import of the first ones) to .mbox and .zip."""
    data = tmp / "export-data"
    asyncio.run(prepare(data))
    small = tmp / "small.mbox"
    write_mbox(small, posts)
    run_timed([*KAIRAN, "--data", str(data), "import", "zeimu", str(small)])
    for suffix in ("mbox", "zip"):
        times = []
        for _ in range(3):
            out = tmp / f"out.{suffix}"
            elapsed, _ = run_timed([*KAIRAN, "--data", str(data), "export", "zeimu", str(out)])
            times.append(elapsed)
        print(f"export .{suffix} of {posts:,} posts: median {statistics.median(times):.1f} s "
              f"(spread {min(times):.1f}–{max(times):.1f}), {out.stat().st_size / 2**20:,.0f} MiB; "
              f"load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
