"""The README's commands work exactly as printed (tour step 4: a deployment built by hand)."""

from __future__ import annotations

import json
import re
import shlex

from kairan.cli import main
from tests.conftest import ROOT


def tour_commands() -> list[list[str]]:
    """The lines of the README's code blocks that build and query `mydata`, as argument lists."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("4. Build your own deployment")
    blocks = re.findall(r"```\n(.*?)```", readme[start:readme.index("## The web archive")], re.S)
    lines = [line.split("  #")[0].strip() for block in blocks for line in block.splitlines()]
    return [shlex.split(line) for line in lines if line.startswith("kairan ")]


def test_the_tour_builds_a_deployment_exactly_as_typed(tmp_path, monkeypatch, capsys):
    commands = tour_commands()
    assert [c[:2] for c in commands][:7] == [["kairan", "init"], ["kairan", "org"], ["kairan", "org"],
                                             ["kairan", "user"], ["kairan", "user"], ["kairan", "space"],
                                             ["kairan", "serve"]]
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KAIRAN_DATA", raising=False)
    outputs = {}
    for command in commands:
        if command[1] == "serve" or "THREAD" in command:
            continue                          # serve runs until stopped; THREAD is a placeholder
        status = main(command[1:])
        out = capsys.readouterr()
        assert status == 0, (command, out.err)
        outputs[command[1]] = out.out
    assert json.loads(outputs["search"]) == {"total": 0, "hits": []}
    assert (tmp_path / "mydata" / "kairan.toml").exists()
