"""Realistic Japanese staff mail for the ingest benchmark, deterministic from a seed.

About 32 KB mean, ISO-2022-JP and UTF-8, 40 % replies with quoted history, 15 % with an
attachment — the mix the issue measured; or a fixed size (4 KB, 40 KB) of plain Japanese text.
"""

from __future__ import annotations

import random
from email.message import EmailMessage

from bench.synthetic import post, sentence

SENDER = "sato@pref.yamakawa.lg.jp"


def _text(rng: random.Random, chars: int) -> str:
    lines, total = [], 0
    while total < chars:
        line = sentence(rng)
        lines.append(line)
        total += len(line) + 1
    return "\n".join(lines)


def build(rng: random.Random, rcpt: str, message_id: str, size: int | None = None) -> bytes:
    """One message: `size` bytes of Japanese text (about), or the realistic mix when None."""
    subject, opening = post(rng)
    msg = EmailMessage()
    msg["From"] = f"佐藤 健一 <{SENDER}>"
    msg["To"] = rcpt
    msg["Message-ID"] = message_id
    if size is not None:
        msg["Subject"] = subject
        msg.set_content(_text(rng, max((size - 450) // 3, 50)), charset="utf-8", cte="8bit")
        return msg.as_bytes()
    reply = rng.random() < 0.40
    msg["Subject"] = ("Re: " if reply else "") + subject
    body = opening + "\n\n" + _text(rng, int(rng.expovariate(1 / 1500)) + 200) + "\n\n佐藤\n県 税務課 内線 1234\n"
    if reply:
        quoted = _text(rng, int(rng.expovariate(1 / 2500)) + 300)
        body += "\n2026年11月30日(月) 10:00 鈴木 裕子 <suzuki@city.aoba.lg.jp>:\n" + "\n".join(
            "> " + line for line in quoted.splitlines())
    charset = "iso-2022-jp" if rng.random() < 0.5 else "utf-8"
    try:
        msg.set_content(body, charset=charset, cte="7bit" if charset == "iso-2022-jp" else "8bit")
    except UnicodeEncodeError:
        msg.set_content(body, charset="utf-8", cte="8bit")
    if rng.random() < 0.15:
        msg.add_attachment(_text(rng, rng.randint(10_000, 100_000)).encode("utf-8"), maintype="text",
                           subtype="plain", filename="資料.txt")
    return msg.as_bytes()
