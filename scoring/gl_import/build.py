"""Raw rows into :class:`GLLine` values, with the file's conventions decided once from all its rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from scoring.gl_import.accounts import split_account_label
from scoring.gl_import.amounts import AmountError, amount_from_number, decide_decimal_comma, parse_amount
from scoring.gl_import.cells import Cell, cell_text, is_blank
from scoring.gl_import.dates import DateError, date_from_cell, decide_day_first, parse_date
from scoring.gl_import.errors import ProblemLog
from scoring.gl_import.lines import GLLine
from scoring.gl_import.raw import RawFile, RawLine

_AMOUNT_FIELDS = ("amount", "debit", "credit")


@dataclass(frozen=True)
class Conventions:
    """How the whole file writes numeric dates and decimals."""

    day_first: bool = False
    decimal_comma: bool = False


@dataclass(frozen=True)
class Defaults:
    """Values for fields a file leaves blank (reports name no industry; a mapped file may name no company)."""

    company: str = ""
    industry: str = ""


def decide_conventions(raw: RawFile, day_first: bool | None, decimal_comma: bool | None) -> Conventions:
    if day_first is None:
        day_first = decide_day_first(_texts(raw, ("date",)))
    if decimal_comma is None:
        decimal_comma = decide_decimal_comma(_texts(raw, _AMOUNT_FIELDS))
    return Conventions(day_first=day_first, decimal_comma=decimal_comma)


def build_lines(raw: RawFile, conventions: Conventions, defaults: Defaults, log: ProblemLog) -> list[GLLine]:
    lines = []
    for line in raw.lines:
        built = build_line(line, raw, conventions, defaults, log)
        if built is not None:
            lines.append(built)
    return lines


def build_line(line: RawLine, raw: RawFile, conventions: Conventions, defaults: Defaults,
               log: ProblemLog) -> GLLine | None:
    """The line, or None after logging every problem the row has."""
    before = len(log)
    values = line.values
    amount = _amount(line, raw, conventions, log)
    posted_on = _date(line, raw, conventions, log)
    number, name = _account(values)
    if not number and not name:
        column = raw.column_names.get("account_name") or raw.column_names.get("account") or "account_name"
        log.add(line.row_number, column, "no account (both account number and name are blank)")
    if len(log) > before or amount is None:
        return None
    return GLLine(
        row_number=line.row_number,
        company=_text(values.get("company")) or raw.company or defaults.company,
        industry=_text(values.get("industry")) or defaults.industry,
        posted_on=posted_on,
        account_number=number,
        account_name=name,
        account_type=_text(values.get("account_type")),
        vendor=_text(values.get("vendor")),
        description=_text(values.get("description")),
        amount=amount,
        extra=line.extra,
    )


def _amount(line: RawLine, raw: RawFile, conventions: Conventions, log: ProblemLog) -> Decimal | None:
    values = line.values
    if "amount" in values or ("debit" not in values and "credit" not in values):
        column = raw.column_names.get("amount", "amount")
        return _one_amount(values.get("amount"), line.row_number, column, conventions, log, required=True)
    row, debit_column = line.row_number, raw.column_names.get("debit", "debit")
    credit_column = raw.column_names.get("credit", "credit")
    if is_blank(values.get("debit")) and is_blank(values.get("credit")):
        log.add(row, debit_column, f"no amount (both {debit_column} and {credit_column} are blank)")
        return None
    debit = _one_amount(values.get("debit"), row, debit_column, conventions, log, required=False)
    credit = _one_amount(values.get("credit"), row, credit_column, conventions, log, required=False)
    if debit is None or credit is None:
        return None
    return debit - credit


def _one_amount(value: Cell, row: int, column: str, conventions: Conventions, log: ProblemLog,
                *, required: bool) -> Decimal | None:
    try:
        if isinstance(value, str):
            if not required and not value.strip():
                return Decimal(0)
            return parse_amount(value, decimal_comma=conventions.decimal_comma)
        if value is None:
            if required:
                raise AmountError("the amount is blank")
            return Decimal(0)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return amount_from_number(value)
        raise AmountError(f"{cell_text(value)!r} is not an amount")
    except AmountError as exc:
        log.add(row, column, str(exc))
        return None


def _date(line: RawLine, raw: RawFile, conventions: Conventions, log: ProblemLog) -> dt.date | None:
    value = line.values.get("date")
    column = raw.column_names.get("date", "date")
    if is_blank(value):
        if raw.date_required:
            log.add(line.row_number, column, "the date is blank")
        return None
    try:
        if isinstance(value, str):
            return parse_date(value, day_first=conventions.day_first)
        if isinstance(value, dt.date | int | float) and not isinstance(value, bool):
            return date_from_cell(value)
        raise DateError(f"{cell_text(value)!r} is not a date")
    except DateError as exc:
        log.add(line.row_number, column, str(exc))
        return None


def _account(values: dict[str, Cell]) -> tuple[str, str]:
    number, name = _text(values.get("account_number")), _text(values.get("account_name"))
    label = _text(values.get("account"))
    if label and not (number and name):
        label_number, label_name = split_account_label(label)
        number, name = number or label_number, name or label_name
    return number, name


def _text(value: Cell) -> str:
    return value.strip() if isinstance(value, str) else cell_text(value).strip()


def _texts(raw: RawFile, fields: tuple[str, ...]) -> Iterator[str]:
    for line in raw.lines:
        for name in fields:
            value = line.values.get(name)
            if isinstance(value, str) and value:
                yield value
