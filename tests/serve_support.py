"""A real `kairan serve` in its own process group, and the memory its processes take together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import ROOT


@dataclass
class Serve:
    process: subprocess.Popen
    smtp: tuple[str, int]
    web: str
    peaks: dict[str, int] = field(default_factory=dict)     # largest sum of VmHWM seen, main's VmHWM

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)


def start_serve(data_dir: Path) -> Serve:
    process = subprocess.Popen([sys.executable, "-m", "kairan", "serve", "--data", str(data_dir), "--smtp",
                                "127.0.0.1:0", "--http", "127.0.0.1:0"], cwd=ROOT, stdout=subprocess.PIPE,
                               text=True, start_new_session=True)
    line = process.stdout.readline()
    if "SMTP on" not in line:
        process.kill()
        raise RuntimeError(f"kairan serve did not start: {line!r}")
    smtp = line.split("SMTP on ", 1)[1].split(";", 1)[0].split(",", 1)[0].strip()
    host, port = smtp.rsplit(":", 1)
    return Serve(process, (host, int(port)), "http://" + line.split("web on http://", 1)[1].strip().rstrip("/"))


def _status_kb(pid: int, field_name: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid:
                pids.append(int(entry))
    return pids


class MemoryWatch:
    """Samples the sum of VmHWM over the server's process group (and the main process's) until stopped."""

    def __init__(self, serve: Serve, every: float = 0.1):
        self.serve = serve
        self.every = every
        self.group_peak_kb = 0
        self.main_peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "MemoryWatch":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        pgid = self.serve.process.pid
        while not self._stop.is_set():
            self.sample(pgid)
            self._stop.wait(self.every)

    def sample(self, pgid: int) -> None:
        self.group_peak_kb = max(self.group_peak_kb, sum(_status_kb(p, "VmHWM") for p in group_pids(pgid)))
        self.main_peak_kb = max(self.main_peak_kb, _status_kb(pgid, "VmHWM"))
