"""How staff read dates and sizes, the same in mail, on pages and in exports."""

from __future__ import annotations

from datetime import date, datetime


WEEKDAYS_JA = "月火水木金土日"


def japanese_date(day: date) -> str:
    """2026年12月5日(土): how staff write a day, in mail and on pages alike."""
    return f"{day.year}年{day.month}月{day.day}日({WEEKDAYS_JA[day.weekday()]})"


def japanese_datetime(local: datetime) -> str:
    """2026年11月27日(金) 10:00 — `local` already in the reader's time zone."""
    return f"{japanese_date(local)} {local:%H:%M}"


def human_size(size: int | None, lang: str = "ja") -> str:
    """81 バイト, 12.3 KB, 2.0 MB; '' when the size is unknown (an attached message)."""
    if size is None:
        return ""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B" if lang == "en" else f"{size} バイト"
