"""Abuse of the web archive's edges: sign-in limits, oversized replies, absurd ids. Clear answers, never a 500."""

from __future__ import annotations

from tests.test_web_pages import signed_in, thread_id_of
from tests.world import csrf_of, sign_in

SATO = "sato-k@pref.yamakawa.lg.jp"
TOO_BIG = "添付ファイルが大きすぎます（合計 1 MB まで）。"


async def test_sign_in_limit_counts_an_address_however_it_is_written(world):
    async with world.client() as client:
        for written in (f"<{SATO}>", f"<{SATO}", f"{SATO}>", f"<<{SATO}>>", SATO.upper()):
            assert (await sign_in(client, written, "wrong-password")).status_code == 400
        response = await sign_in(client, SATO)
    assert response.status_code == 429


async def test_inquiry_page_of_an_enormous_thread_id_is_not_found(world):
    async with signed_in(world) as client:
        for path in ("inquiry", "inquiry.csv", "inquiry.xlsx"):
            response = await client.get(f"/s/zeimu/t/{10 ** 30}/{path}")
            assert response.status_code == 404, path


async def posts_in(world) -> int:
    return await world.db.fetchval("SELECT COUNT(*) FROM posts")


async def test_reply_with_attachments_over_the_mail_size_limit_is_refused_in_japanese(world):
    world.services.max_upload_bytes = 1024 * 1024
    before = await posts_in(world)
    async with signed_in(world) as client:
        tid = await thread_id_of(world)
        token = await csrf_of(client, f"/s/zeimu/t/{tid}/")
        response = await client.post(f"/s/zeimu/t/{tid}/reply", data={"csrf": token, "body": "資料です。"},
                                      files={"files": ("資料.pdf", b"x" * (1024 * 1024 + 10), "application/pdf")})
    assert response.status_code == 413
    assert TOO_BIG in response.text
    assert await posts_in(world) == before


async def test_reply_sent_without_a_length_is_cut_off_at_the_size_limit(world):
    world.services.max_upload_bytes = 1024 * 1024
    before = await posts_in(world)
    async with signed_in(world) as client:
        tid = await thread_id_of(world)
        token = await csrf_of(client, f"/s/zeimu/t/{tid}/")
        boundary = "kairanboundary"

        async def body():                   # chunked: no Content-Length to check in advance
            yield (f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{token}\r\n'
                   f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.bin"\r\n'
                   "Content-Type: application/octet-stream\r\n\r\n").encode()
            for _ in range(40):
                yield b"x" * 65536
            yield f"\r\n--{boundary}--\r\n".encode()

        response = await client.post(f"/s/zeimu/t/{tid}/reply", content=body(),
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert response.status_code == 413
    assert TOO_BIG in response.text
    assert await posts_in(world) == before
