"""Column mappings for layouts Fourpart does not know: proposed from the header names, checked before use."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from scoring.gl_import.errors import GLImportError, RowProblem
from scoring.gl_import.header import header_key, unique_names
from scoring.gl_import.lines import GLLine
from scoring.gl_import.raw import FIELDS

# Header keys that name each GL field, most specific first.
_ALIASES: dict[str, tuple[str, ...]] = {
    "company": ("company", "companyname", "entity", "entityname", "subsidiary", "organization",
                "organisation", "client", "clientname"),
    "industry": ("industry", "sector", "vertical", "subsector"),
    "date": ("date", "postingdate", "posteddate", "postdate", "transactiondate", "txndate", "entrydate",
             "journaldate", "glpostingdate", "effectivedate", "documentdate", "invoicedate",
             "accountingdate"),
    "account_number": ("accountnumber", "account#", "accountno", "acctno", "acct#", "accountcode", "glcode",
                       "glaccountnumber", "nominalcode", "glaccountcode", "accountid"),
    "account_name": ("accountname", "glaccountname", "accountdescription", "acctname", "accounttitle",
                     "nominalname", "ledgeraccountname"),
    "account": ("account", "glaccount", "ledgeraccount", "distributionaccount", "accountfullname", "nominal"),
    "account_type": ("accounttype", "accountcategory", "accountclass", "accountclassification", "category"),
    "vendor": ("vendor", "vendorname", "payee", "payeename", "supplier", "suppliername", "merchant",
               "counterparty", "contact", "contactname", "name"),
    "description": ("description", "memo", "memo/description", "linedescription", "linememo", "narration",
                    "narrative", "details", "transactiondescription", "lineitemdescription", "comment",
                    "comments"),
    "amount": ("amount", "netamount", "net", "transactionamount", "lineamount", "amountusd", "value",
               "signedamount", "amount(usd)", "amount($)"),
    "debit": ("debit", "debitamount", "dr", "debits", "debit(usd)"),
    "credit": ("credit", "creditamount", "cr", "credits", "credit(usd)"),
}
# Words that, inside a longer header ("Posting Date (UTC)"), still point at a field.
_CONTAINS = (("date", "date"), ("amount", "amount"), ("memo", "description"), ("description", "description"),
             ("vendor", "vendor"), ("payee", "vendor"), ("debit", "debit"), ("credit", "credit"))

REQUIRED = {
    "amount": ("amount", "debit", "credit"),
    "account": ("account", "account_number", "account_name"),
}
"""A usable mapping feeds an amount (or debit/credit) and an account (label, number or name)."""


@dataclass(frozen=True)
class ColumnMapping:
    """GL field → source column name as the header writes it; ``header_row`` is the header's 1-based row."""

    columns: dict[str, str]
    header_row: int
    sheet: str | None = None

    def missing(self) -> list[str]:
        return [need for need, fields in REQUIRED.items() if not any(f in self.columns for f in fields)]


@dataclass(frozen=True)
class PreviewRow:
    """A source row read with a mapping: the text each field gets, and the line or why there is none."""

    row_number: int
    values: dict[str, str]
    line: GLLine | None
    problems: list[RowProblem] = field(default_factory=list)


@dataclass(frozen=True)
class MappingProposal:
    header: list[str]
    mapping: ColumnMapping
    preview: list[PreviewRow]

    @property
    def missing(self) -> list[str]:
        return self.mapping.missing()


def suggest_mapping(header: Sequence[str], *, header_row: int = 1, sheet: str | None = None) -> ColumnMapping:
    """A proposal from header names alone; a person confirms or corrects it."""
    names = unique_names([name.strip() for name in header])
    keys = [header_key(name) if name.strip() else "" for name in header]
    chosen: dict[str, str] = {}
    used: set[int] = set()
    for target, aliases in _ALIASES.items():
        for alias in aliases:
            index = next((i for i, key in enumerate(keys) if key == alias and i not in used), None)
            if index is not None:
                chosen[target] = names[index]
                used.add(index)
                break
    for word, target in _CONTAINS:
        if target not in chosen:
            index = next((i for i, key in enumerate(keys) if word in key and i not in used), None)
            if index is not None:
                chosen[target] = names[index]
                used.add(index)
    return ColumnMapping(_settle(chosen), header_row, sheet)


def column_indexes(mapping: ColumnMapping, header: Sequence[str], name: str) -> dict[str, int]:
    """GL field → column index for a confirmed mapping; GLImportError naming what does not fit."""
    names = unique_names(list(header))
    by_key = {header_key(label): index for index, label in reversed(list(enumerate(names)))}
    indexes: dict[str, int] = {}
    problems = []
    for target, column in mapping.columns.items():
        if target not in FIELDS:
            problems.append(f"{target!r} is not a GL field (one of {', '.join(FIELDS)})")
            continue
        index = names.index(column) if column in names else by_key.get(header_key(column))
        if index is None:
            problems.append(f"column {column!r} (for {target}) is not in the header row {mapping.header_row}")
        else:
            indexes[target] = index
    problems += [f"no column is mapped to the {need}" for need in mapping.missing()]
    if problems:
        raise GLImportError(name, [RowProblem(None, "mapping", problem) for problem in problems])
    return indexes


def _settle(chosen: dict[str, str]) -> dict[str, str]:
    """Resolve overlaps: a signed amount beats debit/credit; "Account" beside "Account Name" is the number."""
    if "amount" in chosen:
        chosen.pop("debit", None)
        chosen.pop("credit", None)
    if "account" in chosen:
        if "account_number" in chosen and "account_name" in chosen:
            chosen.pop("account")
        elif "account_name" in chosen:
            chosen["account_number"] = chosen.pop("account")
    return {target: chosen[target] for target in FIELDS if target in chosen}
