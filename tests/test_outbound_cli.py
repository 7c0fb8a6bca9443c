"""`kairan digest [--as-of] [--dry-run]` as cron runs it, including a run killed with SIGKILL midway."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path


from archive.db import Database
from archive.members import add_member
from archive.orgs import add_org
from archive.posts import NewPost, add_post
from archive.spaces import create_space
from kairan.config import config_text
from tests.outbound_support import DOMAIN, SinkHandler, outbox_messages, start_sink

AS_OF = "2026-11-27T08:30:00+09:00"
PROJECT = Path(__file__).resolve().parent.parent


async def make_data(folder: Path, members: int, relay_port: int | None = None) -> None:
    """A data folder with `members` members in one space and three posts written the day before."""
    folder.mkdir()
    text = config_text(DOMAIN, "cli-secret")
    if relay_port is not None:
        text = text.replace('relay_host = ""', 'relay_host = "127.0.0.1"').replace("relay_port = 25",
                                                                                   f"relay_port = {relay_port}")
    (folder / "kairan.toml").write_text(text, encoding="utf-8")
    db = await Database.open(folder / "kairan.db", lambda: datetime(2026, 11, 26, 1, 0, tzinfo=timezone.utc))
    try:
        await add_org(db, "pref", "山川県", ["pref.test.lg.jp"])
        await add_org(db, "city", "青葉市", ["city.test.lg.jp"])
        addresses = [f"m{i:04d}@{'pref' if i % 2 else 'city'}.test.lg.jp" for i in range(members)]
        for i, address in enumerate(addresses):
            await add_member(db, address, f"職員{i}", "pref" if i % 2 else "city")
        space = await create_space(db, "zeimu", "税務担当者連絡会", addresses)
        for n in range(3):
            await add_post(db, NewPost(space.id, None, f"<p{n}@example.lg.jp>", f"件名{n}", f"件名{n}", "外部",
                                       "someone@example.lg.jp", "2026-11-26T01:00:00Z", reply_text=f"本文{n}"))
    finally:
        await db.close()


async def kairan(folder: Path, *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "kairan", "--data", str(folder), *args, cwd=PROJECT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)


async def run(folder: Path, *args: str) -> tuple[int, str, str]:
    proc = await kairan(folder, *args)
    out, err = await proc.communicate()
    return proc.returncode, out.decode(), err.decode()


async def test_dry_run_prints_the_digests_and_sends_nothing(tmp_path):
    await make_data(tmp_path / "data", 3)
    code, out, _ = await run(tmp_path / "data", "digest", "--as-of", AS_OF, "--dry-run")
    assert code == 0
    assert "m0000@city.test.lg.jp\t[kairan] 本日のダイジェスト: 1スペース・新着3件" in out
    assert outbox_messages(tmp_path / "data" / "outbox") == []
    code, out, _ = await run(tmp_path / "data", "digest", "--as-of", AS_OF)
    assert len(outbox_messages(tmp_path / "data" / "outbox")) == 3


async def test_a_second_run_sends_nothing_new(tmp_path):
    await make_data(tmp_path / "data", 3)
    await run(tmp_path / "data", "digest", "--as-of", AS_OF)
    code, out, _ = await run(tmp_path / "data", "digest", "--as-of", AS_OF)
    assert code == 0 and "0 digest(s) became due" in out
    assert len(outbox_messages(tmp_path / "data" / "outbox")) == 3


async def test_a_wrong_as_of_is_one_line_on_stderr(tmp_path):
    await make_data(tmp_path / "data", 2)
    code, out, err = await run(tmp_path / "data", "digest", "--as-of", "tomorrow morning")
    assert code == 1 and err.count("\n") == 1 and "ISO-8601" in err


async def test_killed_mid_run_over_smtp_then_rerun_every_digest_arrives_exactly_once(tmp_path):
    members = 40
    state = {}

    def kill_at_eleventh(sink: SinkHandler) -> str | None:
        if len(sink.received) == 10 and not state.get("killed"):
            state["killed"] = True
            os.kill(state["proc"].pid, signal.SIGKILL)       # in the middle of the eleventh mail
            return "421 4.3.0 Going away"
        return None

    handler = SinkHandler(before_accept=kill_at_eleventh)
    server, port = await start_sink(handler)
    try:
        await make_data(tmp_path / "data", members, relay_port=port)
        state["proc"] = await kairan(tmp_path / "data", "digest", "--as-of", AS_OF)
        await state["proc"].communicate()
        assert state["proc"].returncode == -signal.SIGKILL
        assert len(handler.received) == 10
        code, _, _ = await run(tmp_path / "data", "digest", "--as-of", AS_OF)
    finally:
        server.close()
    assert code == 0
    arrived = Counter(r.rcpt_tos[0] for r in handler.received)
    assert len(arrived) == members and set(arrived.values()) == {1}


async def test_killed_mid_run_into_the_outbox_then_rerun_every_digest_is_written_exactly_once(tmp_path):
    members = 400
    await make_data(tmp_path / "data", members)
    outbox = tmp_path / "data" / "outbox" / "new"
    proc = await kairan(tmp_path / "data", "digest", "--as-of", AS_OF)
    while proc.returncode is None and (not outbox.exists() or len(os.listdir(outbox)) < 20):
        await asyncio.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    await proc.communicate()
    written_before_rerun = len(os.listdir(outbox))
    code, _, _ = await run(tmp_path / "data", "digest", "--as-of", AS_OF)
    recipients = Counter(str(m["To"].addresses[0].addr_spec) for m in outbox_messages(tmp_path / "data" / "outbox"))
    assert code == 0 and written_before_rerun < members
    assert len(recipients) == members and set(recipients.values()) == {1}
