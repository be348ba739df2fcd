"""MLflow's file store: an ``mlruns/`` folder.

Layout (``mlflow/store/tracking/file_store.py``)::

    mlruns/<experiment id>/meta.yaml            name, lifecycle_stage
    mlruns/<experiment id>/<run id>/meta.yaml   run_id, run_name, status, start/end_time (ms), ...
    mlruns/<experiment id>/<run id>/params/<key>   the value; "/" in a key makes subfolders
    mlruns/<experiment id>/<run id>/metrics/<key>  lines "<timestamp ms> <value> [<step>]"
    mlruns/<experiment id>/<run id>/tags/<key>
    mlruns/.trash/<experiment id>/...           deleted experiments

MLflow 3 also keeps ``models/``, ``traces/`` and ``datasets/`` folders inside an experiment; they
are not runs and are passed over. Runs of a deleted experiment, and runs whose own
lifecycle_stage is "deleted", get status "deleted"; how they had ended is kept in the tag
``fourpart.original_status``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml

from evidence.parsers import EvidenceParseError
from evidence.parsers.runs import DEFAULT_LIMITS, MetricSeries, ParsedRun, ParsedRunLog, Point, ReadLimits
from evidence.parsers.runs._io import SourceTree, from_millis, make_series

STATUS_NAMES = {1: "RUNNING", 2: "SCHEDULED", 3: "FINISHED", 4: "FAILED", 5: "KILLED"}
STATUSES = {"RUNNING": "running", "SCHEDULED": "running", "FINISHED": "finished",
            "FAILED": "failed", "KILLED": "killed"}
ORIGINAL_STATUS_TAG = "fourpart.original_status"
NOT_RUN_FOLDERS = frozenset({"tags", "models", "traces", "datasets", "artifacts", "logged_models"})
NOT_EXPERIMENT_FOLDERS = frozenset({"models", ".trash"})
MAX_YAML_NODES = 100_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class _Experiment:
    folder: Path
    name: str
    deleted: bool


def parse_mlruns(root: Path, *, limits: ReadLimits = DEFAULT_LIMITS) -> ParsedRunLog:
    """Every run under an ``mlruns/`` folder, deleted experiments (``.trash/``) included."""
    tree = SourceTree(root, limits)
    if not root.is_dir():
        raise EvidenceParseError(str(root), "not a folder (expected MLflow's mlruns/)")
    runs: list[ParsedRun] = []
    for experiment in _experiments(tree):
        for folder in tree.children(experiment.folder):
            if not folder.is_dir() or folder.name in NOT_RUN_FOLDERS:
                continue
            if not (folder / "meta.yaml").is_file():
                tree.warn(folder, "no meta.yaml; not an MLflow run, skipped")
                continue
            run = _parse_run(tree, folder, experiment)
            if run is not None:
                runs.append(run)
    runs.sort(key=lambda run: (run.started_at is None, run.started_at or _EPOCH, run.external_id))
    return ParsedRunLog(tuple(runs), tuple(tree.warnings))


def load_meta(text: str, source: str) -> dict[str, object]:
    """A meta.yaml (or W&B config.yaml) as a mapping; a YAML error names the file and line.

    Anchors and aliases are allowed (PyYAML writes them for shared objects), but a document
    that would expand past MAX_YAML_NODES nodes (an "alias bomb", or a cycle) is refused.
    """
    try:
        root = yaml.compose(text, Loader=_YAML_LOADER)
        if root is not None and _expanded_size(root) > MAX_YAML_NODES:
            raise EvidenceParseError(source, f"YAML expands to more than {MAX_YAML_NODES} nodes (aliases)")
        data = yaml.load(text, Loader=_YAML_LOADER)  # a safe loader (CSafeLoader or SafeLoader)
    except EvidenceParseError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise EvidenceParseError(source, f"malformed YAML: {exc.problem or exc.context}", line=line) from exc
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        raise EvidenceParseError(source, f"malformed YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise EvidenceParseError(source, "expected a YAML mapping of fields", line=1)
    return {key: value for key, value in data.items() if isinstance(key, str)}


def parse_metric_lines(text: str, source: str, key: str) -> MetricSeries:
    """A metrics file: one "<timestamp ms> <value> <step>" per line (older files: no step)."""
    points: list[Point] = []
    for number, line in enumerate(text.splitlines(), start=1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) not in (2, 3):
            raise EvidenceParseError(
                source, f"expected '<timestamp> <value> <step>', got {len(fields)} fields", line=number
            )
        try:
            millis = int(fields[0])
            value = float(fields[1])
            step = int(fields[2]) if len(fields) == 3 else None
        except ValueError as exc:
            raise EvidenceParseError(source, f"not a number in {line.strip()[:80]!r}", line=number) from exc
        points.append((step, value, from_millis(millis, source, line=number)))
    return make_series(key, points)


def _expanded_size(root: yaml.Node) -> int:
    """Nodes in the document with every alias expanded, counted up to just past the limit."""
    count, pending = 0, [root]
    while pending and count <= MAX_YAML_NODES:
        node = pending.pop()
        count += 1
        if isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                pending.extend((key, value))
    return count


def _experiments(tree: SourceTree) -> list[_Experiment]:
    found = []
    trash = tree.root / ".trash"
    places = [(tree.root, False)]
    if trash.is_dir() and not trash.is_symlink():
        places.append((trash, True))
    for place, trashed in places:
        for folder in tree.children(place):
            if not folder.is_dir() or (not trashed and folder.name in NOT_EXPERIMENT_FOLDERS):
                continue
            meta_path = folder / "meta.yaml"
            if not meta_path.is_file():
                tree.warn(folder, "no meta.yaml; not an MLflow experiment, skipped")
                continue
            meta = load_meta(tree.read_text(meta_path), tree.name(meta_path))
            name = meta.get("name")
            deleted = trashed or meta.get("lifecycle_stage") == "deleted"
            found.append(_Experiment(folder, str(name) if name is not None else folder.name, deleted))
    return found


def _parse_run(tree: SourceTree, folder: Path, experiment: _Experiment) -> ParsedRun | None:
    meta_path = folder / "meta.yaml"
    source = tree.name(meta_path)
    text = tree.read_text(meta_path)
    meta = load_meta(text, source)
    run_id = meta.get("run_id") or meta.get("run_uuid")
    if run_id is None:
        tree.warn(folder, "meta.yaml has no run_id; not an MLflow run, skipped")
        return None
    tags = _values(tree, folder / "tags")
    params = _values(tree, folder / "params")
    status = _status(meta, text, source)
    deleted = experiment.deleted or meta.get("lifecycle_stage") == "deleted"
    if deleted:
        tags[ORIGINAL_STATUS_TAG] = status
        status = "deleted"
    name = meta.get("run_name") or tags.get("mlflow.runName") or run_id
    user = tags.get("mlflow.user") or _text(meta.get("user_id"))
    return ParsedRun(
        tracker="mlflow",
        external_id=str(run_id),
        experiment=experiment.name,
        name=str(name),
        status=status,
        started_at=_time(meta, "start_time", text, source),
        ended_at=_time(meta, "end_time", text, source),
        params=params,
        metrics=_metrics(tree, folder / "metrics"),
        tags=tags,
        source_commit=tags.get("mlflow.source.git.commit") or None,
        user=None if user in (None, "", "unknown") else user,
        source_path=tree.name(folder),
    )


def _values(tree: SourceTree, folder: Path) -> dict[str, str]:
    """params/ or tags/: each file's path below the folder is the key, its text the value."""
    if not folder.is_dir():
        return {}
    return {path.relative_to(folder).as_posix(): tree.read_text(path) for path in tree.files_under(folder)}


