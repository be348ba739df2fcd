"""Bounded, symlink-safe file reading and the small conversions every run parser shares."""

from __future__ import annotations

import json
import math
import os
import stat
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from evidence.parsers import EvidenceParseError, read_bounded
from evidence.parsers.runs import MetricSeries, Point, ReadLimits

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class SourceTree:
    """Reads files under one root: never past the size limit, never through a symlink out of it.

    Symlinked folders are not entered at all (W&B's ``latest-run`` would count a run twice and a
    loop would never end); a symlinked file is read only if it resolves inside the root.
    """

    def __init__(self, root: Path, limits: ReadLimits) -> None:
        self.root = root
        self.limits = limits
        self.warnings: list[str] = []
        self._seen = 0
        try:
            self._real_root = root.resolve(strict=True)
        except (OSError, RuntimeError) as exc:
            raise EvidenceParseError(str(root), f"cannot open: {_reason(exc)}") from exc

    def name(self, path: Path) -> str:
        """How ``path`` is named in errors and warnings: relative to the root's parent."""
        try:
            relative = path.relative_to(self.root)
        except ValueError:
            return str(path)
        return (Path(self.root.name) / relative).as_posix()

    def warn(self, path: Path, message: str) -> None:
        self.warnings.append(f"{self.name(path)}: {message}")

    def children(self, folder: Path) -> list[Path]:
        """The entries of ``folder`` in name order, less symlinked folders and escaping symlinks."""
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as exc:
            raise EvidenceParseError(self.name(folder), f"cannot list folder: {_reason(exc)}") from exc
        found = []
        for entry in entries:
            self._count()
            path = Path(entry.path)
            if entry.is_symlink():
                if not self.inside(path):
                    self.warn(path, "symlink pointing outside the folder being read; skipped")
                    continue
                if path.is_dir():
                    continue
            found.append(path)
        return found

    def files_under(self, folder: Path) -> list[Path]:
        """Every file below ``folder``, depth first, in name order."""
        files = []
        for path in self.children(folder):
            if path.is_dir():
                files.extend(self.files_under(path))
            else:
                files.append(path)
        return files

    def inside(self, path: Path) -> bool:
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return False
        return real == self._real_root or self._real_root in real.parents

    def check_file(self, path: Path) -> int:
        """The size of a readable regular file inside the root and within the limit, or an error."""
        source = self.name(path)
        if not self.inside(path):
            raise EvidenceParseError(source, "missing, or outside the folder being read (symlink); not read")
        try:
            info = path.stat()
        except OSError as exc:
            raise EvidenceParseError(source, f"cannot read: {_reason(exc)}") from exc
        if not stat.S_ISREG(info.st_mode):
            raise EvidenceParseError(source, "not a regular file")
        limit = self.limits.max_file_bytes
        if info.st_size > limit:
            raise EvidenceParseError(source, f"file is {info.st_size} bytes, over the {limit}-byte limit")
        return info.st_size

    def read_bytes(self, path: Path) -> bytes:
        """The whole file, or EvidenceParseError if it is too big, not a file, or outside the root."""
        self.check_file(path)
        return read_bounded(path, self.limits.max_file_bytes, self.name(path))

    def read_text(self, path: Path) -> str:
        return decode_utf8(self.read_bytes(path), self.name(path))

    def _count(self) -> None:
        self._seen += 1
        if self._seen > self.limits.max_files:
            raise EvidenceParseError(
                self.root.name or str(self.root), f"more than {self.limits.max_files} files; not read"
            )


def read_single_file(path: Path, limits: ReadLimits) -> tuple[bytes, str]:
    """A file given on its own: its bytes and the name to use for it in errors."""
    tree = SourceTree(path, limits)
    return tree.read_bytes(path), path.name


def decode_utf8(data: bytes, source: str) -> str:
    """UTF-8 text without a byte-order mark; an error names the line of the first bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise EvidenceParseError(
            source, f"not UTF-8 text (byte 0x{data[exc.start]:02x})", line=line
        ) from exc
    return text.removeprefix("\ufeff")


def from_millis(value: int, source: str, *, field: str | None = None, line: int | None = None) -> datetime:
    return from_seconds(value / 1000, source, field=field, line=line)


def from_seconds(value: float, source: str, *, field: str | None = None, line: int | None = None) -> datetime:
    try:
        if not math.isfinite(value):
            raise ValueError(value)
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise EvidenceParseError(source, f"not a usable time: {value!r}", field=field, line=line) from exc


def parse_timestamp(text: str) -> datetime | None:
    """An ISO 8601 time (a trailing Z allowed) in UTC; a time without zone is taken as UTC."""
    text = text.strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def as_param(value: object) -> str:
    """A parameter value as text: strings as they are, anything else as JSON."""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, sort_keys=True, default=str)
    except (ValueError, TypeError, RecursionError):
        return str(value)


def flatten(mapping: Mapping[str, object], prefix: str = "", depth: int = 0) -> dict[str, object]:
    """Nested mappings as one level with dotted keys ("model.depth"); deep nesting stays JSON."""
    flat: dict[str, object] = {}
    for key, value in mapping.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and value and depth < 8:
            flat.update(flatten(value, f"{name}.", depth + 1))
        else:
            flat[name] = value
    return flat


def as_number(value: object) -> float | None:
    """A metric value: ints and floats (not booleans), or None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return float(value)
    except OverflowError:
        return None


def make_series(key: str, points: Iterable[Point]) -> MetricSeries:
    """A series in logging order: by step (then time) when every point has a step, else by time."""
    ordered = list(points)
    if all(point[0] is not None for point in ordered):
        ordered.sort(key=_by_step)
    elif all(point[2] is not None for point in ordered):
        ordered.sort(key=_by_time)
    return MetricSeries(key, tuple(ordered))


def _by_step(point: Point) -> tuple[int, datetime]:
    return (point[0] or 0, point[2] or _EPOCH)


def _by_time(point: Point) -> datetime:
    return point[2] or _EPOCH


def _reason(exc: BaseException) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
