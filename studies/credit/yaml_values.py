"""Reading one value of the what-if inputs file, naming the key when it is wrong."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from studies.credit.inputs import InvalidCreditInput


def mapping(value: Any, where: str, allowed: set[str]) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidCreditInput(where, "must be a mapping of keys to values")
    unknown = sorted(str(k) for k in value if k not in allowed)
    if unknown:
        prefix = "" if where == "(file)" else f"{where}."
        raise InvalidCreditInput(
            f"{prefix}{unknown[0]}", f"unknown key (known: {', '.join(sorted(allowed))})"
        )
    return value


def money(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise InvalidCreditInput(where, f"must be a number (got {value!r})")
    try:
        amount = Decimal(str(value).replace(",", "").replace("$", "").strip())
    except InvalidOperation:
        raise InvalidCreditInput(where, f"must be a number (got {value!r})") from None
    if not amount.is_finite():
        raise InvalidCreditInput(where, f"must be a finite number (got {value!r})")
    if amount < 0:
        raise InvalidCreditInput(where, f"must not be negative (got {value})")
    return amount


def optional_money(value: Any, where: str) -> Decimal | None:
    return None if value is None else money(value, where)


def whole_number(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidCreditInput(where, f"must be a whole number (got {value!r})")
    try:
        return int(value)
    except ValueError:
        raise InvalidCreditInput(where, f"must be a whole number (got {value!r})") from None


def flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidCreditInput(where, f"must be true or false (got {value!r})")
    return value


def text(value: Any, where: str) -> str:
    if not isinstance(value, str | int):
        raise InvalidCreditInput(where, f"must be text (got {value!r})")
    return str(value).strip()


def optional_text(value: Any, where: str) -> str | None:
    return None if value is None else text(value, where)
