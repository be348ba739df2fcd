"""Weights & Biases: local run folders and the web app's CSV export of a runs table.

A run folder is ``wandb/run-YYYYMMDD_HHMMSS-<id>/`` (``offline-run-…`` when logged offline)::

    run-<id>.wandb               binary record log: config, history, summary, exit code
    files/config.yaml            {key: {desc: …, value: X}}; "_wandb" and "wandb_version" skipped
    files/wandb-summary.json     final values
    files/wandb-metadata.json    startedAt, git.commit, host, username, email, program
    files/wandb-history.jsonl    history, written only by old SDKs

The ``.wandb`` log is read by :mod:`._wandb_log` (no wandb SDK needed); it is the only place an
offline run keeps its metric history, and the only place that says how the run ended.

Status comes from the log's exit record: exit code 0 → "finished"; 255 (what wandb records for
Ctrl-C), 130, 137 or 143 (SIGINT, SIGKILL, SIGTERM) → "killed"; any other code → "failed". A
log with a preemption record but no exit → "killed". No exit record (the process died without
cleanup, or is still running), or no log at all → "unknown", with a warning; the summary file's
runtime says the run got going, not how it ended, so it is not used for status.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from evidence.parsers import EvidenceParseError
from evidence.parsers.runs import DEFAULT_LIMITS, MetricSeries, ParsedRun, ParsedRunLog, Point, ReadLimits
from evidence.parsers.runs._io import (
    SourceTree,
    as_number,
    as_param,
    decode_utf8,
    flatten,
    from_seconds,
    make_series,
    parse_timestamp,
    read_single_file,
)
from evidence.parsers.runs._wandb_log import WandbLog, read_wandb_log
from evidence.parsers.runs.mlflow_files import load_meta
from evidence.parsers.runs.tabular import Table, number_or_none, read_csv_table, time_from_cell

RUN_FOLDER = re.compile(r"^(?:offline-)?run-(\d{8}_\d{6})-([A-Za-z0-9_-]+)$")
RUN_FILES = ("config.yaml", "wandb-summary.json", "wandb-metadata.json")
KILLED_EXIT_CODES = frozenset({255, 130, 137, 143, -2, -9, -15})
CSV_STATES = {"finished": "finished", "failed": "failed", "crashed": "failed", "killed": "killed",
              "running": "running", "preempted": "killed", "preempting": "killed", "pending": "running"}
CSV_META = {"name", "state", "notes", "user", "tags", "created", "runtime", "sweep", "id", "run id",
            "group", "job type", "project", "commit", "github", "hostname"}
CONFIG_PREFIXES = ("config.", "c.")
SUMMARY_PREFIXES = ("summary.", "s.")


@dataclass(frozen=True)
class _Files:
    config: dict[str, object]
    summary: dict[str, object]
    metadata: dict[str, object]
    history: dict[str, list[Point]]


def parse_wandb_dir(root: Path, *, limits: ReadLimits = DEFAULT_LIMITS) -> ParsedRunLog:
    """Runs in a ``wandb/`` folder, in one run folder, or in one ``.wandb`` file."""
    tree = SourceTree(root, limits)
    if root.is_file():
        runs = [_run(tree, root.parent, [root], files=None)]
    else:
        runs = [_run(tree, folder, _logs(tree, folder), _files(tree, folder))
                for folder in _run_folders(tree)]
        if not runs:
            tree.warnings.append(f"{tree.name(root)}: no W&B run folders found")
    return ParsedRunLog(tuple(runs), tuple(tree.warnings))


def parse_wandb_csv(path: Path, *, limits: ReadLimits = DEFAULT_LIMITS,
                    config_columns: frozenset[str] = frozenset()) -> ParsedRunLog:
    """Runs in a CSV exported from the W&B runs table (Name, State, Notes, User, Tags, Created, …).

    The export does not say which columns are config and which are summary: columns named in
    ``config_columns`` or prefixed ``config.`` are parameters, ``summary.`` ones metrics, and
    the rest go by their first value (numbers are metrics, final values with no step).
    """
    data, source = read_single_file(path, limits)
    table = read_csv_table(decode_utf8(data, source), source)
    by_lower = {column.lower(): column for column in table.columns}
    if "name" not in by_lower or "state" not in by_lower:
        raise EvidenceParseError(source, "not a W&B runs export: no Name and State columns", row=1)
    runs = []
    seen: set[str] = set()
    for row in table.rows:
        runs.append(_csv_run(table, row.number, row.cells, by_lower, config_columns, seen, path.stem))
    warnings = [f"{source}: no rows"] if not runs else []
    return ParsedRunLog(tuple(runs), tuple(warnings))


def is_run_folder(path: Path) -> bool:
    if RUN_FOLDER.match(path.name):
        return True
    files = path / "files"
    return any((files / name).is_file() for name in RUN_FILES) or any(path.glob("run-*.wandb"))


# --- run folders ------------------------------------------------------------------------------


def _run_folders(tree: SourceTree) -> list[Path]:
    if is_run_folder(tree.root):
        return [tree.root]
    for place in (tree.root, tree.root / "wandb"):
        if place.is_dir() and not place.is_symlink():
            found = [path for path in tree.children(place) if path.is_dir() and is_run_folder(path)]
            if found:
                return found
    return []


def _logs(tree: SourceTree, folder: Path) -> list[Path]:
    return [path for path in tree.children(folder) if path.suffix == ".wandb" and path.is_file()]


def _files(tree: SourceTree, folder: Path) -> _Files:
    files = folder / "files"
    config: dict[str, object] = {}
    summary: dict[str, object] = {}
    metadata: dict[str, object] = {}
    history: dict[str, list[Point]] = {}
    if (files / "config.yaml").is_file():
        path = files / "config.yaml"
        config = _config_values(load_meta(tree.read_text(path), tree.name(path)))
    if (files / "wandb-summary.json").is_file():
        path = files / "wandb-summary.json"
        summary = load_json_object(tree.read_bytes(path), tree.name(path))
    if (files / "wandb-metadata.json").is_file():
        path = files / "wandb-metadata.json"
        metadata = load_json_object(tree.read_bytes(path), tree.name(path))
    if (files / "wandb-history.jsonl").is_file():
        path = files / "wandb-history.jsonl"
        history = _history_lines(tree.read_text(path), tree.name(path))
    return _Files(config, summary, metadata, history)


def load_json_object(data: bytes, source: str) -> dict[str, object]:
    """A JSON file holding one object (wandb-summary.json, wandb-metadata.json)."""
    text = decode_utf8(data, source)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise EvidenceParseError(source, f"malformed JSON: {exc.msg}", line=exc.lineno) from exc
    except (ValueError, RecursionError) as exc:
        raise EvidenceParseError(source, f"malformed JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise EvidenceParseError(source, "expected a JSON object", line=1)
    return value


def summary_metrics(summary: Mapping[str, object]) -> dict[str, float]:
    """Numeric final values, less W&B's own ("_runtime", "_wandb.…") and media objects."""
    flat = flatten(summary)
    media = tuple(key[: -len("_type")] for key in flat if key.endswith("._type"))
    metrics = {}
    for key, value in flat.items():
        number = as_number(value)
        if number is not None and not key.startswith(("_", *media)):
            metrics[key] = number
    return metrics


