"""Run logs kept as plain tables: CSV (any of , ; tab |) or JSON Lines.

Three shapes are recognised from the column names:

* long: a ``metric`` (or ``key``) column and a ``value`` column, one value per row, optionally
  with ``run`` and ``step`` columns;
* history: a ``step`` (``epoch``, ``global_step``, ``iteration``) column and one column per
  metric, one row per step (Keras' CSVLogger, most hand-written loops), grouped by ``run`` if
  there is such a column;
* runs: one row per run, as a results sheet exported from a tracker.

In the last two, a column's kind is fixed by its first non-empty value: numbers make a metric,
anything else a parameter; a later cell that breaks the kind is an error naming its row and
column. Prefixes decide outright: ``param.``/``params.``/``config.``/``hparams.`` make a
parameter, ``metric.``/``metrics.``/``summary.`` a metric (JSONL objects nested under
``params``/``metrics`` come out that way). Columns named like status, experiment, user,
commit, start and end times fill those fields.

Rows are numbered as a spreadsheet shows them (the header is row 1); JSONL errors name lines.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from evidence.parsers import EvidenceParseError
from evidence.parsers.runs import DEFAULT_LIMITS, ParsedRun, ParsedRunLog, Point, ReadLimits
from evidence.parsers.runs._io import (
    as_param,
    decode_utf8,
    flatten,
    from_seconds,
    make_series,
    parse_timestamp,
    read_single_file,
)

SNIFF_CHARS = 16_384
DELIMITERS = ",;\t|"
NUMBER = re.compile(r"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|nan|inf|infinity)", re.IGNORECASE)
PARAM_PREFIXES = ("params.", "param.", "config.", "hparams.", "hparam.", "hp.")
METRIC_PREFIXES = ("metrics.", "metric.", "summary.")
ROLE_NAMES: dict[str, tuple[str, ...]] = {
    "run": ("run_id", "run", "run_name", "run id", "run name", "id", "name"),
    "step": ("step", "global_step", "epoch", "iteration", "iter", "_step"),
    "metric": ("metric", "metric_name", "key"),
    "value": ("value", "metric_value"),
    "time": ("timestamp", "time", "wall_time", "_timestamp"),
    "status": ("status", "state", "run_status"),
    "experiment": ("experiment", "experiment_name", "project"),
    "started": ("started_at", "start_time", "created", "created_at", "start"),
    "ended": ("ended_at", "end_time", "finished_at", "end"),
    "user": ("user", "username", "user_id", "author"),
    "commit": ("source_commit", "git_commit", "commit", "git_sha", "sha", "mlflow.source.git.commit"),
}
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "finished": ("finished", "completed", "complete", "success", "succeeded", "done", "ok"),
    "failed": ("failed", "failure", "error", "errored", "crashed"),
    "killed": ("killed", "cancelled", "canceled", "stopped", "aborted", "interrupted", "preempted"),
    "running": ("running", "in_progress", "started", "scheduled", "pending", "queued"),
    "deleted": ("deleted",),
}
_STATUS_LOOKUP = {word: status for status, words in STATUS_WORDS.items() for word in words}


@dataclass(frozen=True)
class Row:
    number: int
    cells: dict[str, object]


@dataclass
class Table:
    """Rows of cells by column name; ``place`` is "row" (CSV) or "line" (JSONL) for errors."""

    source: str
    place: str
    columns: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)

    def error(self, number: int, message: str, column: str | None = None) -> EvidenceParseError:
        if self.place == "line":
            return EvidenceParseError(self.source, message, line=number, field=column)
        return EvidenceParseError(self.source, message, row=number, field=column)


def parse_tabular(path: Path, *, limits: ReadLimits = DEFAULT_LIMITS) -> ParsedRunLog:
    """Runs in a CSV or JSONL file, in whichever of the three shapes it has."""
    data, source = read_single_file(path, limits)
    text = decode_utf8(data, source)
    if looks_like_json(text):
        table, tracker = read_json_rows(text, source), "jsonl"
    else:
        table, tracker = read_csv_table(text, source), "csv"
    runs = runs_from_table(table, tracker, default_run=path.stem)
    warnings = () if runs else (f"{source}: no rows",)
    return ParsedRunLog(tuple(runs), warnings)


def looks_like_json(text: str) -> bool:
    stripped = text.lstrip()
    return stripped.startswith(("{", "["))


def read_csv_table(text: str, source: str) -> Table:
    """A delimited table; the header is the first row that is neither blank nor a # comment."""
    table = Table(source, "row")
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    header: list[str] | None = None
    try:
        for number, record in enumerate(reader, start=1):
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                if record[0].lstrip().startswith("#"):
                    continue
                header = _header(record, table, number)
                table.columns = header
                continue
            if len(record) > len(header):
                raise table.error(number, f"{len(record)} fields, but the header names {len(header)}")
            cells = {name: value.strip() for name, value in zip(header, record, strict=False)}
            table.rows.append(Row(number, {name: value for name, value in cells.items() if value != ""}))
    except csv.Error as exc:
        raise EvidenceParseError(source, f"malformed CSV: {exc}", line=reader.line_num) from exc
    return table


