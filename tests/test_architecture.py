"""docs/design.md's import direction: kairan → bridge, search, web → archive; web may use search.

Inside the layers, the stages keep their own direction too: parsing and replies know nothing
of the SMTP session or of outbound mail; archive's top level imports none of its features.
"""

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
# bridge's stages: what each may import of bridge (besides itself). `addresses` and `subjects`
# are the shared rules; they import nothing of bridge.
SHARED = {"addresses", "subjects"}
BRIDGE = {
    "addresses": set(),
    "subjects": set(),
    "parsing": set(),
    "replies": {"parsing"},
    "gateway": {"parsing", "assurance"} | SHARED,
    "assurance": set(),
    "ingest": {"parsing", "replies", "inquiries"} | SHARED,
    "outbound": SHARED,
    "inquiries": {"outbound"} | SHARED,
}
# archive's features: the top level (`archive.db`, `archive.posts` …) imports none of them.
ARCHIVE_FEATURES = {"inquiries", "admin", "retention", "assurance"}


def imported_modules(path: Path) -> set[str]:
    """Dotted names of every absolute import in the file (`from a.b import c` gives a.b and a.b.c)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def imported_packages(path: Path) -> set[str]:
    return {name.split(".")[0] for name in imported_modules(path)} & OURS


def stage_of(path: Path, package: str) -> str:
    """The stage a file belongs to: its first folder below the package, or its module name."""
    parts = path.relative_to(ROOT / package).with_suffix("").parts
    return parts[0]


def imported_stages(path: Path, package: str) -> set[str]:
    return {name.split(".")[1] for name in imported_modules(path)
            if name.startswith(package + ".") and len(name.split(".")) > 1}


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_imports_point_one_way(package):
    wrong = {}
    for path in (ROOT / package).rglob("*.py"):
        bad = imported_packages(path) - ALLOWED[package] - {package}
        if bad:
            wrong[str(path.relative_to(ROOT))] = sorted(bad)
    assert wrong == {}


def bridge_violations(root: Path) -> dict[str, list[str]]:
    wrong = {}
    for path in root.rglob("*.py"):
        stage = stage_of(path, "bridge") if root == ROOT / "bridge" else path.parent.name
        if stage == "__init__":
            continue
        allowed = BRIDGE.get(stage)
        seen = {s for s in imported_stages(path, "bridge") if s in BRIDGE}
        bad = seen - {stage} - (allowed if allowed is not None else set(BRIDGE))
        if allowed is None or bad:
            wrong[str(path.relative_to(root))] = sorted(bad) if allowed is not None else ["<unknown stage>"]
    return wrong


def test_every_bridge_stage_is_known():
    stages = {stage_of(p, "bridge") for p in (ROOT / "bridge").rglob("*.py")} - {"__init__"}
    assert stages <= set(BRIDGE), stages - set(BRIDGE)


def test_bridge_stages_point_one_way():
    assert bridge_violations(ROOT / "bridge") == {}


def test_archive_top_level_imports_none_of_its_features():
    wrong = {}
    for path in (ROOT / "archive").glob("*.py"):
        bad = imported_stages(path, "archive") & ARCHIVE_FEATURES
        if bad:
            wrong[path.name] = sorted(bad)
    assert wrong == {}


def test_the_checker_sees_a_wrong_import(tmp_path):
    module = tmp_path / "x.py"
    module.write_text("from web.app import create_app\nimport archive.db\n")
    assert imported_packages(module) == {"web", "archive"}


def test_the_checker_sees_parsing_importing_replies(tmp_path):
    parsing = tmp_path / "parsing"
    parsing.mkdir()
    (parsing / "mime.py").write_text("from bridge.replies.extract import extract_reply\n"
                                     "from bridge.parsing.charsets import decode\n")
    assert bridge_violations(tmp_path) == {"parsing/mime.py": ["replies"]}


def test_the_checker_sees_the_gateway_importing_outbound(tmp_path):
    gateway = tmp_path / "gateway"
    gateway.mkdir()
    (gateway / "smtp_handler.py").write_text("from bridge import outbound\nfrom bridge.addresses import x\n")
    assert bridge_violations(tmp_path) == {"gateway/smtp_handler.py": ["outbound"]}


def layout_entries() -> set[str]:
    """The folders docs/design.md's layout block names (its first column)."""
    text = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    block = text.split("## Layout", 1)[1].split("```", 2)[1]
    return {line.split()[0].rstrip("/") for line in block.splitlines() if line.strip()}


def test_the_design_documents_layout_lists_every_package():
    packages = {str(p.parent.relative_to(ROOT)) for p in ROOT.glob("**/__init__.py")
                if ".venv" not in p.parts and "build" not in p.parts}
    assert packages - layout_entries() == set()
