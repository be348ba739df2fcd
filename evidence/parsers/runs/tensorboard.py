"""TensorBoard event files (``events.out.tfevents.*``), read with the ``tensorboard`` package.

Events are read by TensorBoard's own ``EventFileLoader`` (no TensorFlow needed), which also
migrates old-style ``simple_value`` scalars to tensors. A scalar is then any summary value whose
tensor is numeric and holds exactly one element: that covers PyTorch's and TF1's
``simple_value`` and the scalar tensors TF2/Keras write. Text, images, histograms and other
plugins' data are passed over; hyperparameters written by ``add_hparams`` (the hparams plugin's
session start) become params.

Given a folder, every event file below it is read and each folder holding event files is one
run (several files in one folder, as after a restart, are merged). Started/ended are the first
and last event times. TensorBoard does not record how a run ended, so status is "unknown".
"""

from __future__ import annotations

import struct
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from evidence.parsers import EvidenceParseError
from evidence.parsers.runs import DEFAULT_LIMITS, ParsedRun, ParsedRunLog, Point, ReadLimits
from evidence.parsers.runs._io import SourceTree, as_param, from_seconds, make_series

EVENT_FILE_MARK = "tfevents"
SCALAR_PLUGINS = frozenset({"", "scalars"})
HPARAMS_PLUGIN = "hparams"
_LENGTH = struct.Struct("<Q")


@dataclass
class _RunData:
    points: dict[str, list[Point]] = field(default_factory=lambda: defaultdict(list))
    params: dict[str, str] = field(default_factory=dict)
    plugins: dict[str, str] = field(default_factory=dict)
    times: list[datetime] = field(default_factory=list)


def parse_tensorboard(root: Path, *, limits: ReadLimits = DEFAULT_LIMITS) -> ParsedRunLog:
    """One run per folder of event files under ``root`` (or the one run in an event file)."""
    tree = SourceTree(root, limits)
    if root.is_file():
        groups = {root.parent: [root]}
        experiment = root.parent.name
    else:
        groups = defaultdict(list)
        for path in tree.files_under(root):
            if is_event_file(path):
                groups[path.parent].append(path)
        experiment = root.name
        if not groups:
            tree.warnings.append(f"{tree.name(root)}: no TensorBoard event files found")
    runs = []
    for folder, files in sorted(groups.items()):
        data = _RunData()
        for path in files:
            _read_event_file(tree, path, data)
        runs.append(_run(tree, root, folder, files, experiment, data))
    return ParsedRunLog(tuple(runs), tuple(tree.warnings))


def is_event_file(path: Path) -> bool:
    return EVENT_FILE_MARK in path.name and not path.name.endswith((".tmp", ".lock"))


def count_records(path: Path) -> tuple[int, bool]:
    """Records framed in a TFRecord file, by their lengths alone, and whether it ends cleanly."""
    size, count, pos = path.stat().st_size, 0, 0
    with path.open("rb") as handle:
        while pos < size:
            head = handle.read(_LENGTH.size)
            if len(head) < _LENGTH.size:
                return count, False
            (length,) = _LENGTH.unpack(head)
            pos += _LENGTH.size + 4 + length + 4
            if pos > size:
                return count, False
            handle.seek(pos)
            count += 1
    return count, True


def _read_event_file(tree: SourceTree, path: Path, data: _RunData) -> None:
    from tensorboard.backend.event_processing.event_file_loader import EventFileLoader

    source = tree.name(path)
    tree.check_file(path)
    framed, clean = count_records(path)
    read = 0
    try:
        for event in EventFileLoader(str(path)).Load():
            read += 1
            _take_event(event, data, source)
    except EvidenceParseError:
        raise
    except Exception as exc:  # the loader and protobuf raise many kinds on hostile input
        raise EvidenceParseError(source, f"unreadable event file: {exc}") from exc
    if read == 0 and path.stat().st_size > 0:
        raise EvidenceParseError(source, "not a TensorBoard event file (no readable record)")
    if read < framed or not clean:
        tree.warn(path, f"event file is truncated or corrupt after {read} records; the rest was not read")


def _take_event(event: Any, data: _RunData, source: str) -> None:
    moment = from_seconds(event.wall_time, source) if event.wall_time else None
    if moment is not None:
        data.times.append(moment)
    if not event.HasField("summary"):
        return
    for value in event.summary.value:
        tag = value.tag
        if value.HasField("metadata") and value.metadata.plugin_data.plugin_name:
            data.plugins.setdefault(tag, value.metadata.plugin_data.plugin_name)
        plugin = data.plugins.get(tag, "")
        if plugin == HPARAMS_PLUGIN:
            data.params.update(_hparams(value))
        elif plugin in SCALAR_PLUGINS:
            number = _scalar(value)
            if number is not None:
                data.points[tag].append((int(event.step), number, moment))


def _scalar(value: Any) -> float | None:
    from tensorboard.util import tensor_util

    if value.HasField("simple_value"):
        return float(value.simple_value)
    if not value.HasField("tensor"):
        return None
    tensor = value.tensor
    if any(dim.size != 1 for dim in tensor.tensor_shape.dim):
        return None  # not one element: checked before numpy would allocate it
    try:
        array = tensor_util.make_ndarray(tensor)
    except (TypeError, ValueError):
        return None
    if array.size != 1 or array.dtype.kind not in "iuf":
        return None
    return float(array.reshape(()).item())


def _hparams(value: Any) -> dict[str, str]:
    from tensorboard.plugins.hparams import plugin_data_pb2

    try:
        data = plugin_data_pb2.HParamsPluginData.FromString(value.metadata.plugin_data.content)
    except Exception:  # a malformed plugin payload is just not hyperparameters
        return {}
    if not data.HasField("session_start_info"):
        return {}
    params = {}
    for name, hparam in data.session_start_info.hparams.items():
        kind = hparam.WhichOneof("kind")
        params[name] = as_param(getattr(hparam, kind)) if kind else ""
    return params


def _run(tree: SourceTree, root: Path, folder: Path, files: list[Path], experiment: str,
         data: _RunData) -> ParsedRun:
    single = root.is_file() or folder == root
    run_id = folder.name if single else folder.relative_to(root).as_posix()
    return ParsedRun(
        tracker="tensorboard",
        external_id=run_id,
        experiment=experiment,
        name=run_id,
        status="unknown",
        started_at=min(data.times, default=None),
        ended_at=max(data.times, default=None),
        params=data.params,
        metrics=tuple(make_series(tag, points) for tag, points in data.points.items()),
        tags={},
        source_commit=None,
        user=None,
        source_path=tree.name(files[0]) if root.is_file() else tree.name(folder),
    )
