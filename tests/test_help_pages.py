"""/help/refused/*: why a mail was refused and what to do (Japanese first), linked from each SMTP refusal."""

from __future__ import annotations

import smtplib

import pytest

from bridge.gateway.help_links import PAGES as RULE_PAGES
from tests.conftest import DOMAIN, mail
from web.views.help import PAGES


def test_every_rule_that_refuses_has_its_page():
    assert set(RULE_PAGES.values()) <= set(PAGES)


async def test_the_pages_need_no_sign_in_and_speak_japanese_first(world):
    async with world.client() as web:
        page = await web.get("/help/refused/not-member")
        english = await web.get("/help/refused/too-big", headers={"Accept-Language": "en"})
        index = await web.get("/help/refused/")
        missing = await web.get("/help/refused/no-such-reason")
    assert page.status_code == 200 and "送信者がスペースのメンバーではありません" in page.text
    assert "スペース管理者にメンバーへの追加を依頼してください" in page.text
    assert english.status_code == 200 and "The mail is too big" in english.text and "50 MB" in english.text
    assert all(f'href="/help/refused/{name}"' in index.text for name in PAGES)
    assert missing.status_code == 404


async def test_an_smtp_refusal_links_to_its_page_in_ascii(gateway):
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        await gateway.send(mail("outsider@town.wakaba.lg.jp", f"zeimu@{DOMAIN}", "件名", "本文\n"),
                           "outsider@town.wakaba.lg.jp", [f"zeimu@{DOMAIN}"])
    code, text = refused.value.recipients[f"zeimu@{DOMAIN}"]
    assert code == 550 and text.isascii()
    assert text.decode().endswith("ask the space's admin to add you (see http://127.0.0.1:8080/help/refused/not-member)")
    with pytest.raises(smtplib.SMTPDataError) as refused:
        await gateway.send(mail("sato@pref.yamakawa.lg.jp", f"zeimu@{DOMAIN}", "不在", "不在です\n",
                                Auto_Submitted="auto-replied"), "sato@pref.yamakawa.lg.jp", [f"zeimu@{DOMAIN}"])
    assert refused.value.smtp_error.decode().endswith("(see http://127.0.0.1:8080/help/refused/auto-reply)")