def _run(tree: SourceTree, folder: Path, logs: list[Path], files: _Files | None) -> ParsedRun:
    source = tree.name(folder) if files is not None else tree.name(logs[0])
    files = files or _Files({}, {}, {}, {})
    log = _read_log(tree, logs)
    match = RUN_FOLDER.match(folder.name)
    run_id = (log.run_id if log else "") or (match.group(2) if match else folder.name)
    summary = {**(flatten(log.summary) if log else {}), **flatten(files.summary)}
    config = {**(log.config if log else {}), **files.config}
    metadata = files.metadata
    started = (log.started_at if log else None) or _metadata_time(metadata)
    metrics = _metrics((log.history if log else {}) or files.history, summary)
    status = _status(log)
    if status == "unknown":
        reason = "no .wandb log" if log is None else "the log has no exit record"
        tree.warnings.append(f"{source}: status unknown ({reason}: the run crashed, was killed "
                             "without cleanup, or is still running)")
    return ParsedRun(
        tracker="wandb",
        external_id=run_id,
        experiment=log.project if log else "",
        name=(log.display_name if log else "") or run_id,
        status=status,
        started_at=started,
        ended_at=_ended(started, log, summary, metrics),
        params={key: as_param(value) for key, value in flatten(config).items()
                if not key.startswith("_wandb")},
        metrics=metrics,
        tags=_tags(log, metadata),
        source_commit=(log.commit if log else "") or _text(_git(metadata).get("commit")) or None,
        user=_user(log, metadata),
        source_path=source,
    )


