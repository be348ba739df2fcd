"""Deterministic 2025 wall-clock helpers: US time zones, business days, unix times."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone
from typing import Literal

Zone = Literal["pacific", "central", "eastern"]

_STANDARD_HOURS: dict[Zone, int] = {"pacific": -8, "central": -6, "eastern": -5}
_DST_START = date(2025, 3, 9)
_DST_END = date(2025, 11, 2)


def utc_offset_hours(zone: Zone, day: date) -> int:
    dst = 1 if _DST_START <= day < _DST_END else 0
    return _STANDARD_HOURS[zone] + dst


def git_tz(offset_hours: int) -> str:
    sign = "-" if offset_hours < 0 else "+"
    return f"{sign}{abs(offset_hours):02d}00"


def unix_time(day: date, hour: int, minute: int, second: int, offset_hours: int) -> int:
    tz = timezone(timedelta(hours=offset_hours))
    return int(datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=tz).timestamp())


def utc_unix(day: date, hour: int = 0, minute: int = 0, second: int = 0) -> int:
    return unix_time(day, hour, minute, second, 0)


def days_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def business_days(start: date, end: date) -> list[date]:
    return [d for d in days_between(start, end) if d.weekday() < 5]


def working_hour(rng: random.Random) -> int:
    if rng.random() < 0.08:
        return rng.choice((7, 8, 20, 21, 22, 23))
    return rng.choice((9, 10, 10, 11, 11, 12, 13, 14, 14, 15, 15, 16, 16, 17, 17, 18, 19))


def pick_day(rng: random.Random, start: date, end: date, weekend_chance: float = 0.05) -> date:
    if rng.random() < weekend_chance:
        return rng.choice(days_between(start, end))
    return rng.choice(business_days(start, end))
