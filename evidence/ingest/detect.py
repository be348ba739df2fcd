"""What evidence a file or folder holds, judged by its content, not only its name.

:func:`find_units` walks what it is given and yields one :class:`Unit` per artifact to be:
a git repository (folder or bundle), a run log (a tracker's folder or file), an ADR, an
ablation spreadsheet or another document. Folders that are neither a repository nor a run
log are walked; hidden entries (``.git``, ``.DS_Store``) and symbolic links are skipped, the
links with a warning, since following them could read outside what was handed over.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from evidence.models import ArtifactKind
from evidence.parsers.ablation import looks_like_ablation
from evidence.parsers.adr_detect import looks_like_adr
from evidence.parsers.gitsource import BUNDLE_HEADERS
from evidence.parsers.runs import detect_run_log

SNIFF_BYTES = 64 * 1024
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown"})
JSON_SUFFIXES = frozenset({".jsonl", ".ndjson", ".json"})
TABLE_SUFFIXES = frozenset({".csv", ".tsv", ".xlsx", ".xlsm", ".tab", ""})
RUN_COLUMNS = frozenset({"run", "run_id", "run_name", "status", "state", "global_step", "step",
                         "commit", "source_commit", "git_commit", "metric", "metric_name"})


@dataclass(frozen=True)
class Unit:
    """One future artifact: ``path`` on disk, ``relative`` its name as the user handed it over.

    ``reader`` names the run-log parser for run logs (see ``evidence.parsers.runs.detect``).
    ``problem`` is set for entries that are refused outright (a symbolic link).
    """

    kind: ArtifactKind
    path: Path
    relative: str
    reader: str | None = None
    problem: str | None = None


def find_units(path: Path, relative: str | None = None, *, max_files: int = 100_000) -> Iterator[Unit]:
    """Every unit at or under ``path``, in a stable (sorted) order."""
    yield from _walk(path, relative or path.name or str(path), [0], max_files)


def _walk(path: Path, relative: str, seen: list[int], max_files: int) -> Iterator[Unit]:
    seen[0] += 1
    if seen[0] > max_files:
        raise ValueError(f"{relative}: more than {max_files:,} files; hand over a smaller folder")
    if path.is_symlink():
        yield Unit(ArtifactKind.DOCUMENT, path, relative, problem="is a symbolic link; not followed")
        return
    if path.is_dir():
        yield from _folder(path, relative, seen, max_files)
    elif path.is_file():
        yield _file_unit(path, relative)
    else:
        yield Unit(ArtifactKind.DOCUMENT, path, relative, problem="is not a regular file or folder")


def _folder(path: Path, relative: str, seen: list[int], max_files: int) -> Iterator[Unit]:
    if is_git_repository(path):
        yield Unit(ArtifactKind.GIT_REPOSITORY, path, relative)
        return
    reader = detect_run_log(path)
    if reader is not None:
        yield Unit(ArtifactKind.RUN_LOG, path, relative, reader=reader)
        return
    with os.scandir(path) as scan:
        entries = sorted(scan, key=lambda entry: entry.name)
    for entry in entries:
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        yield from _walk(Path(entry.path), f"{relative}/{entry.name}", seen, max_files)


def is_git_repository(path: Path) -> bool:
    """A work tree with a ``.git`` entry, or a bare repository."""
    if (path / ".git").exists():
        return True
    return (path / "HEAD").is_file() and (path / "objects").is_dir() and (path / "refs").is_dir()


def _file_unit(path: Path, relative: str) -> Unit:
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if head.startswith(BUNDLE_HEADERS):
        return Unit(ArtifactKind.GIT_REPOSITORY, path, relative)
    suffix = path.suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        text = _utf8(head)
        if text is not None and looks_like_adr(_utf8(path.read_bytes()) or "", path.name):
            return Unit(ArtifactKind.ADR, path, relative)
        return Unit(ArtifactKind.DOCUMENT, path, relative)
    reader = detect_run_log(path)
    if reader in ("mlflow_db", "wandb_dir", "tensorboard", "wandb_csv"):
        return Unit(ArtifactKind.RUN_LOG, path, relative, reader=reader)
    if reader == "tabular" and (_looks_like_run_table(head) or suffix in JSON_SUFFIXES):
        return Unit(ArtifactKind.RUN_LOG, path, relative, reader=reader)
    if (suffix in TABLE_SUFFIXES or head.startswith(b"PK\x03\x04")) and looks_like_ablation(path):
        return Unit(ArtifactKind.ABLATION, path, relative)
    if reader == "tabular" and suffix in TABLE_SUFFIXES:
        return Unit(ArtifactKind.RUN_LOG, path, relative, reader=reader)
    return Unit(ArtifactKind.DOCUMENT, path, relative)


def _looks_like_run_table(head: bytes) -> bool:
    """A CSV whose header names runs, steps or statuses: a training log rather than an ablation."""
    text = _utf8(head[: head.find(b"\n") + 1 or len(head)]) or ""
    try:
        dialect = csv.Sniffer().sniff(text, delimiters=",;\t|") if text.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    header = next(csv.reader(io.StringIO(text), dialect), [])
    return bool({cell.strip().lower() for cell in header} & RUN_COLUMNS)


def _utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3:  # a character cut by the sniffing window
            return data[: exc.start].decode("utf-8")
        return None
