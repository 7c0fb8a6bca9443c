"""Behind a reverse proxy: kairan believes X-Forwarded-For only from `[http] trusted_proxies`."""

from __future__ import annotations

import re
import subprocess
import sys

import httpx
import pytest

from tests.conftest import ROOT, make_data_dir

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def serve(data_dir) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "kairan", "serve", "--data", str(data_dir), "--smtp",
                                "127.0.0.1:0", "--http", "127.0.0.1:0"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    return process, "http://" + line.split("web on http://", 1)[1].strip().rstrip("/")


def failed_sign_ins(base: str, client_ip: str, count: int) -> list[int]:
    """Wrong passwords for `count` different unknown addresses, as seen coming from `client_ip`."""
    with httpx.Client(base_url=base, headers={"X-Forwarded-For": client_ip}) as client:
        token = CSRF.search(client.get("/signin").text).group(1)
        return [client.post("/signin", data={"csrf": token, "email": f"nobody{i}@example.lg.jp",
                                             "password": "wrong password"}).status_code for i in range(count)]


@pytest.mark.parametrize("trusted,other_client_blocked", [('["127.0.0.1"]', False), ("[]", True), (None, True)])
def test_the_sign_in_limit_counts_the_forwarded_client_only_from_a_trusted_proxy(tmp_path, trusted,
                                                                                  other_client_blocked):
    data_dir = make_data_dir(tmp_path / "data")
    config = data_dir / "kairan.toml"
    if trusted is not None:                   # None: the default kairan.toml, which trusts no proxy
        config.write_text(config.read_text().replace("trusted_proxies = []", f"trusted_proxies = {trusted}"))
    process, base = serve(data_dir)
    try:
        first = failed_sign_ins(base, "203.0.113.7", 31)
        other = failed_sign_ins(base, "203.0.113.8", 1)
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert first[:30] == [400] * 30 and first[30] == 429
    assert other == ([429] if other_client_blocked else [400])


@pytest.mark.parametrize("trusted,secure", [('["127.0.0.1"]', True), (None, False)])
def test_x_forwarded_proto_marks_the_cookie_secure_only_from_a_trusted_proxy(tmp_path, trusted, secure):
    data_dir = make_data_dir(tmp_path / "data")
    config = data_dir / "kairan.toml"
    if trusted is not None:
        config.write_text(config.read_text().replace("trusted_proxies = []", f"trusted_proxies = {trusted}"))
    process, base = serve(data_dir)
    try:
        with httpx.Client(base_url=base, headers={"X-Forwarded-Proto": "https"}) as client:
            cookie = client.get("/signin").headers["set-cookie"]
            token = CSRF.search(client.get("/signin").text).group(1)
            cross = client.post("/signin", data={"csrf": token, "email": "a@example.lg.jp", "password": "x"},
                                headers={"Origin": base.replace("http://", "https://")})
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert ("; Secure" in cookie) is secure
    refused = "他のサイトからの送信は受け付けません" in cross.text
    assert refused is not secure                # an https Origin is this site only behind a trusted proxy
