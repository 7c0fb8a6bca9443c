"""`kairan show --json` carries the inquiry; `kairan inquiry ...` prints, marks and exports the matrix."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook

from tests.inquiries.conftest import ITO, START, TAKAHASHI, TANAKA, letter, send
from tests.test_cli import assert_one_line_error, kairan

SUBJECT = "【照会】避難所の備蓄状況について（回答期限：令和8年12月5日）"


async def opened(gateway) -> int:
    mid = await send(gateway, letter(TANAKA, SUBJECT, "備蓄数をお知らせください。\n", START))
    await send(gateway, letter(TAKAHASHI, "Re: " + SUBJECT, "=SUM(A1) 毛布は1,200枚です。\n", START, parent=mid,
                               attachment=("備蓄_青葉市.xlsx", b"PK\x03\x04", "application/octet-stream")))
    return await gateway.ctx.db.fetchval("SELECT thread_id FROM inquiries")


async def test_show_json_gives_the_threads_inquiry(inq_gateway, data_dir):
    thread_id = await opened(inq_gateway)
    doc = json.loads(kairan(data_dir, "show", "bousai", "--json").stdout)
    inquiry = next(t["inquiry"] for t in doc["threads"] if t["id"] == thread_id)
    assert (inquiry["asker"], inquiry["deadline"]) == ("pref", "2026-12-05")
    assert [o["org"] for o in inquiry["orgs"]] == ["aoba", "midori", "wakaba"]
    assert inquiry["orgs"][0]["status"] == "answered" and inquiry["orgs"][0]["by"] == "高橋 誠"


async def test_show_json_gives_null_for_a_plain_thread(inq_gateway, data_dir):
    await send(inq_gateway, letter(TANAKA, "訓練の日程", "候補日です。\n", START))
    doc = json.loads(kairan(data_dir, "show", "bousai", "--json").stdout)
    assert doc["threads"][0]["inquiry"] is None


async def test_inquiry_status_prints_one_line_per_organization(inq_gateway, data_dir):
    thread_id = await opened(inq_gateway)
    out = kairan(data_dir, "inquiry", "status", str(thread_id)).stdout
    assert "回答期限: 2026年12月5日(土)" in out
    assert [line.split()[0] for line in out.splitlines()[2:]] == ["aoba", "midori", "wakaba"]


async def test_inquiry_na_then_status_json_shows_not_applicable(inq_gateway, data_dir):
    thread_id = await opened(inq_gateway)
    assert kairan(data_dir, "inquiry", "na", str(thread_id), "--org", "wakaba", "--as", ITO).returncode == 0
    doc = json.loads(kairan(data_dir, "inquiry", "status", str(thread_id), "--json").stdout)
    wakaba = next(o for o in doc["orgs"] if o["org"] == "wakaba")
    assert (wakaba["status"], wakaba["by"]) == ("not_applicable", "伊藤 翔太")


async def test_inquiry_errors_are_one_line(inq_gateway, data_dir):
    thread_id = await opened(inq_gateway)
    assert_one_line_error(kairan(data_dir, "inquiry", "status", "abc"), "not a thread id")
    assert_one_line_error(kairan(data_dir, "inquiry", "status", "999"), "not an inquiry")
    assert_one_line_error(kairan(data_dir, "inquiry", "set", str(thread_id), "--deadline", "そのうち"), "not a date")
    assert_one_line_error(kairan(data_dir, "inquiry", "na", str(thread_id), "--org", "pref"), "not asked")


async def test_inquiry_set_reads_a_japanese_date(inq_gateway, data_dir):
    thread_id = await opened(inq_gateway)
    assert kairan(data_dir, "inquiry", "set", str(thread_id), "--deadline", "令和８年１２月１０日").returncode == 0
    doc = json.loads(kairan(data_dir, "inquiry", "status", str(thread_id), "--json").stdout)
    assert doc["deadline"] == "2026-12-10"


async def test_csv_export_has_bom_full_text_and_formula_guard(inq_gateway, data_dir, tmp_path):
    thread_id = await opened(inq_gateway)
    assert kairan(data_dir, "inquiry", "export", str(thread_id), str(tmp_path / "m.csv")).returncode == 0
    raw = (tmp_path / "m.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    text = raw.decode("utf-8-sig")
    assert "'=SUM(A1) 毛布は1,200枚です。" in text and "備蓄_青葉市.xlsx" in text


async def test_xlsx_export_has_matrix_and_every_answer(inq_gateway, data_dir, tmp_path):
    thread_id = await opened(inq_gateway)
    assert kairan(data_dir, "inquiry", "export", str(thread_id), str(tmp_path / "m.xlsx")).returncode == 0
    book = load_workbook(io.BytesIO((tmp_path / "m.xlsx").read_bytes()))
    assert book.sheetnames == ["回答状況", "全回答", "照会"]
    matrix = [[c.value for c in row] for row in book["回答状況"].iter_rows()]
    assert matrix[1][:3] == ["青葉市", "aoba", "回答済"]
    assert matrix[1][5].startswith("'=SUM(A1)")
    assert [r[1] for r in matrix[1:]] == ["aoba", "midori", "wakaba"]
    assert len(list(book["全回答"].iter_rows())) == 2