def read_json_rows(text: str, source: str) -> Table:
    """JSON Lines (one object a line), or a JSON array of objects; nested objects get dotted keys."""
    table = Table(source, "line")
    objects: Iterable[tuple[int, object]]
    if text.lstrip().startswith("["):
        try:
            array = json.loads(text)
        except (ValueError, RecursionError) as exc:
            line = getattr(exc, "lineno", None)
            raise EvidenceParseError(source, f"malformed JSON: {exc}", line=line) from exc
        if not isinstance(array, list):
            raise EvidenceParseError(source, "expected a JSON array of objects", line=1)
        objects = ((1, item) for item in array)
    else:
        objects = _json_lines(text, source)
    seen: dict[str, None] = {}
    for number, item in objects:
        if not isinstance(item, dict):
            raise table.error(number, "expected a JSON object")
        cells = {key: value for key, value in flatten(item).items() if value is not None}
        seen.update(dict.fromkeys(cells))
        table.rows.append(Row(number, cells))
    table.columns = list(seen)
    return table


def runs_from_table(table: Table, tracker: str, default_run: str) -> list[ParsedRun]:
    roles = _roles(table.columns)
    if roles.get("metric") and roles.get("value"):
        return _long_runs(table, tracker, roles, default_run)
    if roles.get("step"):
        return _history_runs(table, tracker, roles, default_run)
    return _row_runs(table, tracker, roles)


def status_from_text(text: str) -> str:
    return _STATUS_LOOKUP.get(text.strip().lower().replace(" ", "_").replace("-", "_"), "unknown")


