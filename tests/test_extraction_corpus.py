"""Score parsing and reply extraction over every folder of the corpora in tests/corpora.

Prints a per-folder table (visible with `pytest -s`, and in the `-rA` summary
through the `extraction_scores` section) and fails when a folder is below its
bar: reply extraction >= 95 % exact on every folder, parse/ja 100 % on every
field.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bridge.parsing.mime import parse_message
from bridge.replies.extract import extract_reply
from tests.corpora_support import PARSE, REPLY, folders, normalize

REPLY_BAR = 0.95
PARSE_FIELDS = ("subject", "from_name", "from_address", "body_contains", "attachments")


def reply_case_ok(eml: Path) -> bool:
    mail = parse_message(eml.read_bytes())
    reply = extract_reply(mail.body_text, mail.body_html, mail.subject)
    expected = eml.with_name(eml.name[:-4] + ".expected.txt").read_text(encoding="utf-8")
    return normalize(reply.reply_text) == normalize(expected)


def parse_case_fields(eml: Path) -> dict[str, bool]:
    """Which fields of one parse case came out right."""
    expected = json.loads(eml.with_name(eml.name[:-4] + ".expected.json").read_text(encoding="utf-8"))
    mail = parse_message(eml.read_bytes())
    got = {
        "subject": mail.subject, "from_name": mail.from_name, "from_address": mail.from_address,
        "attachments": [{"filename": a.filename, "size": a.size, "content_type": a.content_type}
                        for a in mail.attachments],
    }
    fields = {name: got[name] == expected[name] for name in got}
    fields["body_contains"] = all(piece in mail.body_text for piece in expected["body_contains"])
    return fields


def score_reply_folder(folder: Path) -> tuple[int, int, list[str]]:
    cases = sorted(folder.glob("*.eml"))
    failed = [eml.stem for eml in cases if not reply_case_ok(eml)]
    return len(cases) - len(failed), len(cases), failed


def score_parse_folder(folder: Path) -> dict[str, tuple[int, int]]:
    results = [parse_case_fields(eml) for eml in sorted(folder.glob("*.eml"))]
    return {name: (sum(r[name] for r in results), len(results)) for name in PARSE_FIELDS}


@pytest.fixture(scope="module")
def scores(request) -> dict:
    reply = {f"reply/{f.name}": score_reply_folder(f) for f in folders(REPLY)}
    parse = {f"parse/{f.name}": score_parse_folder(f) for f in folders(PARSE)}
    table = _table(reply, parse)
    print("\n" + table)
    request.config._extraction_scores = table       # shown by conftest in the terminal summary
    return {"reply": reply, "parse": parse}


def _table(reply: dict, parse: dict) -> str:
    rows = [f"{'folder':40} {'exact':>9} {'score':>7}"]
    for name, (ok, total, _) in reply.items():
        rows.append(f"{name:40} {ok:>4}/{total:<4} {100 * ok / max(total, 1):6.1f}%")
    for name, fields in parse.items():
        for field, (ok, total) in fields.items():
            rows.append(f"{name + ' ' + field:40} {ok:>4}/{total:<4} {100 * ok / max(total, 1):6.1f}%")
    return "\n".join(rows)


def test_corpora_are_present():
    assert folders(REPLY) and folders(PARSE), f"corpora not found beside the project or at {REPLY.parent}"


def test_reply_extraction_meets_bar_on_every_folder(scores):
    below = {name: (ok, total, failed) for name, (ok, total, failed) in scores["reply"].items()
             if ok < REPLY_BAR * total}
    assert not below, f"reply folders below {REPLY_BAR:.0%}: {below}"


def test_parse_is_exact_on_every_field(scores):
    below = {f"{name} {field}": (ok, total) for name, fields in scores["parse"].items()
             for field, (ok, total) in fields.items() if ok < total}
    assert not below, f"parse fields not 100%: {below}"
