"""Scoring a GL file into a CSV: every input row in its order, plus ``expense_score`` and ``account_score``.

A canonical or mapped file keeps its own columns and cells verbatim; a QuickBooks or Xero report, whose rows
are not one posting each, is written as canonical columns (plus its extra columns), one row per posting.
The output is written beside the target and renamed into place, so a failure leaves no output file.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from core.db import Database
from scoring.gl_import import CANONICAL_COLUMNS, DEFAULT_LIMITS, GLFile, GLLine, read_gl
from scoring.gl_import.cells import cell_text
from scoring.gl_import.source import is_xlsx
from scoring.gl_import.table import Table
from scoring.gl_import.text import read_csv_table
from scoring.gl_import.workbook import read_xlsx_tables
from scoring.registry import ModelPair
from scoring.scorer import ScoredLines, score_lines

SCORE_COLUMNS = ("expense_score", "account_score")
Progress = Callable[[float, str], None]


def score_file(source: Path, out: Path, *, industry: str = "", models: ModelPair | None = None,
               cache: Database | None = None, progress: Progress | None = None,
               precision: str = "fp32") -> ScoredLines:
    """Read ``source`` (raising ``GLImportError`` naming row and column), score it, write ``out``."""
    data = source.read_bytes()
    gl = read_gl(data, name=source.name, industry=industry, keep_table=True)
    scored = score_lines(gl.lines, models=models, cache=cache, progress=progress, precision=precision)
    header, rows = _verbatim(data, gl) if gl.format in ("canonical", "mapped") else _canonical(gl.lines)
    _write_atomically(out, [*header, *SCORE_COLUMNS], (
        [*row, _score(expense), _score(account)]
        for row, expense, account in zip(rows, scored.expense_scores, scored.account_scores, strict=True)))
    return scored


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}"


def _verbatim(data: bytes, gl: GLFile) -> tuple[list[str], list[list[str]]]:
    table = _table(data, gl)
    cells = {number: [cell_text(cell) for cell in row] for number, row in table.rows}
    header = cells[gl.header_row]
    width = len(header)
    return header, [(cells[line.row_number] + [""] * width)[:width] for line in gl.lines]


def _table(data: bytes, gl: GLFile) -> Table:
    if gl.table is not None:
        return gl.table
    if not is_xlsx(data):
        return read_csv_table(data, gl.name, DEFAULT_LIMITS)
    return next(table for table in read_xlsx_tables(data, gl.name, DEFAULT_LIMITS) if table.sheet == gl.sheet)


def _canonical(lines: list[GLLine]) -> tuple[list[str], list[list[str]]]:
    extras = list(dict.fromkeys(key for line in lines for key in line.extra))
    rows = [[line.company, line.industry, line.posted_on.isoformat() if line.posted_on else "",
             line.account_number, line.account_name, line.account_type, line.vendor, line.description,
             f"{line.amount:.2f}", *(line.extra.get(key, "") for key in extras)] for line in lines]
    return [*CANONICAL_COLUMNS, *extras], rows


def _write_atomically(out: Path, header: list[str], rows: object) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(handle, "w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)  # type: ignore[arg-type]
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
