"""The canonical general-ledger line every import format is turned into."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from scoring.gl_import.table import Table

CANONICAL_COLUMNS = (
    "company", "industry", "date", "account_number", "account_name", "account_type", "vendor", "description",
    "amount",
)
"""The columns of a canonical GL CSV, in their usual order."""

GLFormat = Literal["canonical", "quickbooks", "xero", "mapped"]


@dataclass(frozen=True, slots=True)
class GLLine:
    """One posting; ``row_number`` is the 1-based row a spreadsheet shows for it in the source file."""

    row_number: int
    company: str
    industry: str
    posted_on: dt.date | None
    account_number: str
    account_name: str
    account_type: str
    vendor: str
    description: str
    amount: Decimal
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class GLFile:
    """A whole file read without a single bad row.

    ``columns`` is the source header as written; ``header_row`` the row it is on; ``day_first`` and
    ``decimal_comma`` are the conventions decided for the whole file (recorded so an import can be explained).
    ``table`` is the sheet's cells as read, kept only when asked for (``read_gl(keep_table=True)``).
    """

    name: str
    format: GLFormat
    lines: list[GLLine]
    columns: list[str]
    header_row: int
    sheet: str | None = None
    day_first: bool = False
    decimal_comma: bool = False
    table: Table | None = field(default=None, repr=False, compare=False)
