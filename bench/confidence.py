"""How well `confidence` tells wrong extractions from right ones, on tests/corpora.

Per folder: exact extractions, and how many right and wrong ones were marked
low.  The corpora are at (nearly) 100 %, so there are few wrong ones; to see
the confidence on mail from clients no table knows, each case that has a quote
is run again with the line its cut started at rewritten letter by letter
(ROT13 for Latin, a shift within the block for other scripts: digits, `@`,
punctuation and layout stay) -- an "unknown client" -- and scored the same way.
Run: .venv/bin/python bench/confidence.py
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bridge.parsing.mime import parse_message  # noqa: E402
from bridge.replies.extract import extract_reply  # noqa: E402

CORPORA = ROOT / "tests" / "corpora" / "reply"


def normalize(text: str) -> str:
    lines = [line.rstrip(" \t") for line in text.replace("\r\n", "\n").split("\n")]
    body = "\n".join(lines).strip("\n")
    return body + "\n" if body.strip() else ""


def unknown_client(line: str) -> str:
    out = []
    for ch in line:
        if "a" <= ch.lower() <= "z":
            base = ord("a") if ch.islower() else ord("A")
            out.append(chr((ord(ch) - base + 13) % 26 + base))
        elif ord(ch) > 0x3000 and ch.isalpha():
            out.append(chr(ord(ch) + 1))
        else:
            out.append(ch)
    return "".join(out)


def first_cut_line(text: str, quoted: str) -> str | None:
    """The first non-blank quoted line that is not `>`-quoted (the attribution or header the cut began at)."""
    for line in quoted.splitlines():
        if line.strip() and not line.lstrip().startswith((">", "＞", "|", "｜")):
            return line if line in text else None
    return None


def score(cases) -> Counter:
    counts = Counter()
    for text, html, subject, expected in cases:
        reply = extract_reply(text, html, subject)
        right = normalize(reply.reply_text) == normalize(expected)
        counts[("right" if right else "wrong", reply.confidence)] += 1
    return counts


def line(label: str, c: Counter) -> str:
    right, wrong = c["right", "high"] + c["right", "low"], c["wrong", "high"] + c["wrong", "low"]
    share = lambda low, total: f"{low}/{total} ({100 * low / total:.0f} %)" if total else "0/0"
    return (f"{label:34} exact {right:>3}/{right + wrong:<3}  low among wrong {share(c['wrong', 'low'], wrong):>14}"
            f"  low among right {share(c['right', 'low'], right):>14}")


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.2f}")
    total, mutated_total = Counter(), Counter()
    for folder in sorted(p for p in CORPORA.iterdir() if p.is_dir()):
        cases, mutated = [], []
        for eml in sorted(folder.glob("*.eml")):
            mail = parse_message(eml.read_bytes())
            expected = eml.with_name(eml.name[:-4] + ".expected.txt").read_text(encoding="utf-8")
            cases.append((mail.body_text, mail.body_html, mail.subject, expected))
            reply = extract_reply(mail.body_text, mail.body_html, mail.subject)
            cut = first_cut_line(mail.body_text, reply.quoted_text)
            if cut:
                text = mail.body_text.replace(cut, unknown_client(cut), 1)
                mutated.append((text, "", mail.subject, expected))
        c, m = score(cases), score(mutated)
        total += c
        mutated_total += m
        print(line(folder.name, c))
    print(line("all folders", total))
    print(line("unknown-client rewrite (all)", mutated_total))


if __name__ == "__main__":
    main()
