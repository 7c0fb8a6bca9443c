"""Where the shared test corpora live, and the reply corpus's normalization.

The corpora live in `tests/corpora/` (each folder with its SOURCE.md and upstream licence) and
are read-only: tests read them in place, never edit them.
"""

from __future__ import annotations

from pathlib import Path

CORPORA = Path(__file__).resolve().parent / "corpora"
REPLY = CORPORA / "reply"
PARSE = CORPORA / "parse"


def folders(root: Path) -> list[Path]:
    """Case folders of one corpus, in name order."""
    return sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def all_messages() -> list[Path]:
    """Every .eml of both corpora."""
    return sorted(CORPORA.glob("*/*/*.eml"))


def normalize(text: str) -> str:
    """As reply/README.md says: trailing blanks off, no outer blank lines, one final newline."""
    lines = [line.rstrip(" \t") for line in text.replace("\r\n", "\n").split("\n")]
    body = "\n".join(lines).strip("\n")
    return body + "\n" if body.strip() else ""
