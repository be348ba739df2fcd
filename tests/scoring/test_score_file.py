"""``score_file``: every row of a workbook copied as read, in order, with the two scores added."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl

from scoring.gl_import.lines import GLFile
from scoring.gl_import.read import read_gl
from scoring.score_file import SCORE_COLUMNS, score_file
from tests.scoring.gl_helpers import HEADER, ROWS


def _workbook(path: Path) -> None:
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Notes"
    notes.append(["Exported from the client's accounting system"])
    ledger = book.create_sheet("Ledger")
    ledger.append(HEADER.strip().split(","))
    for date, number, name, kind, vendor, memo, amount in ROWS:
        ledger.append(["Acme AI, Inc.", "Software", dt.datetime.fromisoformat(date), int(number), name, kind,
                       vendor, memo, float(amount)])
    book.save(path)


def test_a_workbook_is_copied_from_the_sheet_it_was_read_from(tmp_path: Path) -> None:
    source, out = tmp_path / "ledger.xlsx", tmp_path / "scores.csv"
    _workbook(source)
    scored = score_file(source, out)
    with out.open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [*HEADER.strip().split(","), *SCORE_COLUMNS]
    first = rows[1]
    assert first[:9] == ["Acme AI, Inc.", "Software", "2025-01-06", "6120", "Cloud Compute - R&D", "Expense",
                         "Amazon Web Services", "EC2 p4d training sweep", "14210.44"]
    assert [row[3] for row in rows[1:]] == [row[1] for row in ROWS]  # every row, in the file's order
    assert rows[-1][-2] == "" and float(rows[-1][-1]) >= 0  # revenue: no expense score, an account score
    assert len(scored.expense_scores) == len(ROWS)


def test_the_sheet_is_kept_only_when_asked_for(tmp_path: Path) -> None:
    source = tmp_path / "ledger.xlsx"
    _workbook(source)
    kept: GLFile = read_gl(source.read_bytes(), name=source.name, keep_table=True)
    assert kept.table is not None and kept.table.sheet == "Ledger" == kept.sheet
    assert read_gl(source.read_bytes(), name=source.name).table is None
