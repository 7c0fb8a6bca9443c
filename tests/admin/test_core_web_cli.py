"""The shared core at the edges: Forbidden is 403 (page and JSON) and exit 1; request_actor; post snapshots."""

from __future__ import annotations

import subprocess
import sys

from starlette.responses import JSONResponse
from starlette.routing import Route

from archive.admin import people, roles
from archive.members import get_member_by_address
from archive.posts import list_posts
from kairan.cli import main
from kairan.fixtures import make_data_dir
from tests.conftest import ROOT
from tests.world import mail, sign_in
from web.auth import request_actor

ITO = "ito-s@town.wakaba.lg.jp"


def app_with_probe(world):
    """The real app, plus one route that refuses with Forbidden and one that answers request_actor."""
    app = world.app()

    async def refuse(request):
        roles.require(False, "only a system admin may do this")

    async def who(request):
        actor = request_actor(request)
        return JSONResponse({"id": actor.member_id, "label": actor.label, "client": actor.client})

    app.router.routes += [Route("/probe/refuse", refuse), Route("/api/probe/refuse", refuse), Route("/probe/who", who)]
    return app


async def test_forbidden_is_a_403_page_and_a_403_json_answer_under_the_api(world):
    async with world.client(app_with_probe(world)) as client:
        page = await client.get("/probe/refuse")
        api = await client.get("/api/probe/refuse")
    assert page.status_code == 403 and "この操作を行う権限がありません" in page.text and "Traceback" not in page.text
    assert api.status_code == 403 and api.json() == {"error": "only a system admin may do this"}


async def test_request_actor_is_the_signed_in_member_and_the_client_address(world):
    async with world.client(app_with_probe(world)) as client:
        assert (await client.get("/probe/who")).json()["label"] == "anonymous"
        await sign_in(client, ITO)
        answer = (await client.get("/probe/who")).json()
    assert answer == {"id": world.members["ito"].id, "label": ITO, "client": "127.0.0.1"}


def test_forbidden_on_the_command_line_is_one_line_and_exit_1(tmp_path, capsys):
    data = make_data_dir(tmp_path / "data")
    for args in (("org", "add", "pref", "--name", "山河県"), ("org", "add", "aoba", "--name", "青葉市"),
                 ("user", "add", "a@pref.example.lg.jp", "--name", "佐藤", "--org", "pref"),
                 ("user", "add", "b@aoba.example.lg.jp", "--name", "鈴木", "--org", "aoba", "--org-admin")):
        assert main([*args, "--data", str(data)]) == 0
    capsys.readouterr()
    refused = subprocess.run([sys.executable, "-m", "kairan", "user", "set", "a@pref.example.lg.jp", "--dept", "x",
                              "--as", "b@aoba.example.lg.jp", "--data", str(data)],
                             capture_output=True, text=True, cwd=ROOT)
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.strip().splitlines() == [
        "kairan: you may not change a@pref.example.lg.jp: an org admin manages only their own organization's "
        "members (and not its system admins)"]


async def test_a_post_keeps_the_authors_organization_and_department_of_when_it_was_stored(world):
    ito = world.members["ito"]
    await people.change(world.db, None, ito.email, people.Change(dept="企画課"))
    await world.deliver(mail(ito.email, "Re: 固定資産税の減免申請について", "追記です。\n", hours_ago=1,
                             in_reply_to="<z2@town.wakaba.lg.jp>"))
    await people.set_active(world.db, None, ito.email, False)
    posts = [p for p in await list_posts(world.db, 1) if p.from_address == ito.email]
    assert [(p.author_org_name, p.author_dept) for p in posts] == [("若葉町", "税務住民課"), ("若葉町", "企画課")]
    assert not (await get_member_by_address(world.db, ito.email)).active
