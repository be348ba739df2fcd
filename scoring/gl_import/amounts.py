"""Amounts as accountants export them, read into exact decimals.

Accepted: ``1234.5``, ``1,234.50``, ``$1,234.50``, ``(1,234.50)`` and ``$(1,234.50)`` (negative),
``-1,234.50``, ``−1234.50`` (Unicode minus), ``1,234.50-`` (trailing minus), ``€``, ``£``,
``USD``/``EUR``/``GBP`` before or after, and, only when the file is read with a decimal comma,
``1.234,56`` / ``1 234,56`` / ``1234,56``. Thousands separators must group by three, so ``1,23.4`` or a
European number in a US-style file is refused, not guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

_PLAIN = re.compile(r"-?\d+(?:\.\d+)?")
_US = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+")
_EU = re.compile(r"(?:\d{1,3}(?:([. \u00a0\u202f'])\d{3})(?:\1\d{3})*|\d+)(?:,\d+)?|,\d+")
_SYMBOLS = ("$", "€", "£")
_CODES = ("USD", "EUR", "GBP")
_MARK_STARTS = frozenset(mark[0] for mark in (*_SYMBOLS, *_CODES))
_MARK_ENDS = frozenset(mark[-1] for mark in (*_SYMBOLS, *_CODES))
_MINUS = ("-", "\u2212", "\u2013")
_SPACES = " \t\u00a0\u202f"

# What a number's separators say about the file's style (signs and currency already removed).
_EU_SIGNAL = re.compile(r"\d{1,3}(?:\.\d{3})+,\d+|\d+,\d{1,2}|\d{1,3}(?:\.\d{3}){2,}")
_US_SIGNAL = re.compile(r"\d{1,3}(?:,\d{3})+\.\d+|\d+\.\d{1,2}|\d{1,3}(?:,\d{3}){2,}")
_NOT_NUMBER_PART = re.compile(r"[^\d.,]")


class AmountError(ValueError):
    """``str()`` is the reason, e.g. "'12,3x' is not an amount"."""


def parse_amount(text: str, *, decimal_comma: bool = False) -> Decimal:
    """The amount ``text`` shows; AmountError if it is blank or not an amount in the file's style."""
    stripped = text.strip(_SPACES)
    if not decimal_comma and _PLAIN.fullmatch(stripped):
        return _positive_zero(Decimal(stripped))
    if not stripped:
        raise AmountError("the amount is blank")
    negative, body = _split_sign(stripped)
    if body is None:
        raise AmountError(f"{text!r} is not an amount (more than one minus sign or parentheses)")
    value = _number(body, decimal_comma)
    if value is None:
        raise AmountError(_reason(text, body, decimal_comma))
    return _positive_zero(-value if negative else value)


def amount_from_number(value: int | float) -> Decimal:
    """A spreadsheet's numeric cell as a decimal, without binary-float noise past six places."""
    if isinstance(value, int):
        return Decimal(value)
    if value != value or value in (float("inf"), float("-inf")):
        raise AmountError(f"{value!r} is not an amount")
    exact = Decimal(repr(value))
    if exact.as_tuple().exponent < -6:  # type: ignore[operator]
        rounded = format(exact.quantize(Decimal("0.000001")), "f")
        exact = Decimal(rounded.rstrip("0").rstrip("."))
    return _positive_zero(exact)


def decide_decimal_comma(texts: Iterable[str]) -> bool:
    """True when some amounts can only be European (``1.234,56``, ``12,5``) and none can only be US-style."""
    european = False
    for text in texts:
        core = _NOT_NUMBER_PART.sub("", text)
        if not core:
            continue
        if _US_SIGNAL.fullmatch(core):
            return False
        if _EU_SIGNAL.fullmatch(core):
            european = True
    return european


def _split_sign(text: str) -> tuple[bool, str | None]:
    """(negative, the bare number) or (False, None) when the signs contradict each other."""
    marks = 0
    body = _strip_currency(text)
    if body.startswith("(") and body.endswith(")"):
        marks, body = marks + 1, _strip_currency(body[1:-1].strip(_SPACES))
    if body[:1] in _MINUS:
        marks, body = marks + 1, _strip_currency(body[1:].lstrip(_SPACES))
    elif body[:1] == "+":
        body = _strip_currency(body[1:].lstrip(_SPACES))
    if body[-1:] in _MINUS:
        marks, body = marks + 1, _strip_currency(body[:-1].rstrip(_SPACES))
    return (marks == 1, body) if marks <= 1 else (False, None)


def _strip_currency(text: str) -> str:
    if not text or (text[0] not in _MARK_STARTS and text[-1] not in _MARK_ENDS):
        return text
    for mark in (*_SYMBOLS, *_CODES):
        if text.startswith(mark):
            return text[len(mark):].lstrip(_SPACES)
        if text.endswith(mark):
            return text[: -len(mark)].rstrip(_SPACES)
    return text


def _number(body: str, decimal_comma: bool) -> Decimal | None:
    if decimal_comma:
        if not _EU.fullmatch(body):
            return None
        body = re.sub(r"[. \u00a0\u202f']", "", body).replace(",", ".")
    else:
        if not _US.fullmatch(body):
            return None
        body = body.replace(",", "")
    try:
        return Decimal(body)
    except InvalidOperation:  # pragma: no cover - the patterns only let decimal digits through
        return None


def _reason(text: str, body: str, decimal_comma: bool) -> str:
    if not decimal_comma and _EU.fullmatch(body) and "," in body:
        return f"{text!r} is not an amount (it looks European, 1.234,56, but the file uses 1,234.56)"
    if decimal_comma and _US.fullmatch(body):
        return f"{text!r} is not an amount (it looks US-style, 1,234.56, but the file uses 1.234,56)"
    return f"{text!r} is not an amount"


def _positive_zero(value: Decimal) -> Decimal:
    return value.copy_abs() if value.is_zero() else value
