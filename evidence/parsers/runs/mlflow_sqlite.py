"""MLflow's SQLite tracking store (``mlflow.db``), read without MLflow and without writing to it.

Tables read (``mlflow/store/tracking/dbmodels/models.py``): ``experiments`` (experiment_id, name,
lifecycle_stage), ``runs`` (run_uuid, name, status as text such as 'FINISHED', start_time and
end_time in ms, lifecycle_stage, experiment_id, user_id), ``params`` and ``tags`` (key, value,
run_uuid) and ``metrics`` (key, value, timestamp, step, is_nan, run_uuid). Columns that older
MLflow versions lack (metrics.step, metrics.is_nan, runs.name) are optional.

The file is opened read-only through a URI (``mode=ro``), with ``query_only`` on, untrusted
schema code refused and a time budget on every query. Deleted runs get status "deleted" and keep
how they ended in the tag ``fourpart.original_status``, as in :mod:`.mlflow_files`.
"""

from __future__ import annotations

import sqlite3
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import datetime
from pathlib import Path

from evidence.parsers import EvidenceParseError
from evidence.parsers.runs import DEFAULT_LIMITS, MetricSeries, ParsedRun, ParsedRunLog, Point, ReadLimits
from evidence.parsers.runs._io import SourceTree, from_millis, make_series
from evidence.parsers.runs.mlflow_files import ORIGINAL_STATUS_TAG, STATUSES

SQLITE_MAGIC = b"SQLite format 3\x00"
QUERY_SECONDS = 60.0


def parse_mlflow_db(path: Path, *, limits: ReadLimits = DEFAULT_LIMITS) -> ParsedRunLog:
    """Every run in an MLflow SQLite database; the file itself is never written."""
    tree = SourceTree(path, limits)
    source = tree.name(path)
    tree.check_file(path)
    if not is_sqlite(path):
        raise EvidenceParseError(source, "not a SQLite database")
    try:
        with _connect(path) as db:
            return _read(db, source, tree.warnings)
    except EvidenceParseError:
        raise
    except (sqlite3.Error, ValueError, OverflowError) as exc:
        # a corrupt schema can make even SQLite's error message undecodable (UnicodeDecodeError)
        raise EvidenceParseError(source, f"unreadable SQLite database: {exc}") from exc


def is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


@contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    uri = f"{path.resolve().as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True, isolation_level=None)) as db:
        deadline = time.monotonic() + QUERY_SECONDS
        db.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        db.text_factory = lambda raw: raw.decode("utf-8", errors="replace")
        db.execute("PRAGMA query_only = ON")
        db.execute("PRAGMA trusted_schema = OFF")
        yield db


def _read(db: sqlite3.Connection, source: str, warnings: list[str]) -> ParsedRunLog:
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "runs" not in tables or "run_uuid" not in _columns(db, "runs"):
        raise EvidenceParseError(source, "no MLflow 'runs' table; not an MLflow tracking database")
    experiments = _experiments(db) if "experiments" in tables else {}
    params = _key_values(db, "params", source) if "params" in tables else {}
    tags = _key_values(db, "tags", source) if "tags" in tables else {}
    metrics = _metrics(db, source) if "metrics" in tables else {}
    runs = []
    for row in _runs(db):
        run_id = _required_text(row.get("run_uuid"), source, "run_uuid")
        runs.append(_run(row, run_id, experiments, params.get(run_id, {}), tags.get(run_id, {}),
                         metrics.get(run_id, ()), source))
    if not runs:
        warnings.append(f"{source}: the runs table is empty")
    return ParsedRunLog(tuple(runs), tuple(warnings))


