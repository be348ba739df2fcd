"""The entry points: read a GL file whole or not at all, and propose or preview a column mapping."""

from __future__ import annotations

from collections.abc import Iterator

from scoring.gl_import.build import Conventions, Defaults, build_line, build_lines, decide_conventions
from scoring.gl_import.cells import Cell, cell_text
from scoring.gl_import.errors import GLImportError, NeedsMapping, ProblemLog
from scoring.gl_import.flat import read_flat
from scoring.gl_import.header import guess_header_row, header_names, unique_names
from scoring.gl_import.layouts import CANONICAL, detect_layout
from scoring.gl_import.lines import GLFile
from scoring.gl_import.mapping import (
    ColumnMapping,
    MappingProposal,
    PreviewRow,
    column_indexes,
    suggest_mapping,
)
from scoring.gl_import.raw import RawFile
from scoring.gl_import.reports import read_report
from scoring.gl_import.source import (
    DEFAULT_LIMITS,
    ImportLimits,
    Source,
    is_xlsx,
    load_bytes,
    refuse_other_binary,
)
from scoring.gl_import.table import Table
from scoring.gl_import.text import read_csv_table
from scoring.gl_import.workbook import read_xlsx_tables

PREVIEW_ROWS = 10


def read_gl(source: Source, *, name: str, mapping: ColumnMapping | None = None, day_first: bool | None = None,
            decimal_comma: bool | None = None, company: str = "", industry: str = "",
            limits: ImportLimits = DEFAULT_LIMITS, keep_table: bool = False) -> GLFile:
    """Every posting in the file, or :class:`GLImportError` listing every bad row (nothing half-read).

    The layout is recognised from the content; an unknown one raises :class:`NeedsMapping` carrying a
    proposed mapping and a preview, to be confirmed and passed back as ``mapping``. ``day_first`` and
    ``decimal_comma`` override what is decided from the whole file; ``company`` and ``industry`` fill the
    lines where the file gives none. ``keep_table`` keeps the sheet's cells in the result (to copy rows
    verbatim without reading the file twice).
    """
    log = ProblemLog(limits.max_listed_problems)
    raw, table = _read_raw(source, name, mapping, limits, log)
    conventions = decide_conventions(raw, day_first, decimal_comma)
    lines = build_lines(raw, conventions, Defaults(company, industry), log)
    log.raise_if_any(name)
    if not lines:
        raise GLImportError.whole_file(name, f"no GL lines below the header (row {raw.header_row})")
    return GLFile(name=name, format=raw.format, lines=lines, columns=raw.header, header_row=raw.header_row,
                  sheet=raw.sheet, day_first=conventions.day_first, decimal_comma=conventions.decimal_comma,
                  table=table if keep_table else None)


def apply_mapping(source: Source, *, name: str, mapping: ColumnMapping, day_first: bool | None = None,
                  decimal_comma: bool | None = None, company: str = "", industry: str = "",
                  limits: ImportLimits = DEFAULT_LIMITS) -> GLFile:
    """Read a file with a person-confirmed mapping (the same as ``read_gl(..., mapping=mapping)``)."""
    return read_gl(source, name=name, mapping=mapping, day_first=day_first, decimal_comma=decimal_comma,
                   company=company, industry=industry, limits=limits)


def propose_mapping(source: Source, *, name: str, rows: int = PREVIEW_ROWS,
                    limits: ImportLimits = DEFAULT_LIMITS) -> MappingProposal:
    """The header of the file's first sheet that has one, a mapping suggested from its names, a preview."""
    tables = list(_tables(load_bytes(source, name, limits), name, limits))
    return _proposal(_with_header(tables), name, rows)


def preview_mapping(source: Source, *, name: str, mapping: ColumnMapping, rows: int = PREVIEW_ROWS,
                    day_first: bool | None = None, decimal_comma: bool | None = None,
                    limits: ImportLimits = DEFAULT_LIMITS) -> MappingProposal:
    """The first ``rows`` rows read with ``mapping``, each with its line or its problems; nothing raised
    for bad rows (a mapping that does not fit the header still raises)."""
    table = _sheet(load_bytes(source, name, limits), name, limits, mapping.sheet)
    header_index = _header_index(table, mapping, name)
    header = header_names(table.rows[header_index][1])
    columns = column_indexes(mapping, header, name)
    raw = read_flat(table, header_index, columns, "mapped", ProblemLog(), skip_totals=True)
    conventions = decide_conventions(raw, day_first, decimal_comma)
    return MappingProposal(header, mapping, _preview(raw, conventions, rows))


