"""What a layout reader hands on: each data row's cells by GL field, before any value is interpreted."""

from __future__ import annotations

from dataclasses import dataclass, field

from scoring.gl_import.cells import Cell
from scoring.gl_import.lines import GLFormat

FIELDS = (
    "company", "industry", "date", "account", "account_number", "account_name", "account_type", "vendor",
    "description", "amount", "debit", "credit",
)
"""Fields a source column can feed. ``account`` is a label holding number and name ("6120 Cloud Hosting");
``debit``/``credit`` stand in for a signed ``amount`` (amount = debit − credit)."""


@dataclass(slots=True)
class RawLine:
    row_number: int
    values: dict[str, Cell]
    extra: dict[str, str]


@dataclass
class RawFile:
    """The data rows of one sheet, and how its columns were read.

    ``column_names`` gives, per field, the source column named in error messages; ``company`` is the one a
    report's title rows name; ``date_required`` is true for reports, where every posting is dated.
    """

    format: GLFormat
    sheet: str | None
    header: list[str]
    header_row: int
    column_names: dict[str, str]
    lines: list[RawLine] = field(default_factory=list)
    company: str = ""
    date_required: bool = False
