"""Small deployments for tests and benchmarks: a data folder on embedded defaults, and a seed.

Both `tests/` and `bench/` build their worlds here, so a benchmark runs without pytest and
without importing the test suite.
"""

from __future__ import annotations

from pathlib import Path

from archive.members import add_member
from archive.orgs import add_org
from archive.spaces import create_space
from kairan.config import config_text
from kairan.context import Context

DOMAIN = "kairan.test.lg.jp"


def make_data_dir(path: Path, domain: str = DOMAIN) -> Path:
    """A data folder with a config (fixed secret key) and its empty folders."""
    path.mkdir(parents=True, exist_ok=True)
    (path / "kairan.toml").write_text(config_text(domain, secret_key="test-secret"), encoding="utf-8")
    for folder in ("blobs", "index", "outbox"):
        (path / folder).mkdir(exist_ok=True)
    return path


async def seed(ctx: Context) -> None:
    """Three organizations, five members, two spaces (zeimu: pref+aoba+wakaba, bousai: pref+aoba)."""
    await add_org(ctx.db, "pref", "山河県", ["pref.yamakawa.lg.jp"])
    await add_org(ctx.db, "aoba", "青葉市", ["city.aoba.lg.jp"])
    await add_org(ctx.db, "wakaba", "若葉町", ["town.wakaba.lg.jp"])
    await add_member(ctx.db, "sato@pref.yamakawa.lg.jp", "佐藤 健一", "pref", "税務課")
    await add_member(ctx.db, "suzuki@city.aoba.lg.jp", "鈴木 裕子", "aoba", "資産税課")
    await add_member(ctx.db, "ito@town.wakaba.lg.jp", "伊藤 翔太", "wakaba", "税務住民課")
    await add_member(ctx.db, "takahashi@city.aoba.lg.jp", "高橋 誠", "aoba", "危機管理課")
    await add_member(ctx.db, "outsider@town.wakaba.lg.jp", "部外 者", "wakaba")
    await create_space(ctx.db, "zeimu", "税務担当者連絡会",
                       ["sato@pref.yamakawa.lg.jp", "suzuki@city.aoba.lg.jp", "ito@town.wakaba.lg.jp"])
    await create_space(ctx.db, "bousai", "防災", ["sato@pref.yamakawa.lg.jp", "takahashi@city.aoba.lg.jp"])


FAMILY = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田")
FAMILY_READING = ("さとう", "すずき", "たかはし", "たなか", "いとう", "わたなべ", "やまもと", "なかむら", "こばやし",
                  "かとう", "よしだ", "やまだ")
GIVEN = ("健一", "裕子", "誠", "美咲", "翔太", "明美", "大輔", "優")
GIVEN_READING = ("けんいち", "ゆうこ", "まこと", "みさき", "しょうた", "あけみ", "だいすけ", "ゆう")
DEPTS = ("総務課", "財政課", "税務課", "資産税課", "危機管理課", "企画課", "福祉課", "環境課", "教育総務課", "情報政策課")


def staff_csv(count: int, org_slugs: list[str], start: int = 0, encoding: str = "cp932") -> bytes:
    """A member CSV as Excel writes it (CRLF, Japanese headers): `count` staff spread over the organizations,
    every department with a representative; addresses staff{N}@{org}.example.lg.jp."""
    lines = ["メールアドレス,氏名,ふりがな,団体,所属,課代表,団体管理者"]
    for n in range(start, start + count):
        org = org_slugs[n % len(org_slugs)]
        f, g = (n // len(org_slugs)) % len(FAMILY), (n // 7) % len(GIVEN)
        dept = DEPTS[(n // len(org_slugs)) % len(DEPTS)]
        rep = "○" if n // len(org_slugs) < len(DEPTS) else ""
        lines.append(f"staff{n}@{org}.example.lg.jp,{FAMILY[f]} {GIVEN[g]},{FAMILY_READING[f]} {GIVEN_READING[g]},"
                     f"{org},{dept},{rep},")
    return ("\r\n".join(lines) + "\r\n").encode(encoding)