def _read_raw(source: Source, name: str, mapping: ColumnMapping | None, limits: ImportLimits,
              log: ProblemLog) -> tuple[RawFile, Table]:
    """The rows read from the file, and the sheet they came from."""
    data = load_bytes(source, name, limits)
    if mapping is not None:
        table = _sheet(data, name, limits, mapping.sheet)
        header_index = _header_index(table, mapping, name)
        columns = column_indexes(mapping, header_names(table.rows[header_index][1]), name)
        return read_flat(table, header_index, columns, "mapped", log, skip_totals=True), table
    seen: list[Table] = []
    for table in _tables(data, name, limits):
        seen.append(table)
        detected = detect_layout(table, name)
        if detected is None:
            continue
        if detected.layout is CANONICAL:
            return read_flat(table, detected.header_index, detected.columns, "canonical", log), table
        return read_report(table, detected, log), table
    raise NeedsMapping(name, _proposal(_with_header(seen), name, PREVIEW_ROWS))


def _with_header(tables: list[Table]) -> Table:
    """The first sheet that has a header row to map, else the first sheet (whose proposal then fails)."""
    return next((table for table in tables if guess_header_row(table) is not None), tables[0])


def _tables(data: bytes, name: str, limits: ImportLimits) -> Iterator[Table]:
    if is_xlsx(data):
        yielded = False
        for table in read_xlsx_tables(data, name, limits):
            yielded = True
            yield table
        if not yielded:
            raise GLImportError.whole_file(name, "the workbook has no worksheet")
        return
    refuse_other_binary(data, name)
    yield read_csv_table(data, name, limits)


def _sheet(data: bytes, name: str, limits: ImportLimits, sheet: str | None) -> Table:
    for table in _tables(data, name, limits):
        if sheet is None or table.sheet == sheet:
            return table
    raise GLImportError.whole_file(name, f"the workbook has no sheet named {sheet!r}")


def _header_index(table: Table, mapping: ColumnMapping, name: str) -> int:
    for index, (number, _cells) in enumerate(table.rows):
        if number == mapping.header_row:
            return index
    reason = f"row {mapping.header_row}, the mapping's header row, is blank or missing"
    raise GLImportError.whole_file(name, reason)


def _proposal(table: Table, name: str, rows: int) -> MappingProposal:
    if not table.rows:
        where = f" (sheet {table.sheet!r})" if table.sheet else ""
        raise GLImportError.whole_file(name, f"the file has no data{where}")
    header_index = guess_header_row(table)
    if header_index is None:
        raise GLImportError.whole_file(name, "no header row found (a row of column names above the GL lines)")
    header_number, header_cells = table.rows[header_index]
    header = header_names(header_cells)
    mapping = suggest_mapping(header, header_row=header_number, sheet=table.sheet)
    if mapping.missing():
        return MappingProposal(header, mapping, _raw_preview(table, header_index, mapping, rows))
    columns = column_indexes(mapping, header, name)
    raw = read_flat(table, header_index, columns, "mapped", ProblemLog(), skip_totals=True)
    return MappingProposal(header, mapping, _preview(raw, decide_conventions(raw, None, None), rows))


def _preview(raw: RawFile, conventions: Conventions, rows: int) -> list[PreviewRow]:
    preview = []
    for line in raw.lines[:rows]:
        log = ProblemLog()
        built = build_line(line, raw, conventions, Defaults(), log)
        preview.append(PreviewRow(line.row_number, _shown(line.values), built, log.problems))
    return preview


def _raw_preview(table: Table, header_index: int, mapping: ColumnMapping, rows: int) -> list[PreviewRow]:
    """Without an amount or account mapped no line can be built; show what each mapped field would get."""
    names = unique_names(header_names(table.rows[header_index][1]))
    indexes = {target: names.index(column) for target, column in mapping.columns.items()}
    raw = read_flat(table, header_index, indexes, "mapped", ProblemLog(), skip_totals=True)
    return [PreviewRow(line.row_number, _shown(line.values), None) for line in raw.lines[:rows]]


def _shown(values: dict[str, Cell]) -> dict[str, str]:
    return {target: cell_text(value) for target, value in values.items()}
