"""Bulk registration by CSV as Excel writes it: encodings, headers, the plan, all-or-nothing apply."""

from __future__ import annotations

import pytest

from archive.admin import importing
from archive.admin.audit import Filters, list_entries
from archive.admin.csvfile import decode, read_rows
from archive.admin.exporting import export
from archive.errors import Forbidden, Invalid
from archive.members import add_address, find_member_by_address, get_member_by_address, list_members
from tests.admin.support import AOBA_ADMIN, PREF_ADMIN, SATO, SUZUKI, SYSADMIN
from tests.admin.support import world  # noqa: F401  (the fixture)

JAPANESE = "メールアドレス,氏名,ふりがな,団体,所属,課代表,団体管理者"
ENGLISH = "email,name,reading,org,dept,rep,org_admin"


def excel(lines: list[str], encoding: str) -> bytes:
    """CRLF line ends; 'utf-8-sig' adds the BOM as Excel's 'CSV UTF-8' does."""
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


AOBA_FILE = [JAPANESE,
             'tanaka@city.aoba.lg.jp,"田中, 一郎",タナカ イチロウ,青葉市,"財務部\r\n資産税課",○,',
             'yamada@city.aoba.lg.jp,山田 花子,やまだ はなこ,aoba,総務課,,○',
             f'{SUZUKI},鈴木 裕子,すずき ゆうこ,青葉市,資産税課,1,0']


async def test_a_cp932_file_from_excel_is_previewed_then_applied(world):
    db, m = world
    data = excel(AOBA_FILE, "cp932")
    plan = await importing.preview(db, m[AOBA_ADMIN], data)
    assert [(line.line, line.email, line.status) for line in plan.lines] == [
        (2, "tanaka@city.aoba.lg.jp", "add"), (4, "yamada@city.aoba.lg.jp", "add"), (5, SUZUKI, "change")]
    assert await find_member_by_address(db, "tanaka@city.aoba.lg.jp") is None       # a preview writes nothing
    applied = await importing.apply(db, m[AOBA_ADMIN], data, filename="aoba.csv")
    assert applied.summary() == "added 2, changed 1, unchanged 0, deactivated 0"
    tanaka = await get_member_by_address(db, "tanaka@city.aoba.lg.jp")
    assert (tanaka.name, tanaka.reading, tanaka.dept, tanaka.is_rep, tanaka.is_org_admin, tanaka.org_slug) == (
        "田中, 一郎", "たなか いちろう", "財務部 資産税課", True, False, "aoba")
    yamada = await get_member_by_address(db, "yamada@city.aoba.lg.jp")
    assert yamada.is_org_admin and not yamada.is_rep
    suzuki = await get_member_by_address(db, SUZUKI)
    assert (suzuki.reading, suzuki.is_rep) == ("すずき ゆうこ", True)
    entries = await list_entries(db, Filters(action="member.import"))
    assert len(entries) == 1 and entries[0].actor == AOBA_ADMIN and entries[0].org_id == m[AOBA_ADMIN].org_id
    assert entries[0].detail["added"] == ["tanaka@city.aoba.lg.jp", "yamada@city.aoba.lg.jp"]
    assert entries[0].detail["changed"] == [{"email": SUZUKI, "before": {"reading": "", "rep": False},
                                             "after": {"reading": "すずき ゆうこ", "rep": True}}]


async def test_utf8_with_bom_and_english_headers_read_the_same(world):
    db, m = world
    lines = [ENGLISH] + AOBA_FILE[1:]
    rows_bom = read_rows(excel(lines, "utf-8-sig"))
    rows_cp932 = read_rows(excel(AOBA_FILE, "cp932"))
    rows_plain = read_rows(excel(lines, "utf-8"))
    assert rows_bom == rows_cp932 == rows_plain
    assert rows_bom[0].values["dept"] == "財務部\r\n資産税課" and rows_bom[0].values["name"] == "田中, 一郎"


def test_bytes_that_are_neither_utf8_nor_cp932_are_refused_clearly():
    with pytest.raises(Invalid, match="neither UTF-8 nor Shift_JIS"):
        decode(b"email\r\n\x81\x7f\xff\xfe@x.jp\r\n")
    with pytest.raises(Invalid, match="unknown column"):
        read_rows("email,年齢\r\na@x.jp,3\r\n".encode())
    with pytest.raises(Invalid, match="メールアドレス"):
        read_rows("氏名\r\n佐藤\r\n".encode())


