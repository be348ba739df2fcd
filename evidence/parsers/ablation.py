"""Ablation spreadsheets (CSV or XLSX) into :class:`AblationTable` values: no database, no Flask.

An ablation table shows that alternatives were evaluated: one variant per configuration tried,
with the metrics it reached. :func:`parse_ablation` returns one table per sheet that holds one
(sheets of free text are skipped) and raises :class:`EvidenceParseError` for anything it cannot
read. Where it had to guess (which row is the baseline, which way a metric improves), the
table's ``questions`` say what a person should confirm.

The work is split over ``ablation_*`` modules, each with its rules in its docstring:

* ``ablation_csv`` / ``ablation_xlsx``: bytes → sheets of text cells (zip-bomb checks first);
* ``ablation_cells``: the number forms (``0.625(-32.8%)``, ``71.3 ± 0.4``, ``1,204``, ``12.5%``);
* ``ablation_header``: the header row(s), below title rows, merged or two-row;
* ``ablation_columns`` / ``ablation_names``: metrics vs settings vs names, directions, units;
* ``ablation_variants``: wide / long / grid shapes and the variants;
* ``ablation_table``: the baseline and the questions.
"""

from __future__ import annotations

from pathlib import Path

from evidence.parsers import EvidenceParseError, read_bounded
from evidence.parsers.ablation_csv import read_csv
from evidence.parsers.ablation_sheet import RawSheet
from evidence.parsers.ablation_table import find_table
from evidence.parsers.ablation_types import AblationTable, AblationVariant, Measurement, MetricColumn
from evidence.parsers.ablation_xlsx import is_ole, is_zip, read_xlsx

__all__ = [
    "DEFAULT_MAX_BYTES",
    "AblationTable",
    "AblationVariant",
    "EvidenceParseError",
    "Measurement",
    "MetricColumn",
    "looks_like_ablation",
    "parse_ablation",
]

DEFAULT_MAX_BYTES = 50 * 2**20
SNIFF_BYTES = 2**20
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm"})


def parse_ablation(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[AblationTable, ...]:
    """Every ablation table in ``path``: one per XLSX sheet that holds one, or the CSV's table.

    The content decides the format (a zip is read as XLSX, anything else as CSV text), except
    that a file named ``.xlsx`` must be a zip.
    """
    source = path.name
    data = read_bounded(path, max_bytes, source)
    sheets = _sheets(data, path, source)
    tables = tuple(table for sheet in sheets if (table := find_table(sheet)) is not None)
    if not tables:
        raise EvidenceParseError(source, _no_table(sheets, workbook=is_zip(data)))
    return tables


def looks_like_ablation(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bool:
    """True when the file's content holds an ablation table: a column naming the variants and at
    least one numeric metric column. A CSV is judged on its first MB; never raises."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
        if is_zip(head) or is_ole(head) or path.suffix.lower() in XLSX_SUFFIXES:
            return bool(parse_ablation(path, max_bytes=max_bytes))
        if len(head) == SNIFF_BYTES:
            head = head[: head.rfind(b"\n") + 1] or head
        return bool(head.strip()) and find_table(read_csv(head, path.name)) is not None
    except (EvidenceParseError, OSError):
        return False


def _sheets(data: bytes, path: Path, source: str) -> list[RawSheet]:
    if is_zip(data):
        return read_xlsx(data, source)
    if is_ole(data):
        raise EvidenceParseError(
            source, "a password-protected workbook or a legacy .xls; save it as an unprotected .xlsx or CSV"
        )
    if path.suffix.lower() in XLSX_SUFFIXES:
        raise EvidenceParseError(source, f"named {path.suffix} but not an XLSX (zip) file")
    if not data.strip():
        raise EvidenceParseError(source, "the file is empty")
    return [read_csv(data, source)]


def _no_table(sheets: list[RawSheet], *, workbook: bool) -> str:
    need = "a header row, a column naming the variants and a numeric metric column"
    if not workbook:
        return f"no ablation table found: need {need}"
    if not sheets:
        return "the workbook has no worksheets"
    names = ", ".join(repr(sheet.name) for sheet in sheets)
    return f"no sheet holds an ablation table ({need}); sheets: {names}"
