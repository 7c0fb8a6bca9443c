"""Sign-in by password or by a one-time link sent by mail; sign-out; the language switch.

Answers never tell whether an address is registered. A sign-in link opens a
confirmation page and is used only by its button (a POST), so mail scanners
that fetch links cannot spend it.
"""

from __future__ import annotations

import asyncio
from email.message import EmailMessage
from email.utils import formataddr

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from archive.admin.audit import actor_of, anonymous, record_event
from archive.members import address_key, find_member_for_signin, get_member, get_password_hash, set_lang
from archive.passwords import verify_password
from archive.admin.credentials import create_link
from archive.preferences import link_signin_allowed
from archive.sessions import end_session, start_session
from archive.signin_links import link_is_valid, use_link
from web.auth import current_member, safe_next
from web.i18n import LANGUAGES
from web.sessions import csrf_ok, session_of
from web.templating import render, translate
from web.views.common import services_of

# Verified against when the address is unknown, so both answers take as long.
DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$dK38dRYhitr029vc+zod8g$PhqaDWqGojzA4W1mE9GhI9fujSJErT/yi4BUY+dHi14"


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def checked_form(request: Request):
    form = await request.form(max_files=0, max_fields=10)
    if not csrf_ok(request, form, services_of(request).secret_key):
        raise HTTPException(403)
    return form


async def signin_page(request: Request):
    if current_member(request) is not None:
        return RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    return render(request, "signin.html", {"next": safe_next(request.query_params.get("next")), "error": "",
                                           "email": "", "notice": ""})


async def signin(request: Request):
    form = await checked_form(request)
    services, limits = services_of(request), request.app.state.limits.signin
    email, password = str(form.get("email") or "").strip()[:320], str(form.get("password") or "")[:1024]
    target, key = safe_next(str(form.get("next") or "/")), address_key(email)
    if limits.blocked(key, client_of(request)):
        await record_event(services.db, anonymous(client_of(request)), "signin.fail", key, {"reason": "too_many_attempts"})
        error = translate(request, "試行回数が多すぎます。15分ほど待ってから、もう一度お試しください。")
        return render(request, "signin.html", {"next": target, "error": error, "email": email, "notice": ""},
                      status_code=429)
    await asyncio.sleep(limits.delay(key))            # an address failing from everywhere slows down
    member = await find_member_for_signin(services.db, email) if "@" in email else None
    stored = await get_password_hash(services.db, member.id) if member else None
    ok = await asyncio.to_thread(verify_password, stored or DUMMY_HASH, password)
    if not (ok and stored and member and member.active):
        limits.record(key, client_of(request))
        await record_event(services.db, anonymous(client_of(request)), "signin.fail", member.email if member else key,
                           {"method": "password", "reason": failure_reason(member, stored, ok)})
        error = translate(request, "メールアドレスまたはパスワードが正しくありません。")
        return render(request, "signin.html", {"next": target, "error": error, "email": email, "notice": ""},
                      status_code=400)
    limits.succeeded(key, client_of(request))
    await record_event(services.db, actor_of(member, client_of(request)), "signin.ok", member.email,
                       {"method": "password"})
    await begin_session(request, member.id)
    return RedirectResponse(target, status_code=303)


async def begin_session(request: Request, member_id: int) -> None:
    """A new session id, known to the server from now on (sign-out ends it there)."""
    session = session_of(request)
    await end_session(services_of(request).db, session.sid)
    session.sign_in(member_id)
    await start_session(services_of(request).db, member_id, session.sid)


def failure_reason(member, stored: str | None, ok: bool) -> str:
    """For the audit log only (the page never says which)."""
    if member is None:
        return "unknown_address"
    if not member.active:
        return "deactivated"
    return "no_password" if not stored else "wrong_password"


def link_mail(request: Request, to: str, name: str, url: str) -> EmailMessage:
    services = services_of(request)
    msg = EmailMessage()
    msg["From"] = formataddr(("kairan", f"noreply@{services.domain}"))
    msg["To"] = formataddr((name, to))
    msg["Subject"] = translate(request, "kairan サインイン用リンク")
    msg["Auto-Submitted"] = "auto-generated"
    body = translate(request, "{name} 様\n\n次のリンクから kairan にサインインできます（15分間、1回だけ有効）。\n\n{url}\n\n"
                              "お心当たりがない場合は、このメールを破棄してください。\n")
    msg.set_content(body.format(name=name, url=url))
    return msg


async def request_link(request: Request):
    form = await checked_form(request)
    services, limits = services_of(request), request.app.state.limits.links
    email = str(form.get("email") or "").strip()[:320]
    key = address_key(email)
    if limits.blocked(key, client_of(request)):
        error = translate(request, "試行回数が多すぎます。15分ほど待ってから、もう一度お試しください。")
        return render(request, "signin.html", {"next": "/", "error": error, "email": email, "notice": ""},
                      status_code=429)
    limits.record(key, client_of(request))
    member = await find_member_for_signin(services.db, email) if "@" in email else None
    if (member is not None and member.active and services.send_mail is not None
            and await link_signin_allowed(services.db, member.id)):
        token = await create_link(services.db, member.id, actor=anonymous(client_of(request)))
        url = services.base_url.rstrip("/") + f"/signin/link/{token}"
        await services.send_mail(link_mail(request, member.email, member.name, url))
    notice = translate(request, "登録されているアドレスであれば、サインイン用リンクをお送りしました。メールをご確認ください（15分間有効）。")
    return render(request, "signin.html", {"next": "/", "error": "", "email": email, "notice": notice})


async def link_page(request: Request):
    token = request.path_params["token"]
    valid = await link_is_valid(services_of(request).db, token)
    return render(request, "link.html", {"token": token, "valid": valid}, status_code=200 if valid else 410)


async def use_signin_link(request: Request):
    await checked_form(request)
    member_id = await use_link(services_of(request).db, request.path_params["token"])
    db = services_of(request).db
    member = await get_member(db, member_id) if member_id else None
    if member is None or not member.active:
        await record_event(db, anonymous(client_of(request)), "signin.fail", member.email if member else "",
                           {"method": "link", "reason": "deactivated" if member else "invalid_or_used_link"})
        return render(request, "link.html", {"token": "", "valid": False}, status_code=410)
    await record_event(db, actor_of(member, client_of(request)), "signin.ok", member.email, {"method": "link"})
    await begin_session(request, member.id)
    return RedirectResponse("/", status_code=303)


async def signout(request: Request):
    await checked_form(request)
    await end_session(services_of(request).db, session_of(request).sid)
    session_of(request).sign_out()
    return RedirectResponse("/signin", status_code=303)


async def switch_language(request: Request):
    form = await checked_form(request)
    lang = str(form.get("lang") or "")
    if lang in LANGUAGES:
        session_of(request).lang = lang
        session_of(request).dirty = True
        member = current_member(request)
        if member is not None:
            await set_lang(services_of(request).db, member.id, lang)
    return RedirectResponse(safe_next(str(form.get("next") or "/")), status_code=303)


routes = [
    Route("/signin", signin_page, methods=["GET"], name="signin"),
    Route("/signin", signin, methods=["POST"]),
    Route("/signin/link", request_link, methods=["POST"], name="signin_link"),
    Route("/signin/link/{token}", link_page, methods=["GET"]),
    Route("/signin/link/{token}", use_signin_link, methods=["POST"]),
    Route("/signout", signout, methods=["POST"], name="signout"),
    Route("/lang", switch_language, methods=["POST"], name="lang"),
]