def _read_log(tree: SourceTree, logs: list[Path]) -> WandbLog | None:
    if not logs:
        return None
    path = sorted(logs, key=lambda p: (not p.name.startswith("run-"), p.name))[0]
    try:
        data = tree.read_bytes(path)
    except EvidenceParseError as exc:
        tree.warnings.append(f"{exc}; history and status not read")
        return None
    log = read_wandb_log(data, tree.name(path))
    tree.warnings.extend(f"{tree.name(path)}: {problem}" for problem in log.problems)
    return log


def _status(log: WandbLog | None) -> str:
    if log is None:
        return "unknown"
    if log.exit_code is not None:
        if log.exit_code == 0:
            return "finished"
        return "killed" if log.exit_code in KILLED_EXIT_CODES else "failed"
    return "killed" if log.preempted else "unknown"


def _metrics(history: Mapping[str, list[Point]], summary: Mapping[str, object]) -> tuple[MetricSeries, ...]:
    series = {key: make_series(key, points) for key, points in history.items()}
    for key, value in summary_metrics(summary).items():
        if key not in series:
            series[key] = MetricSeries(key, ((None, value, None),))
    return tuple(series.values())


def _tags(log: WandbLog | None, metadata: Mapping[str, object]) -> dict[str, str]:
    git = _git(metadata)
    candidates = {
        "wandb.project": log.project if log else "",
        "wandb.entity": log.entity if log else "",
        "wandb.group": log.group if log else "",
        "wandb.job_type": log.job_type if log else "",
        "wandb.tags": ",".join(log.tags) if log else "",
        "wandb.notes": log.notes if log else "",
        "wandb.host": (log.host if log else "") or _text(metadata.get("host")),
        "wandb.username": (log.username if log else "") or _text(metadata.get("username")),
        "wandb.email": (log.email if log else "") or _text(metadata.get("email")),
        "wandb.program": (log.program if log else "") or _text(metadata.get("program")),
        "wandb.git.remote": (log.remote if log else "") or _text(git.get("remote")),
        "wandb.exit_code": str(log.exit_code) if log and log.exit_code is not None else "",
    }
    return {key: value for key, value in candidates.items() if value}


def _user(log: WandbLog | None, metadata: Mapping[str, object]) -> str | None:
    for value in (log.username if log else "", _text(metadata.get("username")),
                  log.email if log else "", _text(metadata.get("email"))):
        if value:
            return value
    return None


def _ended(started: datetime | None, log: WandbLog | None, summary: Mapping[str, object],
           metrics: tuple[MetricSeries, ...]) -> datetime | None:
    """The later of start + runtime (exit record, else summary) and the last logged metric's time."""
    candidates = [moment for series in metrics for _, _, moment in series.points if moment is not None]
    runtime = as_number(log.exit_runtime) if log and log.exit_runtime else None
    runtime = runtime or as_number(summary.get("_wandb.runtime")) or as_number(summary.get("_runtime"))
    if started is not None and runtime is not None and 0 <= runtime < 10**9:
        candidates.append(started + timedelta(seconds=runtime))
    return max(candidates, default=None)


