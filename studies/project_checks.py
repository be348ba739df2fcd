"""Checking what a person typed about a project before anything is written.

A :class:`Checks` collects one message per bad field, so a form can show every problem at
once next to its field; :meth:`Checks.done` raises :class:`InvalidInput` if any was found.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

NAME_LIMIT = 200
CODE_LIMIT = 60
VENDOR_LIMIT = 120
TEXT_LIMIT = 20_000
METRIC_KEY_LIMIT = 100
METRIC_VALUE_LIMIT = 200
METRICS_LIMIT = 100
MAX_NUMBER = Decimal("999999999999.99")  # fits every Money column
EARLIEST, LATEST = dt.date(1950, 1, 1), dt.date(2100, 12, 31)

# Tab, newline and carriage return are text; other control characters are not (PostgreSQL
# refuses NUL outright, and the rest are invisible on the page and in the package).
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

E = TypeVar("E", bound=enum.Enum)


class InvalidInput(ValueError):
    """Input that cannot be saved; ``errors`` maps each bad field to what is wrong with it."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors.items()))


class Checks:
    """One message per field; the first problem found in a field is the one reported."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def fail(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def done(self) -> None:
        if self.errors:
            raise InvalidInput(self.errors)

    def text(self, field: str, value: str | None, label: str, *, required: bool = False,
             limit: int = TEXT_LIMIT) -> str:
        text = (value or "").strip()
        if required and not text:
            self.fail(field, f"{label} is required.")
        elif len(text) > limit:
            self.fail(field, f"{label} is {len(text):,} characters long; the limit is {limit:,}.")
        elif CONTROL_RE.search(text):
            self.fail(field, f"{label} contains control characters; type plain text.")
        return text

    def optional_text(self, field: str, value: str | None, label: str, *, limit: int) -> str | None:
        return self.text(field, value, label, limit=limit) or None

    def choice(self, field: str, value: Any, kind: type[E], label: str) -> E | None:
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(str(member.value) for member in kind)
            self.fail(field, f"{label} {value!r} is not one of: {allowed}.")
            return None

    def date(self, field: str, value: dt.date | None, label: str, *,
             required: bool = False) -> dt.date | None:
        if value is None:
            if required:
                self.fail(field, f"{label} is required.")
            return None
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            self.fail(field, f"{label} must be a date (YYYY-MM-DD).")
            return None
        if not EARLIEST <= value <= LATEST:
            self.fail(field, f"{label} {value.isoformat()} is not between {EARLIEST.year} and {LATEST.year}.")
            return None
        return value

    def number(self, field: str, text: str | None, label: str, *, limit: Decimal = MAX_NUMBER,
               required: bool = True) -> Decimal | None:
        """A typed figure ("1,250", "$3,900.50", "75%") from 0 to ``limit``, to the cent."""
        cleaned = (text or "").replace(",", "").replace("$", "").removesuffix("%").strip()
        if not cleaned:
            if required:
                self.fail(field, f"{label} is required.")
            return None
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            self.fail(field, f"{label} {text!r} is not a number.")
            return None
        if not value.is_finite() or value > limit:
            self.fail(field, f"{label} must be at most {limit:,}.")
            return None
        if value < 0:
            self.fail(field, f"{label} cannot be negative.")
            return None
        return value.quantize(Decimal("0.01"))

    def in_order(self, start: dt.date | None, end: dt.date | None, end_field: str, end_label: str,
                 start_label: str) -> None:
        if start is not None and end is not None and end < start:
            self.fail(end_field, f"{end_label} {end.isoformat()} is before the {start_label} "
                                 f"{start.isoformat()}.")


def checked_metrics(checks: Checks, field: str, metrics: Mapping[str, Any] | None) -> dict[str, Any]:
    """Metric names to numbers or short texts; the first bad entry is reported by name."""
    found: dict[str, Any] = {}
    for key, value in (metrics or {}).items():
        problem = _metric_problem(key, value)
        if problem:
            checks.fail(field, problem)
            return {}
        found[key.strip()] = value.strip() if isinstance(value, str) else value
    if len(found) > METRICS_LIMIT:
        checks.fail(field, f"{len(found)} metrics given; the limit is {METRICS_LIMIT}.")
    return found


def _metric_problem(key: Any, value: Any) -> str | None:
    if not isinstance(key, str) or not key.strip():
        return "Each metric needs a name."
    name = key.strip()
    if len(name) > METRIC_KEY_LIMIT or CONTROL_RE.search(name):
        return f"Metric name {name[:40]!r} is too long or holds control characters."
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return f"Metric {name!r}: give a number or a short text."
    if isinstance(value, float) and not math.isfinite(value):
        return f"Metric {name!r}: {value} is not a finite number."
    if isinstance(value, str) and (not value.strip() or len(value.strip()) > METRIC_VALUE_LIMIT
                                   or CONTROL_RE.search(value)):
        return f"Metric {name!r}: give a value of 1 to {METRIC_VALUE_LIMIT} plain characters."
    return None


def parse_metrics(text: str) -> dict[str, Any]:
    """``name = value`` (or ``name: value``) per line into a dict; numbers become numbers.

    Raises :class:`InvalidInput` on field ``metrics`` naming the line that cannot be read.
    """
    found: dict[str, Any] = {}
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        name, sep, value = _split_metric(line)
        if not sep or not name or not value:
            raise InvalidInput({"metrics": f"Metrics line {number}: write one 'name = value' per line "
                                           f"(read {line[:60]!r})."})
        if name in found:
            raise InvalidInput({"metrics": f"Metrics line {number}: {name!r} is given twice."})
        found[name] = _number_or_text(value)
    return found


def _split_metric(line: str) -> tuple[str, str, str]:
    name, sep, value = line.partition("=")
    if not sep:
        name, sep, value = line.partition(":")
    return name.strip(), sep, value.strip()


def _number_or_text(value: str) -> int | float | str:
    try:
        return int(value)
    except ValueError:
        pass
    try:
        number = float(value)
    except ValueError:
        return value
    return number if math.isfinite(number) else value


def format_metrics(metrics: Mapping[str, Any] | None) -> str:
    return "\n".join(f"{name} = {value}" for name, value in (metrics or {}).items())
