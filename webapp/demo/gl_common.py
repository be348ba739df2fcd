"""Shared pieces of the general-ledger generators: the line type, dates, money."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import date, timedelta

from webapp.demo.clock import business_days, days_between

YEAR = 2025


@dataclass(frozen=True)
class GlLine:
    day: date
    account: str
    vendor: str
    description: str
    cents: int


def cents(dollars: float) -> int:
    return round(dollars * 100)


def format_cents(value: int) -> str:
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value) // 100}.{abs(value) % 100:02d}"


def split_cents(total: int, parts: int, rng: random.Random, spread: float = 0.25) -> list[int]:
    """``parts`` positive amounts that add up to exactly ``total`` cents."""
    weights = [1.0 + rng.uniform(-spread, spread) for _ in range(parts)]
    scale = total / sum(weights)
    amounts = [int(w * scale) for w in weights]
    amounts[-1] += total - sum(amounts)
    return amounts


def month_start(month: int) -> date:
    return date(YEAR, month, 1)


def month_end(month: int) -> date:
    return date(YEAR, 12, 31) if month == 12 else date(YEAR, month + 1, 1) - timedelta(days=1)


def on_or_before_business_day(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def nth_business_day(month: int, n: int) -> date:
    return business_days(month_start(month), month_end(month))[n - 1]


def random_day(rng: random.Random, start: date, end: date, weekend_chance: float = 0.1) -> date:
    if rng.random() < weekend_chance:
        return rng.choice(days_between(start, end))
    return rng.choice(business_days(start, end))


def code(rng: random.Random, length: int = 9) -> str:
    return "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(length))


def amount(rng: random.Random, low: float, high: float) -> int:
    """A dollar amount skewed towards ``low``, as card spend is."""
    return cents(low + (high - low) * rng.random() ** 2)
