"""Reading one spreadsheet cell: text normalisation and the number forms ablation tables use.

Accepted forms (after stripping footnote marks such as ``*``, ``†`` and markdown bold):
``0.625``, ``1,204`` (thousands separators), ``3e-5``, ``12.5%``, ``38 ms``, ``$1.20``,
``71.3 ± 0.4`` / ``71.3 +/- 0.4`` (the spread is dropped), and any of these followed by a
bracketed change: ``0.625(-32.8%)``, ``0.625 (−32.8%)``, ``0.61 [+3.1%]``, ``0.61 (↑3.1%)``.
A bracketed change without ``%`` (an absolute change or a standard deviation) is kept in ``raw``
only. ``—``, ``-``, ``n/a``, ``nan``, ``none`` and empty cells are absent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from evidence.parsers.ablation_types import Measurement

MISSING = frozenset(
    {"", "-", "--", "---", "—", "–", "n/a", "na", "n.a.", "nan", "none", "null", "?", "x", "/", "tbd"}
)
EXCEL_ERRORS = frozenset({"#div/0!", "#n/a", "#ref!", "#value!", "#name?", "#num!", "#null!"})

_NUM = r"[-+]?(?:[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_UNITS = r"%|ms|s|sec|secs|min|h|hr|hrs|gb|mb|kb|tb|x|×|tok/s|it/s|qps|usd"
_CELL = re.compile(
    rf"""^(?P<currency>\$)?\s*(?P<value>{_NUM})\s*(?P<unit>{_UNITS})?\s*
    (?:(?:±|\+/-|\+-)\s*{_NUM}\s*%?)?\s*
    (?:[(\[]\s*(?P<delta>[-+↑↓]?\s*{_NUM})\s*(?P<percent>%)?\s*[)\]])?$""",
    re.IGNORECASE | re.VERBOSE,
)
_MINUS = re.compile(r"[\u2212\u2013\u2012\u2014](?=\s*[\d.])")
_MARKS = re.compile(r"^[*_]+|[*_†‡§¶#^]+$")
_SPACES = re.compile(r"\s+")
_PLAIN = frozenset("0123456789.-+eE")
_CANONICAL_UNITS = {
    "×": "x", "sec": "s", "secs": "s", "hr": "h", "hrs": "h", "gb": "GB", "mb": "MB", "kb": "KB",
    "tb": "TB", "usd": "USD",
}


@dataclass(frozen=True)
class ParsedNumber:
    """A parsed cell: the measurement and the unit written in the cell, if any."""

    measurement: Measurement
    unit: str | None


def clean_text(value: str) -> str:
    """Collapse runs of whitespace (including newlines) and strip the ends."""
    return _SPACES.sub(" ", value).strip()


def is_missing(text: str) -> bool:
    """True for an empty cell or one of the usual "no value" marks."""
    return text.strip().lower() in MISSING


def is_excel_error(text: str) -> bool:
    return text.strip().lower() in EXCEL_ERRORS


@lru_cache(maxsize=2**16)
def parse_number(text: str) -> ParsedNumber | None:
    """The measurement a cell holds, or ``None`` if it holds no number (text, blank or a mark)."""
    if len(text) > 200 or is_missing(text):
        return None
    if _PLAIN.issuperset(text):  # the common case, and every number cell of an XLSX
        plain = _to_float(text)
        if plain is not None:
            return ParsedNumber(Measurement(value=plain, delta_pct=None, raw=text), None)
    body = _MARKS.sub("", _MINUS.sub("-", text.strip())).strip()
    match = _CELL.match(body)
    if match is None:
        return None
    value = _to_float(match["value"])
    if value is None:
        return None
    delta = _delta_pct(match["delta"], match["percent"])
    unit = "$" if match["currency"] else _unit(match["unit"])
    return ParsedNumber(Measurement(value=value, delta_pct=delta, raw=text.strip()), unit)


def parse_measurement(text: str) -> Measurement | None:
    """:func:`parse_number` without the unit."""
    parsed = parse_number(text)
    return None if parsed is None else parsed.measurement


def _to_float(number: str) -> float | None:
    try:
        value = float(number.replace(",", ""))
    except ValueError:
        return None
    return value if abs(value) != float("inf") else None


def _delta_pct(delta: str | None, percent: str | None) -> float | None:
    if delta is None or percent is None:
        return None
    sign = -1.0 if delta.lstrip().startswith("↓") else 1.0
    value = _to_float(delta.replace("↑", "").replace("↓", "").replace(" ", ""))
    return None if value is None else sign * value


def _unit(unit: str | None) -> str | None:
    if unit is None:
        return None
    lowered = unit.lower()
    return _CANONICAL_UNITS.get(lowered, lowered)