def _run(row: dict[str, object], run_id: str, experiments: dict[str, tuple[str, bool]],
         params: dict[str, str], tags: dict[str, str], metrics: tuple[MetricSeries, ...],
         source: str) -> ParsedRun:
    where = f"{source} run {run_id}"
    experiment_id = "" if row.get("experiment_id") is None else str(row["experiment_id"])
    experiment, experiment_deleted = experiments.get(experiment_id, (experiment_id, False))
    raw_status = row.get("status")
    status = STATUSES.get(str(raw_status).upper(), "unknown") if raw_status is not None else "unknown"
    tags = dict(tags)
    if experiment_deleted or row.get("lifecycle_stage") == "deleted":
        tags[ORIGINAL_STATUS_TAG] = status
        status = "deleted"
    user = tags.get("mlflow.user") or _optional_text(row.get("user_id"))
    name = _optional_text(row.get("name")) or tags.get("mlflow.runName") or run_id
    return ParsedRun(
        tracker="mlflow",
        external_id=run_id,
        experiment=experiment,
        name=name,
        status=status,
        started_at=_time(row.get("start_time"), where, "start_time"),
        ended_at=_time(row.get("end_time"), where, "end_time"),
        params=dict(params),
        metrics=metrics,
        tags=tags,
        source_commit=tags.get("mlflow.source.git.commit") or None,
        user=None if user in (None, "", "unknown") else user,
        source_path=source,
    )


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f'PRAGMA table_info("{table}")')}


def _select(db: sqlite3.Connection, table: str, wanted: tuple[str, ...]) -> Iterator[dict[str, object]]:
    present = _columns(db, table)
    names = [name for name in wanted if name in present]
    quoted = ", ".join(f'"{name}"' for name in names)
    for values in db.execute(f'SELECT {quoted} FROM "{table}"'):  # names come from the fixed lists here
        yield dict(zip(names, values, strict=True))


def _runs(db: sqlite3.Connection) -> Iterator[dict[str, object]]:
    wanted = ("run_uuid", "name", "status", "start_time", "end_time", "lifecycle_stage",
              "experiment_id", "user_id")
    rows = list(_select(db, "runs", wanted))
    rows.sort(key=lambda row: (_sort_number(row.get("start_time")), str(row.get("run_uuid"))))
    return iter(rows)


def _experiments(db: sqlite3.Connection) -> dict[str, tuple[str, bool]]:
    found = {}
    for row in _select(db, "experiments", ("experiment_id", "name", "lifecycle_stage")):
        experiment_id = str(row.get("experiment_id"))
        name = _optional_text(row.get("name")) or experiment_id
        found[experiment_id] = (name, row.get("lifecycle_stage") == "deleted")
    return found


def _key_values(db: sqlite3.Connection, table: str, source: str) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for row in _select(db, table, ("run_uuid", "key", "value")):
        run_id = _required_text(row.get("run_uuid"), source, f"{table}.run_uuid")
        key = _required_text(row.get("key"), source, f"{table}.key")
        found[run_id][key] = _optional_text(row.get("value")) or ""
    return found


def _metrics(db: sqlite3.Connection, source: str) -> dict[str, tuple[MetricSeries, ...]]:
    points: dict[str, dict[str, list[Point]]] = defaultdict(lambda: defaultdict(list))
    for row in _select(db, "metrics", ("run_uuid", "key", "value", "timestamp", "step", "is_nan")):
        run_id = _required_text(row.get("run_uuid"), source, "metrics.run_uuid")
        key = _required_text(row.get("key"), source, "metrics.key")
        where = f"{source} run {run_id} metric {key!r}"
        value = row.get("value")
        if row.get("is_nan"):
            value = float("nan")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise EvidenceParseError(where, f"not a number: {value!r}", field="value")
        step = row.get("step")
        if step is not None and (isinstance(step, bool) or not isinstance(step, int)):
            raise EvidenceParseError(where, f"step is not an integer: {step!r}", field="step")
        points[run_id][key].append((step, float(value), _time(row.get("timestamp"), where, "timestamp")))
    return {
        run_id: tuple(make_series(key, series) for key, series in sorted(by_key.items()))
        for run_id, by_key in points.items()
    }


def _time(value: object, where: str, field: str) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise EvidenceParseError(where, f"expected milliseconds since 1970, got {value!r}", field=field)
    return from_millis(value, where, field=field)


def _required_text(value: object, source: str, field: str) -> str:
    if value is None or isinstance(value, bytes):
        raise EvidenceParseError(source, f"missing or binary value {value!r}", field=field)
    return str(value)


def _optional_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _sort_number(value: object) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0
