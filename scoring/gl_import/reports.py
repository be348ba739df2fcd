"""Accounting-package reports grouped by account: QuickBooks Online "General Ledger", Xero "General Ledger
Detail" and "Account Transactions".

Above the header: title rows (company, report name, period). Below it, per account: a section row with the
account label alone in the first column ("6120 Cloud Hosting", "Advertising (600)"), sub-account sections
nested inside it (QuickBooks), an optional "Beginning Balance" / "Opening Balance" row, the postings, a
"Total for ..." / "Total ..." row and an optional "Closing Balance" row. Then a grand "TOTAL" and footer rows
("Accrual basis Monday, March 3, 2025 ..."). Only the postings become lines; each takes its account from the
innermost open section unless the report has an account column of its own.
"""

from __future__ import annotations

import re

from scoring.gl_import.cells import Cell, cell_text, is_blank
from scoring.gl_import.dates import DateError, date_from_cell, parse_date
from scoring.gl_import.errors import ProblemLog
from scoring.gl_import.header import header_names, unique_names
from scoring.gl_import.layouts import Detected
from scoring.gl_import.raw import RawFile, RawLine
from scoring.gl_import.table import Table

_BALANCE_LABELS = {"beginning balance", "opening balance", "closing balance", "ending balance"}
_GRAND_TOTALS = {"total", "grand total", "totals"}
_FOOTER = re.compile(r"(accrual|cash)\s+basis\b", re.IGNORECASE)
_REPORT_TITLES = {
    "general ledger", "general ledger detail", "general ledger report", "account transactions",
    "transaction detail by account", "transaction report", "journal",
}
_PERIOD = re.compile(r"\b(19|20)\d\d\b|^for the (period|year|month)|^as (of|at)\b", re.IGNORECASE)
_CONTENT = ("date", "vendor", "description", "amount", "debit", "credit", "account", "account_number",
            "account_name")
_ROW_ACCOUNT = ("account", "account_number", "account_name")


class _Sections:
    """The account sections open at the current row, innermost last."""

    def __init__(self) -> None:
        self.open: list[str] = []

    def close(self, label: str) -> None:
        wanted = label.strip().casefold()
        for position in range(len(self.open) - 1, -1, -1):
            if self.open[position].casefold() == wanted:
                del self.open[position:]
                return
        if self.open:
            self.open.pop()

    def matches(self, label: str) -> bool:
        return label.strip().casefold() in (section.casefold() for section in self.open)


def read_report(table: Table, detected: Detected, log: ProblemLog) -> RawFile:
    header_number, header_cells = table.rows[detected.header_index]
    header = header_names(header_cells)
    names = unique_names(header)
    columns = detected.columns
    raw = RawFile(
        format=detected.layout.format, sheet=table.sheet, header=header, header_row=header_number,
        column_names={role: names[index] for role, index in columns.items()},
        company=_company(table.rows[: detected.header_index]), date_required=True,
    )
    content = [index for role, index in columns.items() if role in _CONTENT and index != 0]
    used = set(columns.values())
    extra = [(index, names[index]) for index in range(len(header)) if index not in used and header[index]]
    sections, finished = _Sections(), False
    for number, cells in table.rows[detected.header_index + 1:]:
        first = cell_text(cells[0]).strip() if cells else ""
        if _is_total(first, cells, content, sections):
            finished = finished or _close_total(first, sections)
        elif _is_balance(first, cells, columns):
            continue
        elif first and _blank(cells, content) and not _is_date(cells[0]):
            if not (finished or _FOOTER.match(first)):
                sections.open.append(first)
        elif not _blank(cells, content):
            line = _posting(number, cells, columns, extra, sections, raw, log)
            if line is not None:
                raw.lines.append(line)
    return raw


def _posting(number: int, cells: tuple[Cell, ...], columns: dict[str, int], extra: list[tuple[int, str]],
             sections: _Sections, raw: RawFile, log: ProblemLog) -> RawLine | None:
    values = {role: cells[index] if index < len(cells) else None for role, index in columns.items()}
    if sections.open and is_blank(values.get("account")):
        values["account"] = sections.open[-1]
    if all(is_blank(values.get(role)) for role in _ROW_ACCOUNT):
        log.add(number, None, "a posting outside any account section (no account row above it)")
        return None
    kept = {label: cell_text(cells[index]) if index < len(cells) else "" for index, label in extra}
    if sections.open and "section" not in kept:
        kept["section"] = " > ".join(sections.open)
    return RawLine(number, values, kept)


def _is_total(first: str, cells: tuple[Cell, ...], content: list[int], sections: _Sections) -> bool:
    lowered = first.casefold()
    if lowered in _GRAND_TOTALS or lowered.startswith("total for "):
        return True
    return lowered.startswith("total ") and (not _blank(cells, content) or sections.matches(first[6:]))


def _close_total(first: str, sections: _Sections) -> bool:
    """Close the section a total row ends; True for the grand total, after which only footers follow."""
    lowered = first.casefold()
    if lowered in _GRAND_TOTALS:
        sections.open.clear()
        return True
    sections.close(first[len("total for "):] if lowered.startswith("total for ") else first[len("total "):])
    return False


def _is_balance(first: str, cells: tuple[Cell, ...], columns: dict[str, int]) -> bool:
    """An opening or closing balance: labelled in the first or date column, or in the memo with no amount."""
    if first.casefold() in _BALANCE_LABELS or _label_at(cells, columns.get("date")) in _BALANCE_LABELS:
        return True
    if _label_at(cells, columns.get("description")) in _BALANCE_LABELS:
        amounts = [index for role, index in columns.items() if role in ("amount", "debit", "credit")]
        return _blank(cells, amounts)
    return False


def _label_at(cells: tuple[Cell, ...], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cell_text(cells[index]).strip().casefold()


def _blank(cells: tuple[Cell, ...], indexes: list[int]) -> bool:
    return all(index >= len(cells) or is_blank(cells[index]) for index in indexes)


def _is_date(value: Cell) -> bool:
    if isinstance(value, str):
        try:
            parse_date(value)
        except DateError:
            return False
        return True
    if isinstance(value, int | float):
        try:
            date_from_cell(value)
        except DateError:
            return False
        return True
    return value is not None


def _company(title_rows: list[tuple[int, tuple[Cell, ...]]]) -> str:
    """The company a report's title rows name: the first that is not the report's name or its period."""
    for _number, cells in title_rows:
        texts = [cell_text(cell).strip() for cell in cells if not is_blank(cell)]
        if len(texts) != 1:
            continue
        text = texts[0]
        if text.casefold() in _REPORT_TITLES or _PERIOD.search(text) or _FOOTER.match(text):
            continue
        return text
    return ""
