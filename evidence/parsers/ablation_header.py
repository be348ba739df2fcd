"""Finding the header row(s) of a sheet.

A header candidate is one of the first ``MAX_HEADER_SCAN`` non-blank rows with at least two
filled cells, at least two of them words and at most half as many numbers as words (so title
rows, which hold one cell, and data rows, which hold numbers, are passed over), with a number in
one of the few rows below it. The caller tries candidates top-down and keeps the first that makes
a table.

The row right below is a second header row when it holds only words and sits under groups: cells
under a horizontally merged top cell (XLSX) or under a blank top cell that continues the group
to its left (CSV: ``Recall@10,,nDCG@10,`` over ``Statutes,Cases,Statutes,Cases``). Column names
then join the two rows: ``"Recall@10 / Statutes"``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from evidence.parsers.ablation_cells import is_missing, parse_number
from evidence.parsers.ablation_sheet import RawRow, RawSheet

MAX_HEADER_SCAN = 30
_LOOKAHEAD = 10


@dataclass(frozen=True)
class Header:
    names: tuple[str, ...]  # one per sheet column, "" when the header says nothing
    row_numbers: tuple[int, ...]
    data_start: int  # index into ``sheet.rows``


def header_candidates(sheet: RawSheet) -> Iterator[Header]:
    for index, row in enumerate(sheet.rows[:MAX_HEADER_SCAN]):
        if _could_be_header(row) and _numbers_below(sheet, index + 1):
            yield _header_at(sheet, index)


def _kind(text: str) -> str:
    if not text or is_missing(text):
        return "blank"
    return "number" if parse_number(text) is not None else "word"


def _could_be_header(row: RawRow) -> bool:
    kinds = [_kind(text) for text in row.cells]
    words, numbers = kinds.count("word"), kinds.count("number")
    return words >= 2 and numbers * 2 <= words


def _numbers_below(sheet: RawSheet, start: int) -> bool:
    rows = sheet.rows[start : start + _LOOKAHEAD]
    return any(parse_number(text) is not None for row in rows for text in row.cells if text)


def _header_at(sheet: RawSheet, index: int) -> Header:
    top = sheet.rows[index]
    below = sheet.rows[index + 1] if index + 1 < len(sheet.rows) else None
    width = len(sheet.labels)
    if below is not None and below.number == top.number + 1 and _is_sub_header(sheet, top, below):
        names = _joined_names(_group_names(sheet, top, below), below, width)
        return Header(names, (top.number, below.number), index + 2)
    return Header(_group_names(sheet, top, None), (top.number,), index + 1)


def _in_group(sheet: RawSheet, top: RawRow, column: int) -> bool:
    span = sheet.span_of(top.number, column)
    return span is not None and span[1] > span[0]


def _is_sub_header(sheet: RawSheet, top: RawRow, below: RawRow) -> bool:
    filled = [c for c, text in enumerate(below.cells) if text]
    if not filled or any(_kind(below.cells[c]) != "word" for c in filled):
        return False
    grouped = [c for c in filled if not top.cell(c) or _in_group(sheet, top, c)]
    return bool(grouped) and all(_fits_under(sheet, top, below, c) for c in filled)


def _fits_under(sheet: RawSheet, top: RawRow, below: RawRow, column: int) -> bool:
    """A second-row cell sits under a group, repeats a vertically merged name, or starts a group."""
    if not top.cell(column) or _in_group(sheet, top, column) or below.cell(column) == top.cell(column):
        return True
    return not top.cell(column + 1) and bool(below.cell(column + 1))


def _group_names(sheet: RawSheet, top: RawRow, below: RawRow | None) -> tuple[str, ...]:
    """Top-row names with merged spans filled in, and (two-row CSV headers) groups carried right."""
    names: list[str] = []
    carry = ""
    for column in range(len(sheet.labels)):
        text = top.cell(column)
        span = sheet.span_of(top.number, column)
        if not text and span is not None:
            text = top.cell(span[0])
        if text:
            carry = text if below is not None and below.cell(column) else ""
        elif below is not None and below.cell(column):
            text = carry
        names.append(text)
    return tuple(names)


def _joined_names(tops: tuple[str, ...], below: RawRow, width: int) -> tuple[str, ...]:
    names = []
    for column in range(width):
        top, sub = tops[column], below.cell(column)
        names.append(f"{top} / {sub}" if top and sub and top != sub else top or sub)
    return tuple(names)
