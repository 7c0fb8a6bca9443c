"""Retention classes and the one rule for when a thread's period ends.

A class is 1y, 3y, 5y, 10y, 30y or permanent. By the usual rule for public records
the period runs from the April 1 after the thread's last post (the start of the next
fiscal year, in the deployment's zone); `count_from = "last_post"` counts from the day
of the last post instead. `expires` is the first day on which the thread may be disposed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from archive.errors import Invalid

YEARS = {"1y": 1, "3y": 3, "5y": 5, "10y": 10, "30y": 30, "permanent": None}
CLASSES = tuple(YEARS)
COUNT_FROM = ("fiscal_year", "last_post")
PERMANENT = "permanent"


@dataclass(frozen=True)
class RetentionPolicy:
    """The deployment's rule (kairan.toml [retention])."""
    default: str = PERMANENT
    count_from: str = "fiscal_year"
    zone: str = "Asia/Tokyo"


def check_class(value: str) -> str:
    value = (value or "").strip().lower()
    if value not in YEARS:
        raise Invalid(f"retention class {value!r} is not one of {', '.join(CLASSES)}")
    return value


def check_count_from(value: str) -> str:
    if value not in COUNT_FROM:
        raise Invalid(f"retention count_from {value!r} is not one of {', '.join(COUNT_FROM)}")
    return value


def _plus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:                      # February 29 → February 28
        return day.replace(year=day.year + years, day=28)


def fiscal_start_after(day: date) -> date:
    """The April 1 after this day (a post on April 1 belongs to that fiscal year)."""
    return date(day.year + 1 if (day.month, day.day) >= (4, 1) else day.year, 4, 1)


def expires(last_post_utc: datetime, retention: str, policy: RetentionPolicy) -> date | None:
    """The first day the thread may be disposed; None for permanent."""
    years = YEARS[retention]
    if years is None:
        return None
    local = last_post_utc.astimezone(ZoneInfo(policy.zone)).date()
    if policy.count_from == "fiscal_year":
        return _plus_years(fiscal_start_after(local), years)
    return _plus_years(local, years) + timedelta(days=1)


def cutoff(as_of: datetime, retention: str, policy: RetentionPolicy) -> datetime | None:
    """Threads of this class whose last post is before this instant are due on `as_of`.

    The inverse of `expires` (tests check they agree), so the due list is one indexed query.
    """
    years = YEARS[retention]
    if years is None:
        return None
    zone = ZoneInfo(policy.zone)
    today = as_of.astimezone(zone).date()
    back = _plus_years(today, -years)
    if policy.count_from == "fiscal_year":
        april = date(back.year if (back.month, back.day) >= (4, 1) else back.year - 1, 4, 1)
        return datetime.combine(april, time(0), zone)
    return datetime.combine(back, time(0), zone)
