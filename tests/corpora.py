"""Where the shared test corpora live, and the reply corpus's normalization.

The corpora sit beside the project (`../shared/corpora`) and are read-only:
tests read them in place, never copy or edit them.
"""

from __future__ import annotations

from pathlib import Path

_BESIDE = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
CORPORA = _BESIDE if _BESIDE.is_dir() else Path("/work/shared/corpora")
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
