"""Training-run logs (MLflow, W&B, TensorBoard, plain CSV/JSONL) read into plain dataclasses.

Failed and killed runs are evidence of experimentation, so every parser keeps them and says
how each run ended. Nothing here touches a database, Flask or the network, and every parser
turns bad input into :class:`~evidence.parsers.EvidenceParseError`.

The dataclasses are defined before the parser modules are imported below: those modules
import them from this package.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final, Literal

TRACKERS: Final = ("mlflow", "wandb", "tensorboard", "csv", "jsonl")
STATUSES: Final = ("finished", "failed", "killed", "running", "deleted", "unknown")
DEFAULT_MAX_FILE_BYTES: Final = 200 * 1024 * 1024
DEFAULT_MAX_FILES: Final = 100_000

Point = tuple[int | None, float, datetime | None]
"""One logged value: (step, value, timestamp); step and timestamp are None when not logged."""


@dataclass(frozen=True)
class ReadLimits:
    """How much a parser may read: bytes of any one file, and files in one folder tree."""

    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_files: int = DEFAULT_MAX_FILES


DEFAULT_LIMITS: Final[ReadLimits] = ReadLimits()


@dataclass(frozen=True)
class MetricSeries:
    """A metric's logged values in logging order (by step, then time, where those are known)."""

    key: str
    points: tuple[Point, ...]

    @property
    def final(self) -> float | None:
        """The last logged value (NaN if the run ended diverged), or None for no points."""
        return self.points[-1][1] if self.points else None

    def best(self, direction: Literal["min", "max"]) -> float | None:
        """The lowest ("min") or highest ("max") value, ignoring NaN; None if there is none."""
        if direction not in ("min", "max"):
            raise ValueError(f"direction must be 'min' or 'max', not {direction!r}")
        values = [value for _, value, _ in self.points if not math.isnan(value)]
        if not values:
            return None
        return min(values) if direction == "min" else max(values)


@dataclass(frozen=True)
class ParsedRun:
    """One training run as its tracker recorded it; datetimes are timezone-aware UTC."""

    tracker: str  # one of TRACKERS
    external_id: str
    experiment: str
    name: str
    status: str  # one of STATUSES
    started_at: datetime | None
    ended_at: datetime | None
    params: dict[str, str]
    metrics: tuple[MetricSeries, ...]
    tags: dict[str, str]
    source_commit: str | None
    user: str | None
    source_path: str

    def metric(self, key: str) -> MetricSeries | None:
        """The series logged under ``key``, if any."""
        return next((series for series in self.metrics if series.key == key), None)


@dataclass(frozen=True)
class ParsedRunLog:
    """The runs found in one source, and what was skipped or doubtful along the way."""

    runs: tuple[ParsedRun, ...]
    warnings: tuple[str, ...] = field(default=())


from evidence.parsers.runs.detect import detect_run_log, parse_run_log  # noqa: E402
from evidence.parsers.runs.mlflow_files import parse_mlruns  # noqa: E402
from evidence.parsers.runs.mlflow_sqlite import parse_mlflow_db  # noqa: E402
from evidence.parsers.runs.redact import REDACTED, redact_personal  # noqa: E402
from evidence.parsers.runs.tabular import parse_tabular  # noqa: E402
from evidence.parsers.runs.tensorboard import parse_tensorboard  # noqa: E402
from evidence.parsers.runs.wandb import parse_wandb_csv, parse_wandb_dir  # noqa: E402

__all__ = [
    "DEFAULT_LIMITS",
    "REDACTED",
    "STATUSES",
    "TRACKERS",
    "MetricSeries",
    "ParsedRun",
    "ParsedRunLog",
    "Point",
    "ReadLimits",
    "detect_run_log",
    "parse_mlflow_db",
    "parse_mlruns",
    "parse_run_log",
    "parse_tabular",
    "parse_tensorboard",
    "parse_wandb_csv",
    "parse_wandb_dir",
    "redact_personal",
]
