"""DESIGN.md's import direction: kairan → bridge, search, web → archive; web may use search."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = {"kairan", "bridge", "archive", "search", "web"}
ALLOWED = {
    "archive": set(),
    "bridge": {"archive"},
    "search": {"archive"},
    "web": {"archive", "search"},
    "kairan": {"archive", "bridge", "search", "web"},
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & OURS


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_imports_point_one_way(package):
    wrong = {}
    for path in (ROOT / package).rglob("*.py"):
        bad = imported_packages(path) - ALLOWED[package] - {package}
        if bad:
            wrong[str(path.relative_to(ROOT))] = sorted(bad)
    assert wrong == {}


def test_the_checker_sees_a_wrong_import(tmp_path):
    module = tmp_path / "x.py"
    module.write_text("from web.app import create_app\nimport archive.db\n")
    assert imported_packages(module) == {"web", "archive"}
