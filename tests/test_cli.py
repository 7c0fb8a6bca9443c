"""The `kairan` command as a contract: outputs, and errors as one line with exit status 1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.corpora_support import CORPORA as CORPUS


def kairan(data: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kairan", *args, "--data", str(data)], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, env={**os.environ, "KAIRAN_DATA": ""})


@pytest.fixture
def data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    assert kairan(data, "init", "--domain", "kairan.test.lg.jp").returncode == 0
    return data


def assert_one_line_error(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0]


def test_init_creates_config_database_and_folders(data):
    assert {p.name for p in data.iterdir()} >= {"kairan.toml", "kairan.db", "blobs", "index", "outbox"}
    assert 'domain = "kairan.test.lg.jp"' in (data / "kairan.toml").read_text()


def test_init_twice_is_a_clear_error(data):
    assert_one_line_error(kairan(data, "init"), "set up already")


def test_commands_without_a_data_folder_say_to_run_init(tmp_path):
    assert_one_line_error(kairan(tmp_path / "none", "show", "zeimu"), "kairan init")


def test_admin_commands_build_a_space_and_refuse_a_single_organization(data):
    steps = [("org", "add", "pref", "--name", "山河県", "--mail-domain", "pref.yamakawa.lg.jp"),
             ("org", "add", "aoba", "--name", "青葉市"),
             ("user", "add", "sato@pref.yamakawa.lg.jp", "--name", "佐藤", "--org", "pref", "--org-admin"),
             ("user", "add", "suzuki@city.aoba.lg.jp", "--name", "鈴木", "--org", "aoba")]
    for step in steps:
        assert kairan(data, *step).returncode == 0
    assert_one_line_error(kairan(data, "space", "create", "zeimu", "--title", "税務", "--member",
                                 "sato@pref.yamakawa.lg.jp"), "at least 2 organizations")
    assert kairan(data, "space", "create", "zeimu", "--title", "税務", "--member", "sato@pref.yamakawa.lg.jp",
                  "--admin", "suzuki@city.aoba.lg.jp").returncode == 0
    result = kairan(data, "space", "add-member", "zeimu", "sato@pref.yamakawa.lg.jp", "--mode", "each")
    assert result.returncode == 0 and "each" in result.stdout
    assert kairan(data, "user", "passwd", "sato@pref.yamakawa.lg.jp", stdin="correct horse\n").returncode == 0
    assert_one_line_error(kairan(data, "user", "passwd", "sato@pref.yamakawa.lg.jp", stdin="short\n"), "too short")
    shown = json.loads(kairan(data, "show", "zeimu", "--json").stdout)
    assert shown == {"space": {"slug": "zeimu", "title": "税務", "address": "zeimu@kairan.test.lg.jp"},
                     "threads": []}


@pytest.mark.parametrize("args,words", [
    (("show", "nosuch"), ("no space 'nosuch'",)),
    (("org", "add", "Bad Slug!", "--name", "x"), ("not valid",)),
    (("user", "add", "not-an-address", "--name", "x", "--org", "pref"), ("not an e-mail address",)),
    (("user", "add", "a@b.lg.jp", "--name", "x", "--org", "nosuch"), ("kairan org add",)),
    (("space", "add-member", "nosuch", "a@b.lg.jp"), ("no space",)),
    (("frobnicate",), ("kairan --help",)),
    (("parse", "/nonexistent.eml"), ("can't read",)),
])
def test_errors_are_one_line_with_exit_status_1(data, args, words):
    assert_one_line_error(kairan(data, *args), *words)


def test_parse_prints_one_json_object_per_file_in_order(data):
    files = sorted((CORPUS / "reply" / "github_email_reply_parser").glob("*.eml"))[:3]
    result = kairan(data, "parse", *map(str, files))
    assert result.returncode == 0
    documents = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(documents) == 3
    assert [d["subject"] for d in documents] == [
        f"Test message github_email_reply_parser {f.name.removesuffix('.eml')}" for f in files]
    assert set(documents[0]) == {"subject", "from_name", "from_address", "date", "message_id", "in_reply_to",
                                 "references", "body_text", "reply_text", "quoted_text", "signature", "attachments",
                                 "confidence", "confidence_reasons"}
    assert {d["confidence"] for d in documents} <= {"high", "low"}


def test_parse_prints_low_confidence_with_its_reasons(data, tmp_path):
    eml = tmp_path / "unsure.eml"
    eml.write_bytes("From: a@example.com\r\nSubject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                    "承知しました。\r\n\r\n詳細は追ってご連絡します。\r\n\r\n山河県 総務部 税務課\r\n".encode())
    document = json.loads(kairan(data, "parse", str(eml)).stdout)
    assert (document["confidence"], document["confidence_reasons"]) == ("low", ["signature-like-kept"])


def test_spool_list_says_when_nothing_failed(data):
    result = kairan(data, "spool", "list")
    assert result.returncode == 0 and "no failed messages" in result.stdout


def test_serve_refuses_a_port_in_use_and_a_second_server_with_one_line_each(data):
    first = subprocess.Popen([sys.executable, "-m", "kairan", "serve", "--data", str(data), "--smtp", "127.0.0.1:0",
                              "--http", "127.0.0.1:0"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        line = first.stdout.readline()
        smtp = line.split("SMTP on ", 1)[1].split(";", 1)[0]
        http = line.split("web on http://", 1)[1].rstrip("/\n")
        assert_one_line_error(kairan(data, "serve", "--smtp", "127.0.0.1:0", "--http", "127.0.0.1:0"),
                              "another 'kairan serve'", "stop it first")
        other = data.parent / "other"
        assert kairan(other, "init").returncode == 0
        assert_one_line_error(kairan(other, "serve", "--smtp", smtp, "--http", "127.0.0.1:0"),
                              f"can't listen for SMTP on {smtp}", "--smtp")
        assert_one_line_error(kairan(other, "serve", "--smtp", "127.0.0.1:0", "--http", http),
                              f"can't listen for HTTP on {http}", "--http")
    finally:
        first.terminate()
        assert first.wait(timeout=30) == 0
