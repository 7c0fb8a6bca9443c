"""My profile: who I am in the directory, my password, my API tokens.

    GET  /profile                   name, reading, organization, department, addresses; tokens
    POST /profile/password          current password, new one twice (argon2 off the event loop);
                                    the member's other sessions end (archive.sessions)
    POST /profile/details           my name, reading and department — where the deployment lets
                                    members keep them ([directory] members_edit_profile); audited
    POST /profile/links             whether one-time sign-in links may be mailed to me
    POST /profile/tokens            a new API token with a name: shown once, on the answer page only
    POST /profile/tokens/{id}/revoke

Name, department and addresses are the directory's: org admins change them (issue 11's pages).
A deployment may let members change their own name, reading and department here; addresses
never (a new address must be proven) and roles never. Creating and revoking a token is audited (archive.tokens records it).
"""

from __future__ import annotations

import asyncio

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from archive.errors import Invalid
from archive.members import get_password_hash, member_addresses, set_password_hash
from archive.passwords import MIN_LENGTH, hash_password, verify_password
from archive.preferences import link_signin_allowed, set_link_signin
from archive.admin.credentials import create_token, revoke_token
from archive.admin.people import change_own
from archive.tokens import MAX_TOKEN_NAME, list_tokens
from web.auth import client_address, request_actor, require_member
from web.sessions import csrf_ok, session_of
from web.templating import render, translate
from web.views.common import services_of

PROFILE_PATH = "/profile"
MAX_PASSWORD_CHARS = 1024


async def profile_page(request: Request, error: str = "", new_token: str = "", status_code: int = 200):
    member = require_member(request)
    db = services_of(request).db
    notice = {"password": translate(request, "パスワードを変更しました。ほかの端末のサインインは終了しました。"),
              "revoked": translate(request, "トークンを無効にしました。"),
              "links": translate(request, "サインイン用リンクの設定を保存しました。"),
              "details": translate(request, "登録内容を保存しました。")}.get(request.query_params.get("done", ""), "")
    response = render(request, "profile.html", {
        "addresses": await member_addresses(db, member.id), "tokens": await list_tokens(db, member.id),
        "reading": getattr(member, "reading", ""), "error": error, "notice": "" if error else notice,
        "new_token": new_token, "min_length": MIN_LENGTH, "link_signin": await link_signin_allowed(db, member.id),
        "editable": services_of(request).members_edit_profile}, status_code=status_code)
    if new_token:
        response.headers["Cache-Control"] = "no-store"
    return response


async def checked_form(request: Request):
    form = await request.form(max_files=0, max_fields=10)
    if not csrf_ok(request, form, services_of(request).secret_key):
        raise HTTPException(403)
    return form


async def change_password(request: Request):
    member = require_member(request)
    services = services_of(request)
    form = await checked_form(request)
    current, new, again = (str(form.get(k) or "")[:MAX_PASSWORD_CHARS] for k in ("current", "new", "again"))
    stored = await get_password_hash(services.db, member.id)
    if not await asyncio.to_thread(verify_password, stored, current):
        return await profile_page(request, translate(request, "現在のパスワードが正しくありません。"), status_code=400)
    if new != again:
        return await profile_page(request, translate(request, "新しいパスワードが一致しません。"), status_code=400)
    try:
        hashed = await asyncio.to_thread(hash_password, new)
    except Invalid:
        message = translate(request, "新しいパスワードは %(n)s 文字以上にしてください。") % {"n": MIN_LENGTH}
        return await profile_page(request, message, status_code=400)
    await set_password_hash(services.db, member.id, hashed, keep_sid=session_of(request).sid)
    return RedirectResponse(PROFILE_PATH + "?done=password", status_code=303)


async def details(request: Request):
    member = require_member(request)
    services = services_of(request)
    if not services.members_edit_profile:
        raise HTTPException(403)
    form = await checked_form(request)
    name, reading, dept = (str(form.get(k) or "") for k in ("name", "reading", "dept"))
    try:
        await change_own(services.db, member, name, reading, dept, client=client_address(request))
    except Invalid:
        message = translate(request, "氏名は必須です。各項目は 200 文字以内で、改行などの制御文字は使えません。")
        return await profile_page(request, message, status_code=400)
    return RedirectResponse(PROFILE_PATH + "?done=details", status_code=303)


async def links(request: Request):
    member = require_member(request)
    form = await checked_form(request)
    await set_link_signin(services_of(request).db, member.id, form.get("link_signin") == "on")
    return RedirectResponse(PROFILE_PATH + "?done=links", status_code=303)


async def new_token(request: Request):
    member = require_member(request)
    form = await checked_form(request)
    name = " ".join(str(form.get("name") or "").split())[:MAX_TOKEN_NAME]
    if not name:
        return await profile_page(request, translate(request, "トークンの名前（用途）を入力してください。"), status_code=400)
    token = await create_token(services_of(request).db, member.id, request_actor(request), name=name)
    return await profile_page(request, new_token=token)


async def revoke(request: Request):
    member = require_member(request)
    await checked_form(request)
    if not await revoke_token(services_of(request).db, member.id, request.path_params["token_id"],
                              request_actor(request)):
        raise HTTPException(404)
    return RedirectResponse(PROFILE_PATH + "?done=revoked", status_code=303)


routes = [
    Route(PROFILE_PATH, profile_page, methods=["GET"], name="profile"),
    Route(PROFILE_PATH + "/password", change_password, methods=["POST"]),
    Route(PROFILE_PATH + "/details", details, methods=["POST"]),
    Route(PROFILE_PATH + "/links", links, methods=["POST"]),
    Route(PROFILE_PATH + "/tokens", new_token, methods=["POST"]),
    Route(PROFILE_PATH + "/tokens/{token_id}/revoke", revoke, methods=["POST"]),
]