def _metrics(tree: SourceTree, folder: Path) -> tuple[MetricSeries, ...]:
    if not folder.is_dir():
        return ()
    return tuple(
        parse_metric_lines(tree.read_text(path), tree.name(path), path.relative_to(folder).as_posix())
        for path in tree.files_under(folder)
    )


def _status(meta: Mapping[str, object], text: str, source: str) -> str:
    raw = meta.get("status")
    if raw is None:
        return "unknown"
    name = STATUS_NAMES.get(raw) if isinstance(raw, int) and not isinstance(raw, bool) else None
    if isinstance(raw, str):
        name = raw.strip().upper()
    if name not in STATUSES:
        raise EvidenceParseError(
            source, f"unknown run status {raw!r}", line=field_line(text, "status"), field="status"
        )
    return STATUSES[name]


def _time(meta: Mapping[str, object], key: str, text: str, source: str) -> datetime | None:
    raw = meta.get(key)
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise EvidenceParseError(
            source, f"expected milliseconds since 1970, got {raw!r}", line=field_line(text, key), field=key
        )
    return from_millis(raw, source, line=field_line(text, key), field=key)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def field_line(text: str, key: str) -> int | None:
    """The line on which a top-level YAML field starts, for error messages."""
    match = re.search(rf"^{re.escape(key)}\s*:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None
