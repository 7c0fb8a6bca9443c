"""The disposal register (廃棄簿) as CSV: UTF-8 with BOM, so Excel opens the Japanese as it is."""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

from archive.clock import from_iso
from archive.retention.disposal import RegisterEntry

HEADER = ("廃棄番号", "スペース", "スペース名", "スレッド番号", "件名", "保存期間", "最初の投稿", "最後の投稿",
          "保存期間満了日", "投稿数", "添付ファイル数", "承認者", "承認日時", "廃棄日時", "状態")
STATUS = {"approved": "承認済み（未廃棄）", "disposed": "廃棄済み", "held": "訴訟ホールドのため保留"}


def _local(value: str | None, zone: ZoneInfo) -> str:
    return from_iso(value).astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else ""


def register_csv(entries: list[RegisterEntry], timezone: str = "Asia/Tokyo") -> str:
    zone = ZoneInfo(timezone)
    out = io.StringIO()
    table = csv.writer(out, lineterminator="\r\n")
    table.writerow(HEADER)
    for e in entries:
        table.writerow((e.disposal_id, e.space_slug, e.space_title, e.thread_id, e.subject, e.retention,
                        _local(e.first_post, zone), _local(e.last_post, zone), e.expires, e.posts, e.attachments,
                        e.approved_by, _local(e.approved_at, zone), _local(e.disposed_at, zone),
                        STATUS.get(e.status, e.status)))
    return "\ufeff" + out.getvalue()
