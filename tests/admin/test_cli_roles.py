"""The real `kairan` command (its entry point, in process) for each role × action, and its shapes."""

from __future__ import annotations

import asyncio
import io
import json
import shutil
import sqlite3

import pytest

from kairan.cli import main
from kairan.context import open_context
from kairan.fixtures import make_data_dir
from tests.admin.support import AOBA_ADMIN, PLAIN, PREF_ADMIN, SATO, SUZUKI, SYSADMIN, seed_people


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    data = make_data_dir(tmp_path_factory.mktemp("cli") / "data")

    async def seed():
        async with open_context(data) as ctx:
            await seed_people(ctx.db)
    asyncio.run(seed())
    return data


@pytest.fixture
def data(template, tmp_path):
    """A fresh copy of the seeded folder for each test."""
    copy = tmp_path / "data"
    shutil.copytree(template, copy)
    return copy


def run(capsys, data, *args) -> tuple[int, str, str]:
    code = main([*args, "--data", str(data)])
    out, err = capsys.readouterr()
    return code, out, err


ACTIONS = {  # name → argv; {t} is the target (a member of 青葉市)
    "list": ("user", "list", "--org", "aoba"),
    "set": ("user", "set", "{t}", "--dept", "税務課"),
    "rep": ("user", "set", "{t}", "--rep"),
    "grant-org-admin": ("user", "set", "{t}", "--org-admin"),
    "grant-admin": ("user", "set", "{t}", "--admin"),
    "deactivate": ("user", "deactivate", "{t}"),
    "export": ("user", "export", "{file}", "--org", "aoba"),
    "add": ("user", "add", "new@city.aoba.lg.jp", "--name", "新人", "--org", "aoba"),
    "audit": ("audit",),
    "org-add": ("org", "add", "momiji", "--name", "紅葉町"),
}
ALLOWED = {  # who → the actions they may do on a member of 青葉市
    None: set(ACTIONS),                                       # the command line itself: the system
    SYSADMIN: set(ACTIONS),
    AOBA_ADMIN: set(ACTIONS) - {"grant-admin", "org-add"},
    PREF_ADMIN: {"audit"},                                    # another organization's admin
    SATO: set(),                                              # a member without a role
}


@pytest.mark.parametrize("who", list(ALLOWED), ids=["system", "system-admin", "org-admin", "other-org-admin", "member"])
@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_role_and_action_is_allowed_or_refused_with_exit_1(capsys, data, tmp_path, who, action):
    argv = [a.format(t=SUZUKI, file=str(tmp_path / "out.csv")) for a in ACTIONS[action]]
    code, out, err = run(capsys, data, *argv, *(("--as", who) if who else ()))
    if action in ALLOWED[who]:
        assert (code, err) == (0, ""), err
    else:
        assert code == 1 and out == "" and len(err.strip().splitlines()) == 1 and err.startswith("kairan: "), err


def test_user_list_json_has_the_contract_shape_and_marks_departments_without_a_rep(capsys, data):
    assert run(capsys, data, "user", "set", SUZUKI, "--reading", "スズキ ユウコ", "--add-address", "y.suzuki@city.aoba.lg.jp")[0] == 0
    assert run(capsys, data, "user", "deactivate", AOBA_ADMIN)[0] == 0
    code, out, _ = run(capsys, data, "user", "list", "--org", "aoba", "--json")
    document = json.loads(out)
    assert code == 0 and set(document) == {"members", "departments_without_rep"}
    assert document["members"] == [
        {"email": AOBA_ADMIN, "name": "総務 次郎", "reading": "", "org": "aoba", "dept": "総務課",
         "addresses": [AOBA_ADMIN], "rep": False, "org_admin": True, "admin": False, "active": False},
        {"email": SUZUKI, "name": "鈴木 裕子", "reading": "すずき ゆうこ", "org": "aoba", "dept": "資産税課",
         "addresses": [SUZUKI, "y.suzuki@city.aoba.lg.jp"], "rep": False, "org_admin": False, "admin": False,
         "active": True}]
    assert document["departments_without_rep"] == [{"org": "aoba", "dept": "資産税課"}]


