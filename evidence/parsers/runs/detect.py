"""Which run-log parser fits a file or folder, judged by what is in it, not only by its name.

:func:`detect_run_log` answers one of ``"mlruns"``, ``"mlflow_db"``, ``"wandb_dir"``,
``"wandb_csv"``, ``"tensorboard"`` or ``"tabular"`` (the parser of that name in
:data:`PARSERS`), or None. It reads at most a few KiB of any file and looks two folder levels
down at most.
"""

from __future__ import annotations

import csv
import io
import os
import struct
from collections.abc import Callable
from pathlib import Path

from evidence.parsers import EvidenceParseError
from evidence.parsers.runs import DEFAULT_LIMITS, ParsedRunLog, ReadLimits
from evidence.parsers.runs._wandb_log import FILE_HEADER, IDENT, MAGIC
from evidence.parsers.runs.mlflow_files import parse_mlruns
from evidence.parsers.runs.mlflow_sqlite import SQLITE_MAGIC, parse_mlflow_db
from evidence.parsers.runs.tabular import parse_tabular
from evidence.parsers.runs.tensorboard import is_event_file, parse_tensorboard
from evidence.parsers.runs.wandb import is_run_folder, parse_wandb_csv, parse_wandb_dir

PARSERS: dict[str, Callable[..., ParsedRunLog]] = {
    "mlruns": parse_mlruns,
    "mlflow_db": parse_mlflow_db,
    "wandb_dir": parse_wandb_dir,
    "wandb_csv": parse_wandb_csv,
    "tensorboard": parse_tensorboard,
    "tabular": parse_tabular,
}
HEAD_BYTES = 8192
MAX_LOOK = 2000
WANDB_CSV_COLUMNS = {"name", "state"}
WANDB_CSV_HINTS = {"created", "runtime", "notes", "user", "tags", "sweep"}


def detect_run_log(path: Path) -> str | None:
    """The kind of run log at ``path``, or None if it is none of them (or unreadable)."""
    try:
        if path.is_dir():
            return _detect_folder(path)
        if path.is_file():
            return _detect_file(path)
    except OSError:
        return None
    return None


def parse_run_log(path: Path, *, limits: ReadLimits = DEFAULT_LIMITS) -> ParsedRunLog:
    """Detect the kind of run log at ``path`` and parse it."""
    kind = detect_run_log(path)
    if kind is None:
        raise EvidenceParseError(path.name or str(path), "not a training-run log this tool can read")
    return PARSERS[kind](path, limits=limits)


def _detect_folder(folder: Path) -> str | None:
    if is_run_folder(folder) or any(is_run_folder(child) for child in _subfolders(folder)):
        return "wandb_dir"
    if (folder / "wandb").is_dir() and any(is_run_folder(c) for c in _subfolders(folder / "wandb")):
        return "wandb_dir"
    for child in _subfolders(folder):
        if child.name != ".trash" and _looks_like_mlflow_experiment(child):
            return "mlruns"
    if _has_event_file(folder, depth=3):
        return "tensorboard"
    return None


def _detect_file(path: Path) -> str | None:
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if head.startswith(SQLITE_MAGIC):
        return "mlflow_db"
    if len(head) >= FILE_HEADER.size and FILE_HEADER.unpack_from(head)[:2] == (IDENT, MAGIC):
        return "wandb_dir"
    if is_event_file(path) or _looks_like_tfrecord(head):
        return "tensorboard"
    text = head.decode("utf-8", errors="ignore").lstrip("\ufeff")
    if not text.strip() or "\x00" in text:
        return None
    if text.lstrip().startswith(("{", "[")):
        return "tabular"
    first_line = text.splitlines()[0] if text.splitlines() else ""
    header = {cell.strip().lower() for cell in next(csv.reader(io.StringIO(first_line)), [])}
    if header >= WANDB_CSV_COLUMNS and header & WANDB_CSV_HINTS:
        return "wandb_csv"
    if len(header) > 1 or any(sep in first_line for sep in ";\t|"):
        return "tabular"
    return None


def _looks_like_mlflow_experiment(folder: Path) -> bool:
    meta = folder / "meta.yaml"
    if not meta.is_file():
        return False
    with meta.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    return b"experiment_id" in head or b"artifact_location" in head


def _looks_like_tfrecord(head: bytes) -> bool:
    """A TFRecord starts with a length whose masked CRC-32C follows it; check the length's sanity."""
    if len(head) < 12:
        return False
    (length,) = struct.unpack_from("<Q", head)
    return 0 < length < 1 << 20 and head[12:].find(b"brain.Event:") in range(0, 64)


def _has_event_file(folder: Path, depth: int) -> bool:
    looked = 0
    pending = [(folder, 0)]
    while pending:
        current, level = pending.pop()
        try:
            with os.scandir(current) as scan:
                for entry in scan:
                    looked += 1
                    if looked > MAX_LOOK:
                        return False
                    if entry.is_file(follow_symlinks=False) and is_event_file(Path(entry.path)):
                        return True
                    if entry.is_dir(follow_symlinks=False) and level < depth:
                        pending.append((Path(entry.path), level + 1))
        except OSError:
            continue
    return False


def _subfolders(folder: Path) -> list[Path]:
    try:
        with os.scandir(folder) as scan:
            return [Path(entry.path) for _, entry in zip(range(MAX_LOOK), scan, strict=False)
                    if entry.is_dir(follow_symlinks=False)]
    except OSError:
        return []