def _config_values(config: Mapping[str, object]) -> dict[str, object]:
    values = {}
    for key, entry in config.items():
        if key in ("_wandb", "wandb_version"):
            continue
        values[key] = entry.get("value") if isinstance(entry, dict) and "value" in entry else entry
    return values


def _history_lines(text: str, source: str) -> dict[str, list[Point]]:
    history: dict[str, list[Point]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except (ValueError, RecursionError) as exc:
            raise EvidenceParseError(source, f"malformed JSON: {exc}", line=number) from exc
        if not isinstance(row, dict):
            raise EvidenceParseError(source, "expected a JSON object", line=number)
        step = row.get("_step")
        step = step if isinstance(step, int) and not isinstance(step, bool) else None
        seconds = as_number(row.get("_timestamp"))
        moment = from_seconds(seconds, source, line=number) if seconds is not None else None
        for key, value in summary_metrics(row).items():
            history.setdefault(key, []).append((step, value, moment))
    return history


def _metadata_time(metadata: Mapping[str, object]) -> datetime | None:
    value = metadata.get("startedAt")
    return parse_timestamp(value) if isinstance(value, str) else None


def _git(metadata: Mapping[str, object]) -> Mapping[str, object]:
    git = metadata.get("git")
    return git if isinstance(git, dict) else {}


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


# --- CSV export -------------------------------------------------------------------------------


def _csv_run(table: Table, number: int, cells: Mapping[str, object], by_lower: Mapping[str, str],
             config_columns: frozenset[str], seen: set[str], default_project: str) -> ParsedRun:
    def cell(name: str) -> str:
        column = by_lower.get(name)
        return str(cells.get(column, "")) if column else ""

    name = cell("name")
    if not name:
        raise table.error(number, "no run name", by_lower["name"])
    run_id = cell("id") or cell("run id") or name
    if run_id in seen:
        run_id = f"{run_id}#{number}"
    seen.add(run_id)
    state = cell("state").lower()
    started = time_from_cell(cell("created")) if cell("created") else None
    runtime = number_or_none(cell("runtime"))
    ended = (started + timedelta(seconds=runtime)
             if started and runtime is not None and 0 <= runtime < 10**9 else None)
    params: dict[str, str] = {}
    metrics: list[MetricSeries] = []
    for column, value in cells.items():
        lowered = column.lower()
        if lowered in CSV_META:
            continue
        key, is_metric = _csv_column_kind(column, value, config_columns)
        number_value = number_or_none(value)
        if is_metric and number_value is not None:
            metrics.append(MetricSeries(key, ((None, number_value, None),)))
        else:
            params[key] = as_param(value)
    tags = {"wandb.state": state, "wandb.notes": cell("notes"), "wandb.tags": cell("tags"),
            "wandb.sweep": cell("sweep"), "wandb.group": cell("group"), "wandb.hostname": cell("hostname")}
    return ParsedRun(
        tracker="wandb",
        external_id=run_id,
        experiment=cell("project") or default_project,
        name=name,
        status=CSV_STATES.get(state, "unknown"),
        started_at=started,
        ended_at=ended,
        params=params,
        metrics=tuple(metrics),
        tags={key: value for key, value in tags.items() if value},
        source_commit=cell("commit") or None,
        user=cell("user") or None,
        source_path=f"{table.source}#{number}",
    )


def _csv_column_kind(column: str, value: object, config_columns: frozenset[str]) -> tuple[str, bool]:
    lowered = column.lower()
    for prefix in CONFIG_PREFIXES:
        if lowered.startswith(prefix):
            return column[len(prefix):], False
    for prefix in SUMMARY_PREFIXES:
        if lowered.startswith(prefix):
            return column[len(prefix):], True
    if column in config_columns:
        return column, False
    return column, number_or_none(value) is not None

