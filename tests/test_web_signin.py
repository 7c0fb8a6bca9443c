"""Signing in and out: passwords, one-time links by mail, limits, cookies, CSRF."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx

from archive.members import set_active
from tests.world import NOW, csrf_of, sign_in

SATO = "sato-k@pref.yamakawa.lg.jp"


async def test_password_sign_in_sets_a_strict_session_cookie(world):
    async with world.client() as client:
        response = await sign_in(client, SATO)
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


async def test_session_cookie_is_secure_over_https_and_not_for_a_forwarded_proto_claim(world):
    transport = httpx.ASGITransport(app=world.app())
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
        response = await sign_in(client, SATO)
    assert "Secure" in response.headers["set-cookie"]
    async with world.client() as client:        # plain http: the header alone (no trusted proxy) changes nothing
        client.headers["X-Forwarded-Proto"] = "https"
        response = await sign_in(client, SATO)
    assert "Secure" not in response.headers["set-cookie"]


async def test_wrong_password_is_refused_in_japanese_without_a_session(world):
    async with world.client() as client:
        response = await sign_in(client, SATO, "wrong-password")
        home = await client.get("/")
    assert response.status_code == 400
    assert "メールアドレスまたはパスワードが正しくありません。" in response.text
    assert home.status_code == 303


async def test_unknown_address_gets_the_same_answer_as_a_wrong_password(world):
    async with world.client() as client:
        unknown = await sign_in(client, "nobody@example.lg.jp", "whatever-password")
        wrong = await sign_in(client, SATO, "whatever-password")
    assert unknown.status_code == wrong.status_code == 400
    assert "メールアドレスまたはパスワードが正しくありません。" in unknown.text


async def test_deactivated_member_cannot_sign_in(world):
    await set_active(world.db, world.members["sato"].id, False)
    async with world.client() as client:
        response = await sign_in(client, SATO)
    assert response.status_code == 400


async def test_sign_in_is_rate_limited_per_address(world):
    async with world.client() as client:
        for _ in range(5):
            assert (await sign_in(client, SATO, "wrong-password")).status_code == 400
        response = await sign_in(client, SATO)           # even the right password waits now
    assert response.status_code == 429
    assert "試行回数が多すぎます" in response.text


async def test_sign_in_without_csrf_token_is_refused(world):
    async with world.client() as client:
        await client.get("/signin")
        response = await client.post("/signin", data={"email": SATO, "password": "correct-horse-2026"})
    assert response.status_code == 403


async def test_next_only_returns_to_this_site(world):
    async with world.client() as client:
        token = await csrf_of(client)
        response = await client.post("/signin", data={"csrf": token, "email": SATO,
                                                      "password": "correct-horse-2026", "next": "//evil.example/"})
    assert response.headers["location"] == "/"


async def test_sign_out_ends_the_session(world):
    async with world.client() as client:
        await sign_in(client, SATO)
        token = await csrf_of(client, "/")
        await client.post("/signout", data={"csrf": token})
        home = await client.get("/")
    assert home.status_code == 303


def link_in(message) -> str:
    return re.search(r"http://testserver(/signin/link/[A-Za-z0-9_-]+)", message.get_content()).group(1)


async def test_sign_in_link_is_mailed_and_works_once(world):
    async with world.client() as client:
        token = await csrf_of(client)
        answer = await client.post("/signin/link", data={"csrf": token, "email": SATO})
        assert "サインイン用リンクをお送りしました" in answer.text
        path = link_in(world.sent[0])
        confirm = await client.get(path)                    # a mail scanner's fetch spends nothing
        token = re.search(r'name="csrf" value="([0-9a-f]+)"', confirm.text).group(1)
        used = await client.post(path, data={"csrf": token})
        home = await client.get("/")
        again = await client.post(path, data={"csrf": await csrf_of(client, "/")})
    assert world.sent[0]["To"].endswith(f"<{SATO}>")
    assert used.status_code == 303 and home.status_code == 200
    assert again.status_code == 410


async def test_sign_in_link_expires_after_15_minutes(world):
    clock = [NOW]
    world.services.clock = world.db.clock = lambda: clock[0]
    async with world.client() as client:
        token = await csrf_of(client)
        await client.post("/signin/link", data={"csrf": token, "email": SATO})
        clock[0] = NOW + timedelta(minutes=16)
        page = await client.get(link_in(world.sent[0]))
    assert page.status_code == 410 and "このリンクは使えません" in page.text


async def test_sign_in_link_for_an_unknown_address_sends_nothing_and_says_the_same(world):
    async with world.client() as client:
        token = await csrf_of(client)
        answer = await client.post("/signin/link", data={"csrf": token, "email": "stranger@example.lg.jp"})
    assert "サインイン用リンクをお送りしました" in answer.text and world.sent == []


async def test_deactivating_a_member_ends_their_open_session(world):
    async with world.client() as client:
        await sign_in(client, SATO)
        assert (await client.get("/s/zeimu/")).status_code == 200
        await set_active(world.db, world.members["sato"].id, False)
        response = await client.get("/s/zeimu/")
    assert response.status_code == 303 and "固定資産税" not in response.text


async def test_a_forged_cookie_is_no_session(world):
    async with world.client() as client:
        client.cookies.set("kairan_session", "eyJzIjoiYSIsIm0iOjF9.forged.signature")
        response = await client.get("/")
    assert response.status_code == 303


async def test_sign_in_is_rate_limited_per_client_across_addresses(world):
    async with world.client() as client:
        for n in range(30):
            await sign_in(client, f"guess{n}@example.lg.jp", "wrong-password")
        response = await sign_in(client, SATO)
    assert response.status_code == 429


async def test_asking_for_links_does_not_lock_out_the_password(world):
    async with world.client() as client:
        for _ in range(4):
            token = await csrf_of(client)
            await client.post("/signin/link", data={"csrf": token, "email": SATO})
        refused = await client.post("/signin/link", data={"csrf": await csrf_of(client), "email": SATO})
        response = await sign_in(client, SATO)
    assert len(world.sent) == 3 and refused.status_code == 429
    assert response.status_code == 303
