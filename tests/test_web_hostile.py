"""Hostile mail renders inert: nothing runs, nothing is fetched from elsewhere."""

from __future__ import annotations

import re

import pytest

from archive.posts import NewAttachment, NewPost, add_post
from tests.hostile import HOSTILE_HTML, hostile_mail
from tests.test_web_pages import signed_in
from tests.world import mail
from web.mailhtml import clean_filename, content_disposition, download_type, linkify, sanitize_html

NO_CID = lambda cid: None  # noqa: E731


@pytest.mark.parametrize("needle", ["<script", "onerror", "onload", "javascript:", "style", "<form", "<meta",
                                    "<iframe", "<object", "<embed", "<svg", "<base", "<link", "expression",
                                    "url(", "srcset", "background=", "data:text/html", "<video", "poster"])
def test_sanitized_html_drops(needle):
    assert needle not in sanitize_html(HOSTILE_HTML, NO_CID).lower()


def test_sanitized_html_keeps_no_image_source_outside_the_archive():
    cleaned = sanitize_html(HOSTILE_HTML, NO_CID)
    assert not re.search(r"<img[^>]*src=", cleaned)


def test_sanitized_html_keeps_text_and_ordinary_links_without_referrer():
    cleaned = sanitize_html(HOSTILE_HTML, NO_CID)
    assert "危険なメールの本文です" in cleaned
    assert '<a href="https://www.pref.yamakawa.lg.jp/" rel="noopener noreferrer nofollow">' in cleaned


def test_cid_images_point_at_their_attachment():
    cleaned = sanitize_html('<p><img src="cid:Logo@Example" alt="ロゴ"></p>', lambda cid: f"/s/x/a/7/{cid}")
    assert '<img src="/s/x/a/7/logo@example" alt="ロゴ">' in cleaned


def test_plain_text_links_only_http_and_escapes_the_rest():
    out = str(linkify("見てください https://example.lg.jp/a?b=1&c=2。 javascript:alert(1) <b>"))
    assert '<a href="https://example.lg.jp/a?b=1&amp;c=2" rel="noopener noreferrer nofollow">' in out
    assert "&lt;b&gt;" in out and 'href="javascript' not in out


def test_file_names_lose_paths_controls_and_bidi_tricks():
    assert clean_filename("../../etc/passwd\r\nX-Injected: 1.html") == "_.._etc_passwdX-Injected: 1.html"
    assert clean_filename("invoice\u202egpj.exe") == "invoicegpj.exe"
    assert clean_filename("") == "attachment"


def test_content_disposition_cannot_be_broken_out_of():
    header = content_disposition('a";\r\nSet-Cookie: x=1.txt')
    assert "\r" not in header and "\n" not in header
    assert header.startswith('attachment; filename="a__Set-Cookie: x=1.txt"; filename*=UTF-8\'\'')


@pytest.mark.parametrize("declared", ["text/html", "image/svg+xml", "application/xhtml+xml", "text/xml", "",
                                      "application/javascript", "TEXT/HTML; charset=utf-8"])
def test_active_content_types_are_served_as_octet_stream(declared):
    assert download_type(declared) == "application/octet-stream"


async def test_hostile_mail_renders_inert_on_the_thread_page(world):
    post_id, = await world.deliver(hostile_mail())
    tid = await world.db.fetchval("SELECT thread_id FROM posts WHERE id = ?", (post_id,))
    async with signed_in(world, "ito-s@town.wakaba.lg.jp") as client:
        thread = await client.get(f"/s/zeimu/t/{tid}/")
        space = await client.get("/s/zeimu/")
    for page in (thread.text, space.text):
        assert "<script>window" not in page and "<img src=x" not in page and "onerror=\"" not in page
        assert 'src="http' not in page
    assert "&lt;script&gt;" in thread.text            # shown as text, escaped


async def test_hostile_attachments_download_as_octet_stream_with_clean_names(world):
    post_id, = await world.deliver(hostile_mail())
    rows = await world.db.fetchall("SELECT id FROM attachments WHERE post_id = ? ORDER BY position", (post_id,))
    async with signed_in(world, "ito-s@town.wakaba.lg.jp") as client:
        for row in rows:
            response = await client.get(f"/s/zeimu/a/{row['id']}/x")
            assert response.headers["content-type"] == "application/octet-stream"
            assert response.headers["content-disposition"].startswith("attachment;")
            assert "sandbox" in response.headers["content-security-policy"]
            assert "/" not in response.headers["content-disposition"].split("filename*=")[0]
            assert "%E2%80%AE" not in response.headers["content-disposition"]        # no right-to-left override


async def test_inline_cid_image_of_an_html_mail_is_served_from_the_archive(world):
    space_id = await world.db.fetchval("SELECT id FROM spaces WHERE slug = 'zeimu'")
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
    sha = world.blobs.put(png)
    stored = await add_post(world.db, NewPost(
        space_id=space_id, thread_id=None, message_id="<cid@x>", subject="画像つき", norm_subject="画像つき",
        from_name="佐藤", from_address="sato-k@pref.yamakawa.lg.jp", date_utc="2026-11-27T00:00:00Z",
        body_html='<p>図です</p><img src="cid:fig1@x">', reply_text="図です",
        attachments=(NewAttachment(0, "fig1.png", "image/png", len(png), sha, "<fig1@x>"),)))
    async with signed_in(world) as client:
        page = await client.get(f"/s/zeimu/t/{stored.thread_id}/")
        att_id = await world.db.fetchval("SELECT id FROM attachments WHERE post_id = ?", (stored.post_id,))
        image = await client.get(f"/s/zeimu/a/{att_id}/fig1.png")
    assert f'<img src="/s/zeimu/a/{att_id}/fig1.png">' in page.text
    assert image.headers["content-type"] == "image/png" and image.content == png


async def test_html_mail_with_an_inline_image_shows_it_from_the_archive(world):
    msg = mail("suzuki-h@city.aoba.lg.jp", "位置図", "位置図を送ります。\n", message_id="<map@city.aoba.lg.jp>")
    msg.add_alternative('<p>位置図を送ります。</p><img src="cid:map1@city.aoba.lg.jp" alt="位置図">', subtype="html")
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    msg.get_payload()[1].add_related(png, maintype="image", subtype="png", cid="<map1@city.aoba.lg.jp>",
                                     filename="map.png")
    post_id, = await world.deliver(msg)
    tid = await world.db.fetchval("SELECT thread_id FROM posts WHERE id = ?", (post_id,))
    att_id = await world.db.fetchval("SELECT id FROM attachments WHERE post_id = ?", (post_id,))
    async with signed_in(world) as client:
        page = await client.get(f"/s/zeimu/t/{tid}/")
        image = await client.get(f"/s/zeimu/a/{att_id}/map.png")
    assert f'<img src="/s/zeimu/a/{att_id}/map.png" alt="位置図">' in page.text
    assert image.content == png and image.headers["content-type"] == "image/png"
