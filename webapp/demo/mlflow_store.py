"""Writes the demo runs in MLflow's file-store layout (``mlruns/``)."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import yaml

from webapp.demo.clock import Zone, unix_time, utc_offset_hours
from webapp.demo.gitrepo import RepoInfo
from webapp.demo.mlflow_runs import (
    EXPERIMENTS,
    STATUS_CODES,
    ExperimentSpec,
    MetricSpec,
    RunSpec,
    all_runs,
)

SHARED_ROOT = "/mnt/ml-shared/mlruns"
REPO_URL = "git@github.com:lexbridge/lexbridge-platform.git"
SOURCE_TYPE_LOCAL = 4


@dataclass(frozen=True)
class Operator:
    mlflow_user: str
    checkout: str
    zone: Zone


OPERATORS: Mapping[str, Operator] = MappingProxyType(
    {
        "priya": Operator("priya", "/home/priya/src/lexbridge-platform", "pacific"),
        "tomas": Operator("tomas", "/Users/tomas/code/lexbridge-platform", "pacific"),
        "ethan": Operator("ethan", "/home/ethan/lexbridge-platform", "eastern"),
        "hannah": Operator(
            "hannah@lexbridge.ai", "/Users/hannah.achterberg/work/lexbridge-platform", "pacific"
        ),
        "kwame": Operator("kwame", "/home/kwame/lexbridge-platform", "pacific"),
        "lena": Operator("lena", "/home/lena/repos/lexbridge-platform", "pacific"),
        "marcus": Operator("marcus.oyelaran", "/home/marcus.oyelaran/lexbridge-platform", "central"),
    }
)


@dataclass(frozen=True)
class MlflowSummary:
    root: Path
    experiment_ids: Mapping[str, str]
    run_ids: tuple[str, ...]
    runs_by_status: Mapping[str, int]


def _dump_yaml(path: Path, data: dict[str, object]) -> None:
    path.write_text(yaml.safe_dump(data, default_flow_style=False, allow_unicode=True), encoding="utf-8")


def _write_values(folder: Path, values: Mapping[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, value in values.items():
        (folder / name).write_text(value, encoding="utf-8")


def _millis(rng: random.Random, spec: RunSpec) -> int:
    zone = OPERATORS[spec.user].zone
    hour = rng.choice((9, 10, 11, 13, 14, 15, 16, 17, 19, 21))
    seconds = unix_time(
        spec.day, hour, rng.randrange(60), rng.randrange(60), utc_offset_hours(zone, spec.day)
    )
    return seconds * 1000 + rng.randrange(1000)


def _steps(spec: RunSpec) -> list[int]:
    if spec.steps <= 1:
        return [0]
    steps = list(range(spec.step_every, spec.steps + 1, spec.step_every))
    if spec.stopped_at is not None:
        steps = [s for s in steps if s <= spec.stopped_at] or steps[:1]
    return steps


def _value(metric: MetricSpec, fraction: float, rng: random.Random) -> float:
    if metric.curve == "flat" or metric.start is None:
        noise = 0.0 if fraction >= 1.0 else rng.uniform(-0.012, 0.012) * metric.final
        return metric.final + noise
    shape = 1.0 - math.exp(-4.0 * fraction)
    full = 1.0 - math.exp(-4.0)
    target = metric.start + (metric.final - metric.start) * shape / full
    noise = 0.0 if fraction >= 1.0 else rng.uniform(-0.01, 0.01) * abs(metric.final - metric.start)
    return target + noise


def _metric_lines(metric: MetricSpec, spec: RunSpec, start_ms: int, end_ms: int, rng: random.Random) -> str:
    steps = _steps(spec)
    lines = []
    for index, step in enumerate(steps, start=1):
        fraction = step / spec.steps if spec.steps > 1 else 1.0
        stamp = start_ms + (end_ms - start_ms) * index // len(steps)
        lines.append(f"{stamp} {round(_value(metric, fraction, rng), 4)!r} {step}\n")
    return "".join(lines)


def _run_tags(spec: RunSpec, operator: Operator, commit: str) -> dict[str, str]:
    tags = {
        "mlflow.runName": spec.name,
        "mlflow.user": operator.mlflow_user,
        "mlflow.source.name": f"{operator.checkout}/{spec.script}",
        "mlflow.source.type": "LOCAL",
        "mlflow.source.git.commit": commit,
        "mlflow.source.git.repoURL": REPO_URL,
        **spec.extra_tags,
    }
    if spec.note:
        tags["mlflow.note.content"] = spec.note
    return tags


def _artifacts(folder: Path, spec: RunSpec) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if spec.log_tail:
        (folder / "stderr.log").write_text(spec.log_tail, encoding="utf-8")
    if spec.status == "FINISHED":
        summary = {m.name: m.final for m in spec.metrics}
        (folder / "summary.json").write_text(
            json.dumps(summary, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )


def _write_run(exp_dir: Path, exp_id: str, spec: RunSpec, repo: RepoInfo, rng: random.Random) -> str:
    run_id = f"{rng.getrandbits(128):032x}"
    operator = OPERATORS[spec.user]
    start_ms = _millis(rng, spec)
    end_ms = start_ms + spec.minutes * 60_000 + rng.randrange(60_000)
    commit = repo.latest_before(start_ms // 1000, spec.branch).sha
    run_dir = exp_dir / run_id
    run_dir.mkdir(parents=True)
    _dump_yaml(
        run_dir / "meta.yaml",
        {
            "artifact_uri": f"file://{SHARED_ROOT}/{exp_id}/{run_id}/artifacts",
            "end_time": end_ms,
            "entry_point_name": "",
            "experiment_id": exp_id,
            "lifecycle_stage": "active",
            "run_id": run_id,
            "run_name": spec.name,
            "run_uuid": run_id,
            "source_name": "",
            "source_type": SOURCE_TYPE_LOCAL,
            "source_version": "",
            "start_time": start_ms,
            "status": STATUS_CODES[spec.status],
            "tags": [],
            "user_id": operator.mlflow_user,
        },
    )
    _write_values(run_dir / "params", spec.params)
    _write_values(run_dir / "tags", _run_tags(spec, operator, commit))
    _write_values(
        run_dir / "metrics", {m.name: _metric_lines(m, spec, start_ms, end_ms, rng) for m in spec.metrics}
    )
    _artifacts(run_dir / "artifacts", spec)
    return run_id


def _write_experiment(root: Path, exp_id: str, spec: ExperimentSpec) -> Path:
    exp_dir = root / exp_id
    exp_dir.mkdir(parents=True)
    created = unix_time(spec.created, 16, 0, 0, utc_offset_hours("pacific", spec.created)) * 1000
    _dump_yaml(
        exp_dir / "meta.yaml",
        {
            "artifact_location": f"file://{SHARED_ROOT}/{exp_id}",
            "creation_time": created,
            "experiment_id": exp_id,
            "last_update_time": created,
            "lifecycle_stage": "active",
            "name": spec.name,
        },
    )
    if spec.description:
        _write_values(exp_dir / "tags", {"mlflow.note.content": spec.description})
    return exp_dir


def write_mlruns(root: Path, repo: RepoInfo, rng: random.Random) -> MlflowSummary:
    root.mkdir(parents=True, exist_ok=True)
    (root / ".trash").mkdir(exist_ok=True)
    _write_experiment(root, "0", ExperimentSpec("Default", "", EXPERIMENTS[0].created))
    ids = {spec.name: str(rng.randrange(10**17, 10**18)) for spec in EXPERIMENTS}
    dirs = {spec.name: _write_experiment(root, ids[spec.name], spec) for spec in EXPERIMENTS}
    run_ids = []
    statuses: dict[str, int] = {}
    for spec in all_runs():
        run_ids.append(_write_run(dirs[spec.experiment], ids[spec.experiment], spec, repo, rng))
        statuses[spec.status] = statuses.get(spec.status, 0) + 1
    return MlflowSummary(root, MappingProxyType(ids), tuple(run_ids), MappingProxyType(statuses))