def number_or_none(value: object) -> float | None:
    """A cell as a number: JSON numbers, or text that reads as one; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return float(value)
        except OverflowError:
            return None
    if isinstance(value, str) and NUMBER.fullmatch(value.strip()):
        return float(value)
    return None


def time_from_cell(value: object) -> datetime | None:
    """An ISO 8601 time, or seconds (or milliseconds, if huge) since 1970."""
    number = number_or_none(value)
    if number is not None:
        if not math.isfinite(number):
            return None
        seconds = number / 1000 if abs(number) > 1e11 else number
        try:
            return from_seconds(seconds, "")
        except EvidenceParseError:
            return None
    return parse_timestamp(value) if isinstance(value, str) else None


# ---------------------------------------------------------------------------------------------


@dataclass
class _RunBuilder:
    key: str
    first_row: int
    params: dict[str, str] = field(default_factory=dict)
    points: dict[str, list[Point]] = field(default_factory=dict)
    meta: dict[str, object] = field(default_factory=dict)

    def add_point(self, key: str, point: Point) -> None:
        self.points.setdefault(key, []).append(point)


def _long_runs(table: Table, tracker: str, roles: dict[str, str], default_run: str) -> list[ParsedRun]:
    builders: dict[str, _RunBuilder] = {}
    for row in table.rows:
        builder = _builder(builders, row, roles, default_run)
        metric_column, value_column = roles["metric"], roles["value"]
        key = row.cells.get(metric_column)
        if key is None:
            raise table.error(row.number, "no metric name", metric_column)
        value = number_or_none(row.cells.get(value_column))
        if value is None:
            raise table.error(row.number, f"not a number: {_show(row.cells.get(value_column))}", value_column)
        builder.add_point(str(key), (_step(table, row, roles), value, _time(row, roles)))
        _collect_meta(builder, row, roles)
    return [_finish(builder, tracker, table.source) for builder in builders.values()]


def _history_runs(table: Table, tracker: str, roles: dict[str, str], default_run: str) -> list[ParsedRun]:
    builders: dict[str, _RunBuilder] = {}
    kinds = _column_kinds(table, roles)
    for row in table.rows:
        builder = _builder(builders, row, roles, default_run)
        step, moment = _step(table, row, roles), _time(row, roles)
        for column, (name, is_metric) in kinds.items():
            if column not in row.cells:
                continue
            if is_metric:
                builder.add_point(name, (step, _metric_cell(table, row, column), moment))
            else:
                builder.params.setdefault(name, as_param(row.cells[column]))
        _collect_meta(builder, row, roles)
    return [_finish(builder, tracker, table.source) for builder in builders.values()]


def _row_runs(table: Table, tracker: str, roles: dict[str, str]) -> list[ParsedRun]:
    builders: dict[str, _RunBuilder] = {}
    kinds = _column_kinds(table, roles)
    for row in table.rows:
        run_column = roles.get("run")
        key = str(row.cells.get(run_column, "")) if run_column else ""
        key = key or f"row-{row.number}"
        if key in builders:
            key = f"{key}#{row.number}"
        builder = builders[key] = _RunBuilder(key, row.number)
        for column, (name, is_metric) in kinds.items():
            if column not in row.cells:
                continue
            if is_metric:
                builder.add_point(name, (None, _metric_cell(table, row, column), None))
            else:
                builder.params[name] = as_param(row.cells[column])
        _collect_meta(builder, row, roles)
    return [_finish(builder, tracker, table.source) for builder in builders.values()]


def _builder(builders: dict[str, _RunBuilder], row: Row, roles: Mapping[str, str],
             default_run: str) -> _RunBuilder:
    run_column = roles.get("run")
    key = str(row.cells.get(run_column, "")) if run_column else ""
    key = key or default_run
    if key not in builders:
        builders[key] = _RunBuilder(key, row.number)
    return builders[key]


def _collect_meta(builder: _RunBuilder, row: Row, roles: Mapping[str, str]) -> None:
    for role in ("status", "experiment", "started", "ended", "user", "commit"):
        column = roles.get(role)
        if column and column in row.cells:
            builder.meta[role] = row.cells[column]


def _finish(builder: _RunBuilder, tracker: str, source: str) -> ParsedRun:
    meta = builder.meta
    text = {role: as_param(value) for role, value in meta.items()}
    series = tuple(make_series(key, points) for key, points in builder.points.items())
    started = time_from_cell(meta["started"]) if "started" in meta else None
    if started is None:
        started = min((point[2] for s in series for point in s.points if point[2] is not None), default=None)
    ended = time_from_cell(meta["ended"]) if "ended" in meta else None
    return ParsedRun(
        tracker=tracker,
        external_id=builder.key,
        experiment=text.get("experiment", ""),
        name=builder.key,
        status=status_from_text(text["status"]) if "status" in text else "unknown",
        started_at=started,
        ended_at=ended,
        params=builder.params,
        metrics=series,
        tags={},
        source_commit=text.get("commit") or None,
        user=text.get("user") or None,
        source_path=source if builder.first_row <= 1 else f"{source}#{builder.first_row}",
    )


def _roles(columns: list[str]) -> dict[str, str]:
    by_name = {column.strip().lower(): column for column in columns}
    roles: dict[str, str] = {}
    for role, names in ROLE_NAMES.items():
        for name in names:
            if name in by_name and by_name[name] not in roles.values():
                roles[role] = by_name[name]
                break
    return roles


def _column_kinds(table: Table, roles: Mapping[str, str]) -> dict[str, tuple[str, bool]]:
    """Each data column: (parameter or metric name, True if a metric)."""
    special = set(roles.values())
    kinds: dict[str, tuple[str, bool]] = {}
    for column in table.columns:
        if column in special:
            continue
        lowered = column.lower()
        param_prefix = next((p for p in PARAM_PREFIXES if lowered.startswith(p)), None)
        metric_prefix = next((p for p in METRIC_PREFIXES if lowered.startswith(p)), None)
        if param_prefix:
            kinds[column] = (column[len(param_prefix):], False)
        elif metric_prefix:
            kinds[column] = (column[len(metric_prefix):], True)
        else:
            first = next((row.cells[column] for row in table.rows if column in row.cells), None)
            kinds[column] = (column, number_or_none(first) is not None)
    return kinds


def _metric_cell(table: Table, row: Row, column: str) -> float:
    value = number_or_none(row.cells[column])
    if value is None:
        raise table.error(row.number, f"not a number: {_show(row.cells[column])}", column)
    return value


def _step(table: Table, row: Row, roles: Mapping[str, str]) -> int | None:
    column = roles.get("step")
    if not column or column not in row.cells:
        return None
    number = number_or_none(row.cells[column])
    if number is None or not math.isfinite(number) or number != int(number):
        raise table.error(row.number, f"step is not a whole number: {_show(row.cells[column])}", column)
    return int(number)


def _time(row: Row, roles: Mapping[str, str]) -> datetime | None:
    column = roles.get("time")
    return time_from_cell(row.cells[column]) if column and column in row.cells else None


def _header(record: list[str], table: Table, number: int) -> list[str]:
    names = [cell.strip() or f"column_{index}" for index, cell in enumerate(record, start=1)]
    if all(NUMBER.fullmatch(name) for name in names):
        raise table.error(number, "the first row is all numbers; a header row naming the columns is needed")
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise table.error(number, "the header names this column twice", name)
        seen.add(name)
    return names


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
    except csv.Error:
        return csv.excel


def _json_lines(text: str, source: str) -> Iterable[tuple[int, object]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except (ValueError, RecursionError) as exc:
            raise EvidenceParseError(source, f"malformed JSON: {exc}", line=number) from exc


def _show(value: object) -> str:
    return repr(as_param(value)[:60])
