"""Dates as staff read them: local time (Asia/Tokyo by default), `2026年11月27日(金) 10:00`."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from archive.formats import japanese_date, japanese_datetime

WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
JST = timezone(timedelta(hours=9), "JST")


def zone(name: str):
    """The named zone; Japan's fixed +09:00 when the system has no tz database."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return JST


def parse_moment(value) -> datetime | None:
    """A datetime from the archive's ISO strings (or a datetime); None for anything unreadable."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def format_datetime(value, lang: str = "ja", tz=JST) -> str:
    moment = parse_moment(value)
    if moment is None:
        return ""
    local = moment.astimezone(tz)
    if lang == "en":
        return (f"{WEEKDAYS_EN[local.weekday()]}, {local.day} {MONTHS_EN[local.month - 1]} {local.year} "
                f"{local:%H:%M}")
    return japanese_datetime(local)


def format_short(value, now: datetime, lang: str = "ja", tz=JST) -> str:
    """Lists: today's time alone (10:00), this year's date (11月27日), else the full date."""
    moment = parse_moment(value)
    if moment is None:
        return ""
    local, today = moment.astimezone(tz), now.astimezone(tz)
    if local.date() == today.date():
        return f"{local:%H:%M}"
    if local.year == today.year:
        return f"{local.day} {MONTHS_EN[local.month - 1]}" if lang == "en" else f"{local.month}月{local.day}日"
    return f"{local.year}/{local.month}/{local.day}"


def format_day(value, lang: str = "ja") -> str:
    """A calendar day (a deadline): `2026年12月5日(土)`, `Sat, 5 Dec 2026`; '' for none."""
    if value is None or not hasattr(value, "weekday"):
        return ""
    if lang == "en":
        return f"{WEEKDAYS_EN[value.weekday()]}, {value.day} {MONTHS_EN[value.month - 1]} {value.year}"
    return japanese_date(value)