async def test_every_bad_row_is_named_and_nothing_is_applied(world):
    db, m = world
    await add_address(db, m[SATO].id, "sato.k@pref.yamakawa.lg.jp")
    data = excel([JAPANESE,
                  "ok@city.aoba.lg.jp,正しい 人,,aoba,総務課,,",
                  "who@city.aoba.lg.jp,誰か,,東京都,総務課,,",                      # 3 unknown organization
                  "not-an-address,名無し,,aoba,,,",                                  # 4 bad address
                  "sato.k@pref.yamakawa.lg.jp,佐藤,,aoba,,,",                        # 5 another member's address
                  f"{SATO},佐藤 健一,,aoba,税務課,,",                                 # 6 a member of another org
                  "new@pref.yamakawa.lg.jp,新人,,山河県,,,",                         # 7 another organization
                  "ok@city.aoba.lg.jp,二重,,aoba,,,",                                # 8 twice in the file
                  "noname@city.aoba.lg.jp,,,aoba,,,",                                # 9 no name
                  "flag@city.aoba.lg.jp,旗,,aoba,,はい?,"], "utf-8-sig")             # 10 bad flag
    before = len(await list_members(db))
    with pytest.raises(importing.ImportRefused) as refused:
        await importing.apply(db, m[AOBA_ADMIN], data)
    reasons = {line.line: line.reason for line in refused.value.plan.refused}
    assert {line.line: line.code for line in refused.value.plan.refused} == {
        3: "unknown_org", 4: "bad_address", 5: "further_address", 6: "member_elsewhere", 7: "other_org",
        8: "duplicate", 9: "no_name", 10: "bad_flag"}
    assert "unknown organization '東京都'" in reasons[3]
    assert "bad address" in reasons[4]
    assert "further address of another member" in reasons[5]
    assert "already a member of 山河県" in reasons[6]
    assert "for 青葉市 only" in reasons[7]
    assert "line 2 already" in reasons[8]
    assert "needs a 氏名" in reasons[9]
    assert "1/0" in reasons[10]
    assert len(await list_members(db)) == before
    assert await find_member_by_address(db, "ok@city.aoba.lg.jp") is None
    assert await list_entries(db, Filters(action="member.import")) == []


async def test_an_org_admin_cannot_import_for_another_organization_at_all(world):
    db, m = world
    with pytest.raises(Forbidden, match="own organization"):
        await importing.preview(db, m[AOBA_ADMIN], excel(AOBA_FILE, "cp932"), org="pref")
    with pytest.raises(Forbidden):
        await importing.preview(db, m[SATO], excel(AOBA_FILE, "cp932"))
    plan = await importing.preview(db, m[PREF_ADMIN], excel(AOBA_FILE, "cp932"))
    assert {line.status for line in plan.lines} == {"refuse"}
    assert "for 山河県 only" in plan.lines[0].reason


async def test_importing_the_same_file_again_changes_nothing(world):
    db, m = world
    data = excel(AOBA_FILE, "cp932")
    await importing.apply(db, m[SYSADMIN], data)
    again = await importing.apply(db, m[SYSADMIN], data)
    assert again.summary() == "added 0, changed 0, unchanged 3, deactivated 0"


async def test_export_then_import_changes_nothing(world):
    db, m = world
    await importing.apply(db, None, excel(AOBA_FILE, "cp932"))
    exported, count = await export(db, m[AOBA_ADMIN])
    assert exported.startswith(b"\xef\xbb\xbf") and b"\r\n" in exported and count == 4
    assert exported.decode("utf-8-sig").splitlines()[0] == JAPANESE
    plan = await importing.apply(db, m[AOBA_ADMIN], exported)
    assert plan.summary() == "added 0, changed 0, unchanged 4, deactivated 0"
    everyone, count = await export(db, None)
    assert count == 8
    assert (await importing.apply(db, None, everyone, deactivate_missing=True)).summary() == \
        "added 0, changed 0, unchanged 8, deactivated 0"


async def test_members_missing_from_the_file_are_deactivated_only_when_asked(world):
    db, m = world
    data = excel([JAPANESE, f"{SUZUKI},鈴木 裕子,,aoba,資産税課,,"], "utf-8")
    plan = await importing.apply(db, m[AOBA_ADMIN], data)
    assert plan.deactivate == [] and (await get_member_by_address(db, SUZUKI)).active
    preview = await importing.preview(db, m[AOBA_ADMIN], data, deactivate_missing=True)
    assert preview.deactivate == []                 # the only other aoba member is the admin importing
    await importing.apply(db, None, excel([JAPANESE, "x@city.aoba.lg.jp,新 人,,aoba,,,"], "utf-8"))
    preview = await importing.preview(db, m[AOBA_ADMIN], data, deactivate_missing=True)
    assert [k.primary for k in preview.deactivate] == ["x@city.aoba.lg.jp"]
    assert (await importing.apply(db, m[AOBA_ADMIN], data, deactivate_missing=True)).summary() == \
        "added 0, changed 0, unchanged 1, deactivated 1"
    assert not (await get_member_by_address(db, "x@city.aoba.lg.jp")).active
    assert (await get_member_by_address(db, SATO)).active          # another organization: never touched


async def test_cells_excel_would_run_as_formulas_are_exported_as_text_and_read_back_unchanged(world):
    db, m = world
    await importing.apply(db, None, excel([JAPANESE, "f@city.aoba.lg.jp,=HYPERLINK(1),,aoba,-総務課,,"], "utf-8"))
    exported, _ = await export(db, None, "aoba")
    assert "'=HYPERLINK(1)" in exported.decode("utf-8-sig") and ",'-総務課," in exported.decode("utf-8-sig")
    assert (await importing.apply(db, None, exported)).summary() == "added 0, changed 0, unchanged 3, deactivated 0"
    member = await get_member_by_address(db, "f@city.aoba.lg.jp")
    assert (member.name, member.dept) == ("=HYPERLINK(1)", "-総務課")