def test_org_list_json(capsys, data):
    code, out, _ = run(capsys, data, "org", "list", "--json")
    assert code == 0 and json.loads(out)["orgs"][1] == {"slug": "aoba", "name": "青葉市",
                                                        "mail_domains": ["city.aoba.lg.jp"], "members": 2}


def test_import_prints_one_summary_line_and_names_each_bad_row(capsys, data, tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes("メールアドレス,氏名,所属,課代表\r\nnew@city.aoba.lg.jp,新人 一郎,資産税課,○\r\n".encode("cp932"))
    assert run(capsys, data, "user", "import", str(good), "--org", "aoba", "--dry-run")[1] == \
        "would add 1, change 0, unchanged 0, deactivate 0\n"
    code, out, err = run(capsys, data, "user", "import", str(good), "--org", "aoba", "--deactivate-missing", "--dry-run")
    assert out == "would add 1, change 0, unchanged 0, deactivate 2\n"
    assert run(capsys, data, "user", "import", str(good), "--org", "aoba")[1] == "added 1, changed 0, unchanged 0, deactivated 0\n"
    assert run(capsys, data, "user", "import", str(good), "--org", "aoba")[1] == "added 0, changed 0, unchanged 1, deactivated 0\n"
    bad = tmp_path / "bad.csv"
    bad.write_bytes("email,name,org\r\nx@city.aoba.lg.jp,X,aoba\r\nnope,Y,aoba\r\nz@city.aoba.lg.jp,Z,pref\r\n".encode())
    code, out, err = run(capsys, data, "user", "import", str(bad), "--org", "aoba")
    assert code == 1 and out == ""
    assert err.splitlines() == ["line 3: bad address 'nope'", "line 4: this import is for 青葉市 only: the row is for 山河県"]
    assert "x@city.aoba.lg.jp" not in run(capsys, data, "user", "list", "--json")[1]


def test_audit_lists_json_lines_and_verify_names_an_edited_entry(capsys, data):
    run(capsys, data, "user", "set", SUZUKI, "--dept", "税務課")
    run(capsys, data, "user", "deactivate", PLAIN)
    code, out, _ = run(capsys, data, "audit", "--json", "--action", "member.change")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and lines == [{"at": lines[0]["at"], "actor": "system", "action": "member.change", "target": SUZUKI,
                                    "detail": {"before": {"dept": "資産税課"}, "after": {"dept": "税務課"}}}]
    assert run(capsys, data, "audit", "--since", "2999-01-01T00:00:00") == (0, "", "")
    assert run(capsys, data, "audit", "verify")[0] == 0
    with sqlite3.connect(data / "kairan.db") as conn:
        conn.execute("DROP TRIGGER audit_log_append_only_update")
        first = conn.execute("SELECT MIN(id) FROM audit_log WHERE action = 'member.change'").fetchone()[0]
        conn.execute("UPDATE audit_log SET detail = '{}' WHERE id = ?", (first,))
    code, out, err = run(capsys, data, "audit", "verify")
    assert code == 1 and err.startswith(f"kairan: audit entry #{first + 1} doesn't fit")


def test_setting_a_password_is_audited_without_the_password(capsys, data, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("new-password-2026\n"))
    assert run(capsys, data, "user", "passwd", SUZUKI, "--as", AOBA_ADMIN)[0] == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("new-password-2026\n"))
    assert run(capsys, data, "user", "passwd", SATO, "--as", AOBA_ADMIN)[0] == 1
    code, out, _ = run(capsys, data, "audit", "--json")
    assert [json.loads(line)["detail"] for line in out.splitlines()] == [{"before": {}, "after": {"password": "set"}}]
    assert "new-password-2026" not in out
