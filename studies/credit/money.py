"""Rounding and formatting shared by the engine: cents, half up, as forms and CPAs expect."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def rate(value: Decimal, places: int = 4) -> Decimal:
    """A fraction rounded half up (4 places: to 1/100th of 1 percent, §41(c)(3)(C))."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def dollars(value: Decimal) -> str:
    return f"{cents(value):,.2f}"


def percent_text(fraction: Decimal) -> str:
    return f"{(fraction * 100).normalize():f}%"
