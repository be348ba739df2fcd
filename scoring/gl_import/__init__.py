"""General-ledger import: an uploaded CSV or XLSX into canonical :class:`GLLine` values, or a precise error.

Pure functions, no database. Formats are recognised from the content: the canonical CSV, QuickBooks Online
"General Ledger" exports, Xero "General Ledger Detail" and "Account Transactions" exports; any other table
goes through a column mapping (:func:`propose_mapping`, :func:`preview_mapping`, :func:`apply_mapping`).
See docs/gl-import.md.
"""

from scoring.gl_import.amounts import AmountError, parse_amount
from scoring.gl_import.dates import DateError, parse_date
from scoring.gl_import.errors import GLImportError, NeedsMapping, RowProblem
from scoring.gl_import.lines import CANONICAL_COLUMNS, GLFile, GLFormat, GLLine
from scoring.gl_import.mapping import ColumnMapping, MappingProposal, PreviewRow, suggest_mapping
from scoring.gl_import.read import apply_mapping, preview_mapping, propose_mapping, read_gl
from scoring.gl_import.source import DEFAULT_LIMITS, ImportLimits

__all__ = [
    "CANONICAL_COLUMNS",
    "DEFAULT_LIMITS",
    "AmountError",
    "ColumnMapping",
    "DateError",
    "GLFile",
    "GLFormat",
    "GLImportError",
    "GLLine",
    "ImportLimits",
    "MappingProposal",
    "NeedsMapping",
    "PreviewRow",
    "RowProblem",
    "apply_mapping",
    "parse_amount",
    "parse_date",
    "preview_mapping",
    "propose_mapping",
    "read_gl",
    "suggest_mapping",
]
