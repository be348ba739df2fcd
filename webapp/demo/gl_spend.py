"""Day-to-day spend as it arrives from bank and card feeds: APIs, travel, meals, supplies."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from webapp.demo.gl_common import (
    YEAR,
    GlLine,
    amount,
    cents,
    code,
    month_end,
    nth_business_day,
    random_day,
)

Describe = Callable[[random.Random], str]


@dataclass(frozen=True)
class CardPattern:
    account: str
    vendor: str
    describe: Describe
    low: float
    high: float
    count: int
    start: date = date(YEAR, 1, 2)
    end: date = date(YEAR, 12, 31)
    weekend_chance: float = 0.05


def _fixed(text: str) -> Describe:
    return lambda rng: text


def _coded(prefix: str, length: int = 9, suffix: str = "") -> Describe:
    return lambda rng: f"{prefix}{code(rng, length)}{suffix}"


def _flight(carrier: str, prefix: str) -> Describe:
    routes = ("SFO-JFK", "SFO-BOS", "SFO-ORD", "SFO-IAD", "SFO-SEA", "SFO-YYZ", "OAK-LAX", "SFO-AUS")
    return lambda rng: f"{carrier} {prefix}{rng.randint(10**9, 10**10 - 1)} {rng.choice(routes)}"


def _api_patterns() -> tuple[CardPattern, ...]:
    return (
        CardPattern("6130", "OpenAI", _fixed("OpenAI API - production inference"), 1000, 2500, 220),
        CardPattern("6130", "OpenAI", _coded("OPENAI *API ", 6), 500, 1000, 60),
        CardPattern(
            "6130",
            "OpenAI",
            _fixed("OpenAI API - eval harness batch"),
            250,
            1500,
            42,
            date(YEAR, 4, 1),
            date(YEAR, 9, 30),
        ),
        CardPattern(
            "6130",
            "OpenAI",
            _fixed("OpenAI API - quickbrief summaries"),
            300,
            900,
            30,
            date(YEAR, 6, 9),
            date(YEAR, 12, 31),
        ),
        CardPattern("6130", "Anthropic", _fixed("Anthropic API - production inference"), 500, 2000, 120),
        CardPattern(
            "6130",
            "Anthropic",
            _fixed("Anthropic API - verdict judge experiments"),
            200,
            900,
            9,
            date(YEAR, 3, 20),
            date(YEAR, 4, 25),
        ),
        CardPattern(
            "6130",
            "Anthropic",
            _fixed("Anthropic API - citerag query decomposition"),
            150,
            700,
            26,
            date(YEAR, 5, 5),
            date(YEAR, 10, 31),
        ),
    )


def _travel_patterns() -> tuple[CardPattern, ...]:
    return (
        CardPattern("6500", "Uber", _fixed("UBER *TRIP HELP.UBER.COM CA"), 12, 75, 330, weekend_chance=0.2),
        CardPattern("6500", "Lyft", _fixed("LYFT *RIDE SAN FRANCISCO CA"), 11, 60, 80, weekend_chance=0.2),
        CardPattern("6500", "Delta", _flight("DELTA AIR", "006"), 350, 900, 30),
        CardPattern("6500", "United", _flight("UNITED", "016"), 330, 880, 20),
        CardPattern("6500", "Alaska Airlines", _flight("ALASKA AIR", "027"), 180, 520, 12),
        CardPattern("6500", "Marriott", _fixed("MARRIOTT NEW YORK MARQUIS"), 280, 1200, 18),
        CardPattern("6500", "Hilton", _fixed("HILTON BOSTON BACK BAY"), 260, 950, 12),
        CardPattern("6500", "Hyatt", _fixed("HYATT REGENCY WASHINGTON"), 240, 900, 8),
        CardPattern("6500", "Airbnb", _coded("AIRBNB * HM", 8), 400, 1800, 6),
        CardPattern("6500", "Hertz", _fixed("HERTZ RENT-A-CAR"), 120, 480, 6),
    )


_RESTAURANTS = ("STATE BIRD PROVISIONS", "NOPA", "ZUNI CAFE", "BURMA SUPERSTAR", "FOREIGN CINEMA")


def _meal_patterns() -> tuple[CardPattern, ...]:
    return (
        CardPattern(
            "6600",
            "DoorDash",
            lambda r: f"DOORDASH*{r.choice(('SWEETGREEN', 'TARTINE', 'SOUVLA', 'DUMPLING TIME', 'HRD'))}",
            25,
            420,
            180,
            weekend_chance=0.15,
        ),
        CardPattern("6600", "Uber Eats", _fixed("UBER *EATS PENDING"), 18, 260, 150, weekend_chance=0.15),
        CardPattern("6600", "Blue Bottle Coffee", _fixed("BLUE BOTTLE COFFEE SAN FRANCISCO CA"), 5, 42, 170),
        CardPattern(
            "6600", "Sightglass Coffee", _fixed("SQ *SIGHTGLASS COFFEE San Francisco CA"), 5, 38, 130
        ),
        CardPattern("6600", "Sweetgreen", _fixed("SWEETGREEN FIDI"), 14, 95, 130),
        CardPattern("6600", "Philz Coffee", _fixed("PHILZ COFFEE FRONT ST"), 5, 40, 120),
        CardPattern("6600", "Costco", _fixed("COSTCO WHSE #0144 - office snacks"), 180, 620, 24),
        CardPattern(
            "6600",
            "Various restaurants",
            lambda r: f"SQ *{r.choice(_RESTAURANTS)} - team dinner",
            300,
            1500,
            50,
        ),
    )


def _office_patterns() -> tuple[CardPattern, ...]:
    return (
        CardPattern("6900", "Amazon", _coded("AMZN Mktp US*"), 9, 400, 300, weekend_chance=0.2),
        CardPattern("6900", "Staples", _fixed("STAPLES 00114"), 15, 220, 20),
        CardPattern("6900", "The Home Depot", _fixed("THE HOME DEPOT #0601"), 20, 260, 6),
        CardPattern("6910", "Apple", _fixed("APPLE STORE #R075 - MacBook Pro 16 M4 Max"), 3500, 4500, 10),
        CardPattern("6910", "B&H Photo", _fixed("B&H PHOTO 800-606-6969 - monitors"), 300, 1400, 4),
        CardPattern("6700", "Google Ads", _coded("GOOGLE *ADS", 10), 400, 2500, 52),
        CardPattern("6700", "LinkedIn", _coded("LINKEDIN ADS ", 8), 500, 3000, 24),
        CardPattern("6700", "Printful", _fixed("PRINTFUL INC - swag"), 250, 1800, 6),
    )


def _from_pattern(rng: random.Random, pattern: CardPattern) -> list[GlLine]:
    return [
        GlLine(
            random_day(rng, pattern.start, pattern.end, pattern.weekend_chance),
            pattern.account,
            pattern.vendor,
            pattern.describe(rng),
            amount(rng, pattern.low, pattern.high),
        )
        for _ in range(pattern.count)
    ]


def _refunds(rng: random.Random, lines: list[GlLine]) -> list[GlLine]:
    refundable = [line for line in lines if line.account in ("6500", "6600", "6900")]
    refunds = []
    for line in rng.sample(refundable, 36):
        share = rng.choice((1.0, 1.0, 0.5, 0.25))
        day = date.fromordinal(min(line.day.toordinal() + rng.randint(2, 12), date(YEAR, 12, 31).toordinal()))
        text = f"{line.description} RETURN" if line.account == "6900" else f"REFUND {line.description}"
        refunds.append(GlLine(day, line.account, line.vendor, text, -int(line.cents * share)))
    return refunds


def _early_eval_charges(rng: random.Random) -> list[GlLine]:
    """Q1 eval-harness API spend, first booked to subscriptions and reclassed in April."""
    charges = [
        GlLine(
            random_day(rng, date(YEAR, 2, 10), date(YEAR, 3, 31)),
            "6200",
            "OpenAI",
            "OpenAI API - eval harness batch",
            amount(rng, 250, 1200),
        )
        for _ in range(14)
    ]
    total = sum(c.cents for c in charges)
    day = nth_business_day(4, 21)
    text = (
        "JE-2025-04-022 Reclass Q1 OpenAI eval harness usage from Software Subscriptions to AI/LLM API Usage"
    )
    return [*charges, GlLine(day, "6200", "OpenAI", text, -total), GlLine(day, "6130", "OpenAI", text, total)]


def _card_payments(lines: list[GlLine]) -> list[GlLine]:
    payments = []
    for month in range(1, 13):
        spent = sum(line.cents for line in lines if line.day.month == month)
        day = nth_business_day(month + 1, 3) if month < 12 else month_end(12)
        text = f"AMEX EPAYMENT ACH PMT - statement {date(YEAR, month, 1):%b %Y}"
        payments.append(GlLine(day, "2000", "American Express", text, -spent))
        payments.append(GlLine(day, "1000", "American Express", text, -spent))
    return payments


def card_spend(rng: random.Random) -> list[GlLine]:
    patterns = _api_patterns() + _travel_patterns() + _meal_patterns() + _office_patterns()
    lines = [line for pattern in patterns for line in _from_pattern(rng, pattern)]
    lines += _refunds(rng, lines)
    lines += _early_eval_charges(rng)
    lines.append(
        GlLine(
            nth_business_day(3, 12),
            "6910",
            "Central Computers",
            "CENTRAL COMPUTERS - 2x RTX 4090 workstation (citerag embeddings)",
            cents(9800),
        )
    )
    return lines + _card_payments(lines)
