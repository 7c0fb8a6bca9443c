"""Ingest over real SMTP, clients in separate processes: kairan against a do-nothing aiosmtpd handler.

Part 1 — durable ingest (back-pressure off, so every message is taken): 16 client processes (one connection each, messages built before the
clock starts) send 4 KB and 40 KB Japanese mail to `kairan serve` with 1 and N worker processes,
and to a do-nothing aiosmtpd handler in the same run. Printed: accepted msg/s and its ratio to the
do-nothing handler, and "stored/s" (messages over the time until every one is a post).
Part 2 — sustained rate: realistic mail (bench/mailmix.py) offered at 50/100/200/400 msg/s for
`--seconds` s ("sent/s" is what the client processes managed to offer, answered 250 or 4xx); each
message's time from its 250 until it is searchable (its post, and every post before it, out of the
index queue: a conservative stamp from three cheap reads every 50 ms, so the watcher is never the
bottleneck), p50/p95, messages deferred with 451, "stored/s" (searchable by the end of the offered
window, per second), and the spool backlog (start → max → end; "flat" when the last third's mean
stays within 2x the first third's + 50).
Every figure is the median of `--rounds` runs with its spread (min–max), and the load average is
printed with it: the machine is shared, so read figures against the reference of the same run.

    .venv/bin/python bench/ingest.py [--quick] [--rounds 3] [--seconds 60] [--rates 50,100,200,400]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiosmtplib

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.db import Database  # noqa: E402
from bench.mailmix import SENDER, build  # noqa: E402
from kairan.context import open_context  # noqa: E402
from kairan.fixtures import DOMAIN, make_data_dir, seed  # noqa: E402

RCPT = f"zeimu@{DOMAIN}"
CLIENTS = 16
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


def load() -> str:
    return "load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def start(args: list[str]) -> tuple[subprocess.Popen, int]:
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()
    return process, int(line.split("SMTP on ", 1)[1].split(";", 1)[0].split(",", 1)[0].rsplit(":", 1)[1])


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def kairan_server(tmp: Path, workers: int, **smtp) -> tuple[subprocess.Popen, int, Path]:
    data_dir = make_data_dir(tmp / f"data-{time.monotonic_ns()}")
    config = data_dir / "kairan.toml"
    text = config.read_text().replace("processes = 0", f"processes = {workers}")
    for key, value in smtp.items():
        text = text.replace(f"\n{key} = ", f"\n{key} = {value}\n#{key} = ", 1)
    config.write_text(text)
    async with open_context(data_dir) as ctx:
        await seed(ctx)
    process, port = start([sys.executable, "-m", "kairan", "serve", "--data", str(data_dir), "--smtp",
                           "127.0.0.1:0", "--http", "127.0.0.1:0"])
    return process, port, data_dir / "kairan.db"


# ---- part 1: a closed loop of 16 client processes -------------------------------------------------

def closed_client(port: int, size: int, count: int, seed_: int, ready, go, out) -> None:
    rng = random.Random(seed_)
    payloads = [build(rng, RCPT, f"<b{seed_}-{i}-{time.monotonic_ns()}@bench>", size) for i in range(count)]

    async def run() -> float:
        smtp = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=300)
        await smtp.connect()
        ready.release()
        go.wait()
        started = time.perf_counter()
        for payload in payloads:
            await smtp.sendmail(SENDER, [RCPT], payload)
        finished = time.perf_counter()
        await smtp.quit()
        return finished - started
    out.put(asyncio.run(run()))


def closed_round(port: int, size: int, per_client: int, db_path: Path | None) -> tuple[float, float]:
    """(accepted msg/s, stored msg/s or 0) for CLIENTS processes each sending `per_client`."""
    context = multiprocessing.get_context("fork")
    ready, go, out = context.Semaphore(0), context.Event(), context.Queue()
    clients = [context.Process(target=closed_client, args=(port, size, per_client, n * 7919 + size, ready, go, out))
               for n in range(CLIENTS)]
    for client in clients:
        client.start()
    for _ in clients:
        ready.acquire()
    started = time.perf_counter()
    go.set()
    durations = [out.get(timeout=600) for _ in clients]
    for client in clients:
        client.join()
    accepted = CLIENTS * per_client / max(durations)
    stored = 0.0
    if db_path is not None:
        asyncio.run(until_processed(db_path))
        stored = CLIENTS * per_client / (time.perf_counter() - started)
    return accepted, stored


async def until_processed(db_path: Path) -> None:
    db = await Database.open(db_path)
    try:
        while await db.fetchval("SELECT COUNT(*) FROM spool WHERE status = 'received'"):
            await asyncio.sleep(0.02)
    finally:
        await db.close()


def spread(values: list[float], fmt: str = "{:.0f}") -> str:
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}–{fmt.format(max(values))})"


async def part_one(tmp: Path, rounds: int, quick: bool) -> None:
    cores = len(os.sched_getaffinity(0))
    nothing, nothing_port = start([sys.executable, "-c", NOTHING_SERVER])
    print(f"part 1: durable ingest, {CLIENTS} client processes; median (min–max) of {rounds} rounds")
    print(f"{'size':>6} {'workers':>7} | {'kairan msg/s':>16} {'stored/s':>16} | {'nothing msg/s':>16} | "
          f"{'ratio':>15} | load")
    try:
        for size, per_client in ((4096, 20 if quick else 60), (40960, 8 if quick else 25)):
            for workers in sorted({1, cores}):
                kairan, port, db_path = await kairan_server(tmp, workers, backlog_min_messages=10**9)
                try:
                    ours, base, ratio, stored = [], [], [], []
                    for _ in range(rounds):
                        b = (await asyncio.to_thread(closed_round, nothing_port, size, per_client, None))[0]
                        a, s = await asyncio.to_thread(closed_round, port, size, per_client, db_path)
                        ours.append(a), base.append(b), ratio.append(a / b), stored.append(s)
                    print(f"{size // 1024:>4}KB {workers:>7} | {spread(ours):>16} {spread(stored):>16} | "
                          f"{spread(base):>16} | {spread(ratio, '{:.0%}'):>15} | {load()}", flush=True)
                finally:
                    stop(kairan)
    finally:
        stop(nothing)


# ---- part 2: sustained offered rate -------------------------------------------------------------

def paced_client(port: int, rate: float, seconds: float, seed_: int, connections: int, go, out) -> None:
    """Open loop: message i is due at start + i/rate; sent on one of `connections` sessions."""
    rng = random.Random(seed_)
    count = int(rate * seconds)
    payloads = [(f"<s{seed_}-{i}@bench>", build(rng, RCPT, f"<s{seed_}-{i}@bench>")) for i in range(count)]
    queue: asyncio.Queue

    async def session(results: list) -> None:
        while True:
            try:
                smtp = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=120)
                await smtp.connect()
                break
            except (aiosmtplib.SMTPException, OSError):
                await asyncio.sleep(0.2)
        while True:
            item = await queue.get()
            if item is None:
                break
            message_id, payload = item
            try:
                await smtp.sendmail(SENDER, [RCPT], payload)
                results.append((message_id, time.time(), 250))
            except aiosmtplib.SMTPResponseException as error:
                results.append((message_id, time.time(), error.code))
                if error.code == 421:
                    await smtp.connect()
            except (aiosmtplib.SMTPException, OSError):
                results.append((message_id, time.time(), 0))
                smtp = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=120)
                await smtp.connect()
        await smtp.quit()

    async def run() -> list:
        nonlocal queue
        queue = asyncio.Queue()
        results: list = []
        sessions = [asyncio.create_task(session(results)) for _ in range(connections)]
        go.wait()
        started = time.monotonic()
        for i, item in enumerate(payloads):
            delay = started + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            await queue.put(item)
            while queue.qsize() > connections * 4:          # the clients can't keep up: don't pile up
                await asyncio.sleep(0.001)
        for _ in sessions:
            await queue.put(None)
        await asyncio.gather(*sessions)
        return results
    out.put(asyncio.run(run()))


def _poll(db_path: Path) -> tuple[int, int]:
    """(every post up to this id is searchable, the spool's unprocessed count): three cheap reads,
    so the watcher never becomes the bottleneck however many posts arrive."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30) as db:
        queued = db.execute("SELECT MIN(post_id) FROM index_queue").fetchone()[0]
        newest = db.execute("SELECT MAX(id) FROM posts").fetchone()[0] or 0
        waiting = db.execute("SELECT COUNT(*) FROM spool WHERE status = 'received'").fetchone()[0]
    return (queued - 1 if queued is not None else newest), waiting


async def watch(db_path: Path, stop_at: float, upto: list, backlog: list, errors: list) -> None:
    """Poll (read-only) how far the index has caught up (posts are indexed in id order, so a post is
    searchable once no earlier one is still queued: a conservative stamp) and the spool's backlog."""
    next_backlog = 0.0
    while time.time() < stop_at:
        try:
            searchable, waiting = await asyncio.to_thread(_poll, db_path)
        except sqlite3.Error as error:
            errors.append(str(error))
            await asyncio.sleep(0.2)
            continue
        now = time.time()
        if not upto or searchable > upto[-1][1]:
            upto.append((now, searchable))
        if now >= next_backlog:
            backlog.append(waiting)
            next_backlog = now + 1.0
        await asyncio.sleep(0.05)


def searchable_times(db_path: Path, upto: list) -> dict:
    """Message-ID → when it was first seen searchable (from the watcher's stamps, read at the end)."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30) as db:
        posts = db.execute("SELECT id, message_id FROM posts ORDER BY id").fetchall()
    found, k = {}, 0
    for post_id, message_id in posts:
        while k < len(upto) and upto[k][1] < post_id:
            k += 1
        if k == len(upto):
            break
        found.setdefault(message_id, upto[k][0])
    return found


async def sustained_round(tmp: Path, rate: int, seconds: float, workers: int) -> dict:
    kairan, port, db_path = await kairan_server(tmp, workers)
    try:
        context = multiprocessing.get_context("fork")
        go, out = context.Event(), context.Queue()
        processes = 4                       # at most 4 sessions each: 16 in all, under [smtp] max_sessions_per_client
        clients = [context.Process(target=paced_client, args=(port, rate / processes, seconds, n + rate * 100,
                                                              min(4, max(2, rate // 25)), go, out))
                   for n in range(processes)]
        for client in clients:
            client.start()
        await asyncio.sleep(3)                                 # messages built, sessions open
        upto: list = []
        backlog: list = []
        errors: list = []
        go.set()
        started = time.time()
        watcher = asyncio.create_task(watch(db_path, started + seconds * 3 + 60, upto, backlog, errors))
        results = []
        for _ in clients:
            results += await asyncio.to_thread(out.get, True, seconds * 3 + 120)
        for client in clients:
            client.join()
        sent_done = time.time()
        accepted = [(m, t) for m, t, code in results if code == 250]
        while time.time() < sent_done + 30:
            searchable = await asyncio.to_thread(searchable_times, db_path, upto)
            if all(m in searchable for m, _ in accepted):
                break
            await asyncio.sleep(1.0)
        watcher.cancel()
        latencies = sorted(searchable[m] - t for m, t in accepted if m in searchable)
        # The senders slow down when answers come slowly (a deferral waits for its 451), as MTAs do:
        # rates are over the time they actually took to offer everything, not the nominal seconds.
        window = max([seconds] + [t - started for _, t, _ in results])
        stored_by_end = sum(1 for m, t in accepted if searchable.get(m, float("inf")) <= started + window)
        third = max(1, len(backlog) // 3)
        first, last = statistics.mean(backlog[:third] or [0]), statistics.mean(backlog[-third:] or [0])
        return {"offered": rate, "accepted": len(accepted), "sent": len(results), "sent_per_s": len(results) / window, "deferred": sum(1 for *_, c in results if 400 <= c < 500),
                "failed": sum(1 for *_, c in results if c == 0 or c >= 500),
                "p50": latencies[len(latencies) // 2] if latencies else float("nan"),
                "p95": latencies[int(len(latencies) * 0.95)] if latencies else float("nan"),
                "unsearchable": len(accepted) - len(latencies), "stored_per_s": stored_by_end / window,
                "backlog": (backlog[0] if backlog else 0, max(backlog or [0]), backlog[-1] if backlog else 0),
                "flat": last <= 2 * first + 50, "watch_errors": len(errors)}
    finally:
        stop(kairan)


async def part_two(tmp: Path, rates: list[int], seconds: float, rounds: int) -> None:
    workers = len(os.sched_getaffinity(0))
    print(f"\npart 2: realistic mail offered for {seconds:g} s ({workers} worker processes); "
          f"median (min–max) of {rounds} rounds")
    print(f"{'offered/s':>9} {'sent/s':>7} | {'p50 s':>14} {'p95 s':>14} | {'stored/s':>14} | {'deferred':>8} | "
          f"{'backlog start/max/end':>22} flat | load")
    best = None
    for rate in rates:
        runs = [await sustained_round(tmp, rate, seconds, workers) for _ in range(rounds)]
        p95s = [r["p95"] for r in runs]
        mid = sorted(runs, key=lambda r: r["p95"])[len(runs) // 2]
        print(f"{rate:>9} {statistics.median([r['sent_per_s'] for r in runs]):>7.1f} | "
              f"{spread([r['p50'] for r in runs], '{:.2f}'):>14} {spread(p95s, '{:.2f}'):>14} | "
              f"{spread([r['stored_per_s'] for r in runs], '{:.1f}'):>14} | "
              f"{statistics.median([r['deferred'] for r in runs]):>8.0f} | "
              f"{'/'.join(str(b) for b in mid['backlog']):>22} {'yes' if all(r['flat'] for r in runs) else 'no ':>4} | "
              f"{load()}  (unsearchable after 30 s: {max(r['unsearchable'] for r in runs)}, "
              f"failed: {max(r['failed'] for r in runs)}, poll errors: {max(r['watch_errors'] for r in runs)})",
              flush=True)
        if statistics.median(p95s) <= 2.0:
            best = rate
    print(f"highest offered rate with p95 <= 2 s: {best if best else 'none of those tried'}")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer messages, 15 s sustained runs, one round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rates", default="50,100,200,400")
    parser.add_argument("--part", choices=("1", "2", "both"), default="both")
    args = parser.parse_args()
    rounds = 1 if args.quick else args.rounds
    seconds = 15 if args.quick else args.seconds
    print(f"started {time.strftime('%H:%M:%S')}, {load()}, {len(os.sched_getaffinity(0))} cores (shared machine)")
    with tempfile.TemporaryDirectory() as tmp:
        if args.part in ("1", "both"):
            await part_one(Path(tmp), rounds, args.quick)
        if args.part in ("2", "both"):
            await part_two(Path(tmp), [int(r) for r in args.rates.split(",")], seconds, rounds)


if __name__ == "__main__":
    asyncio.run(main())
