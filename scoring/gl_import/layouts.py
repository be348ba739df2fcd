"""The layouts recognised from their header row, and which source column feeds which GL field.

Aliases are header keys (see :func:`header_key`) in order of preference. Detection looks at the first rows
for a header matching a layout's signature: canonical first, then Xero (its "Source" column), then QuickBooks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scoring.gl_import.errors import GLImportError
from scoring.gl_import.header import SCAN_ROWS, header_key
from scoring.gl_import.lines import CANONICAL_COLUMNS, GLFormat
from scoring.gl_import.table import Table


@dataclass(frozen=True)
class Layout:
    format: GLFormat
    aliases: dict[str, tuple[str, ...]]
    signature: Callable[[set[str]], bool]

    def assign(self, keys: Sequence[str]) -> dict[str, int]:
        """GL field → index of the source column feeding it (each column used once)."""
        columns: dict[str, int] = {}
        for role, aliases in self.aliases.items():
            for alias in aliases:
                taken = set(columns.values())
                index = next((i for i, key in enumerate(keys) if key == alias and i not in taken), None)
                if index is not None:
                    columns[role] = index
                    break
        if "debit" in columns and "credit" in columns:
            columns.pop("amount", None)
        else:
            columns.pop("debit", None)
            columns.pop("credit", None)
        return columns


@dataclass(frozen=True)
class Detected:
    layout: Layout
    header_index: int
    columns: dict[str, int]


def _canonical(keys: set[str]) -> bool:
    return all(header_key(column) in keys for column in CANONICAL_COLUMNS)


def _has_amount(keys: set[str]) -> bool:
    return "amount" in keys or {"debit", "credit"} <= keys


def _xero(keys: set[str]) -> bool:
    return "date" in keys and "source" in keys and (_has_amount(keys) or bool({"net", "gross"} & keys))


def _quickbooks(keys: set[str]) -> bool:
    dated = bool({"date", "transactiondate"} & keys)
    typed = bool({"transactiontype"} & keys) or {"type", "split"} <= keys
    return dated and typed and _has_amount(keys)


_ACCOUNT_FIELDS = {
    "account": ("distributionaccount", "account", "accountfullname"),
    "account_number": ("account#", "accountnumber", "accountcode", "distributionaccountnumber", "acctno"),
    "account_name": ("accountname", "distributionaccountname"),
    "account_type": ("accounttype", "distributionaccounttype"),
}

CANONICAL = Layout("canonical", {column: (header_key(column),) for column in CANONICAL_COLUMNS}, _canonical)

XERO = Layout("xero", {
    "date": ("date",),
    "vendor": ("contact", "contactname"),
    "description": ("description",),
    "amount": ("net", "amount", "gross"),
    "debit": ("debit",),
    "credit": ("credit",),
    **_ACCOUNT_FIELDS,
}, _xero)

QUICKBOOKS = Layout("quickbooks", {
    "date": ("date", "transactiondate"),
    "vendor": ("name", "vendor", "payee"),
    "description": ("memo/description", "memo", "description"),
    "amount": ("amount",),
    "debit": ("debit",),
    "credit": ("credit",),
    **_ACCOUNT_FIELDS,
}, _quickbooks)

LAYOUTS = (CANONICAL, XERO, QUICKBOOKS)


def detect_layout(table: Table, name: str) -> Detected | None:
    """The first known header among the table's first rows, or None."""
    for index, (number, cells) in enumerate(table.rows[:SCAN_ROWS]):
        keys = [header_key(cell) for cell in cells]
        keyset = set(keys)
        for layout in LAYOUTS:
            if layout.signature(keyset):
                if layout is CANONICAL:
                    _refuse_duplicates(keys, name, number)
                return Detected(layout, index, layout.assign(keys))
    return None


def _refuse_duplicates(keys: list[str], name: str, row_number: int) -> None:
    for column in CANONICAL_COLUMNS:
        if keys.count(header_key(column)) > 1:
            reason = f"row {row_number}: column {column!r} appears twice in the header"
            raise GLImportError.whole_file(name, reason)
