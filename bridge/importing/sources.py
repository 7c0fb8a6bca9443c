"""Reading messages out of mailboxes the way real tools write them, one at a time.

- mbox (Thunderbird and friends): `From ` separator lines, `>From ` quoting. Read as mboxrd —
  one `>` is taken off `>From `, `>>From ` … lines — which is also right for mboxo files.
- Maildir: the files of `cur/` and `new/`, in delivery order (their names begin with the time).
- a folder of `.eml` files (or a single file), and a `.zip` of them, as staff save them.
- Outlook `.msg` files, converted to RFC 5322 (bridge.importing.outlook).

Everything is streamed: an mbox of any size is read line by line, never held whole.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from archive.posts import IMPORTED_KINDS
from bridge.importing.outlook import MsgUnreadable, msg_to_rfc5322

FORMATS = ("auto", *IMPORTED_KINDS)
MAX_ZIP_MEMBER = 256 * 1024 * 1024          # a bigger member is reported, never inflated


class SourceError(Exception):
    """A path that can't be imported at all (missing, unreadable, not a mailbox)."""


@dataclass(frozen=True)
class SourceMessage:
    location: str          # path, path#N for the Nth message of an mbox, path!member for a zip
    kind: str              # mbox | maildir | eml | msg
    raw: bytes
    error: str = ""        # set when the message couldn't even be read or converted


def detect(path: Path) -> str:
    """The format of a path, by its shape: a Maildir has cur/ or new/; a file by suffix or first bytes."""
    if path.is_dir():
        if (path / "cur").is_dir() or (path / "new").is_dir():
            return "maildir"
        return "eml"                   # a folder: its .eml and .msg files, each by its suffix
    suffix = path.suffix.lower()
    if suffix in (".msg", ".eml"):
        return suffix[1:]
    if suffix == ".zip":
        return "eml"
    with path.open("rb") as handle:
        head = handle.read(5)
    return "mbox" if head == b"From " else "eml"


def check_paths(paths: list[Path], fmt: str) -> None:
    if fmt not in FORMATS:
        raise SourceError(f"--format {fmt!r} is not one of {', '.join(FORMATS)}")
    for path in paths:
        if not path.exists():
            raise SourceError(f"{path} does not exist: check the path")
        if fmt == "maildir" and not path.is_dir():
            raise SourceError(f"{path} is not a Maildir folder (with cur/ and new/)")
        if fmt == "mbox" and path.is_dir():
            raise SourceError(f"{path} is a folder, not an mbox file: try --format maildir or eml")


def messages(paths: list[Path], fmt: str = "auto") -> Iterator[SourceMessage]:
    """Every message of every path, in order."""
    for path in paths:
        kind = detect(path) if fmt == "auto" else fmt
        if kind == "mbox":
            yield from read_mbox(path)
        elif kind == "maildir":
            yield from read_files(_maildir_files(path), "maildir")
        elif path.is_dir():
            yield from read_files(sorted(p for p in path.rglob("*") if p.suffix.lower() in (".eml", ".msg")), kind)
        elif path.suffix.lower() == ".zip":
            yield from read_zip(path)
        else:
            yield from read_files([path], kind)


def count(paths: list[Path], fmt: str = "auto") -> int:
    """How many messages `messages` will yield (a quick scan, for progress)."""
    total = 0
    for path in paths:
        kind = detect(path) if fmt == "auto" else fmt
        if kind == "mbox":
            total += sum(1 for _ in _mbox_starts(path))
        elif kind == "maildir":
            total += len(_maildir_files(path))
        elif path.is_dir():
            total += sum(1 for p in path.rglob("*") if p.suffix.lower() in (".eml", ".msg"))
        elif path.suffix.lower() == ".zip":
            total += len(_zip_members(path))
        else:
            total += 1
    return total


def _is_blank(line: bytes) -> bool:
    return line in (b"\n", b"\r\n")


def _mbox_starts(path: Path) -> Iterator[int]:
    """Line numbers of `From ` separators: at the start, or after an empty line."""
    previous_blank = True
    with path.open("rb") as handle:
        for number, line in enumerate(handle):
            if previous_blank and line.startswith(b"From "):
                yield number
            previous_blank = _is_blank(line)


def _unquote(line: bytes) -> bytes:
    """mboxrd: `>From `, `>>From ` … lose one `>`."""
    if line.startswith(b">"):
        stripped = line.lstrip(b">")
        if stripped.startswith(b"From "):
            return line[1:]
    return line


def read_mbox(path: Path) -> Iterator[SourceMessage]:
    lines: list[bytes] | None = None
    index = 0
    previous_blank = True
    with path.open("rb") as handle:
        for line in handle:
            if previous_blank and line.startswith(b"From "):
                if lines is not None:
                    yield _mbox_message(path, index, lines)
                    index += 1
                lines = []
            elif lines is not None:
                lines.append(_unquote(line))
            previous_blank = _is_blank(line)
    if lines is not None:
        yield _mbox_message(path, index, lines)


def _mbox_message(path: Path, index: int, lines: list[bytes]) -> SourceMessage:
    if lines and _is_blank(lines[-1]):
        lines = lines[:-1]             # the empty line that separates messages
    raw = b"".join(lines)
    return SourceMessage(f"{path}#{index + 1}", "mbox", raw, "" if raw.strip() else "empty message")


def _maildir_files(path: Path) -> list[Path]:
    files = [p for sub in ("cur", "new") if (path / sub).is_dir() for p in (path / sub).iterdir()
             if p.is_file() and not p.name.startswith(".")]
    return sorted(files, key=lambda p: p.name)


def _read_one(location: str, data: bytes, kind: str) -> SourceMessage:
    if kind == "msg" or location.lower().endswith(".msg"):
        try:
            return SourceMessage(location, "msg", msg_to_rfc5322(data))
        except MsgUnreadable as error:
            return SourceMessage(location, "msg", data, f"not a readable Outlook .msg file: {error}")
    return SourceMessage(location, kind, data, "" if data.strip() else "empty message")


def read_files(files: list[Path], kind: str) -> Iterator[SourceMessage]:
    for file in files:
        try:
            data = file.read_bytes()
        except OSError as error:
            yield SourceMessage(str(file), kind, b"", f"can't read the file: {error.strerror}")
            continue
        yield _read_one(str(file), data, kind)


def _zip_members(path: Path) -> list[str]:
    try:
        with zipfile.ZipFile(path) as archive:
            return sorted(n for n in archive.namelist() if n.lower().endswith((".eml", ".msg")))
    except (zipfile.BadZipFile, OSError) as error:
        raise SourceError(f"{path} is not a readable zip file ({error})")


def read_zip(path: Path) -> Iterator[SourceMessage]:
    names = _zip_members(path)
    with zipfile.ZipFile(path) as archive:
        for name in names:
            if archive.getinfo(name).file_size > MAX_ZIP_MEMBER:
                yield SourceMessage(f"{path}!{name}", "eml", b"", "too large to be one message")
                continue
            try:
                data = archive.read(name)
            except (zipfile.BadZipFile, OSError, RuntimeError) as error:
                yield SourceMessage(f"{path}!{name}", "eml", b"", f"can't read it from the zip: {error}")
                continue
            yield _read_one(f"{path}!{name}", data, "eml")
