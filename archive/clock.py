"""Time as the archive stores it: ISO-8601 UTC strings, sortable as text."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Callable

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


def to_iso(moment: datetime) -> str:
    """UTC, second precision, 'Z' suffix: equal instants give equal strings."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_iso(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


WEEKDAYS_JA = "月火水木金土日"


def japanese_date(day: date) -> str:
    """2026年12月5日(土): how staff write a day, in mail and on pages alike."""
    return f"{day.year}年{day.month}月{day.day}日({WEEKDAYS_JA[day.weekday()]})"


def japanese_datetime(local: datetime) -> str:
    """2026年11月27日(金) 10:00 — `local` already in the reader's time zone."""
    return f"{japanese_date(local)} {local:%H:%M}"
