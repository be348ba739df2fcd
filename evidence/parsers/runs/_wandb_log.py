"""W&B's binary run log (``run-<id>.wandb``), read without the wandb SDK.

Framing, as ``wandb/sdk/internal/datastore.py`` (and wandb-core) write it: a 7-byte file header
(``:W&B``, magic 0xBEE1, version 0), then 32 KiB blocks of records in LevelDB's log format. Each
record has a 7-byte header (a zlib CRC-32 of the type byte and data, the data length, the type:
FULL, or FIRST/MIDDLE/LAST for one payload split across blocks); a block's last bytes, if fewer
than 7, are zero padding.

Payloads are ``wandb_internal.Record`` protobuf messages. They are decoded by the protobuf
runtime against the small schema declared below: only the records and fields used here, with
field numbers from ``wandb/proto/wandb_internal.proto`` (persisted records, which W&B keeps
compatible). Strings are declared as bytes so that bad UTF-8 cannot stop decoding.

A run that crashed, or that is still being written, leaves a log that stops mid-block: what was
readable is kept and the stop is reported in ``problems``.
"""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.message import DecodeError

from evidence.parsers import EvidenceParseError
from evidence.parsers.runs import Point
from evidence.parsers.runs._io import as_number, flatten, from_seconds

FILE_HEADER = struct.Struct("<4sHB")
RECORD_HEADER = struct.Struct("<IHB")
IDENT, MAGIC, VERSION = b":W&B", 0xBEE1, 0
BLOCK = 32768
FULL, FIRST, MIDDLE, LAST = 1, 2, 3, 4
_CRC_SEED = {kind: zlib.crc32(bytes([kind])) for kind in (FULL, FIRST, MIDDLE, LAST)}

_F = descriptor_pb2.FieldDescriptorProto
_TEXT, _INT64, _INT32, _SINT64 = _F.TYPE_BYTES, _F.TYPE_INT64, _F.TYPE_INT32, _F.TYPE_SINT64
_BOOL, _DOUBLE = _F.TYPE_BOOL, _F.TYPE_DOUBLE
# message -> (field name, number, scalar type or message name, repeated)
_SCHEMA: dict[str, list[tuple[str, int, int | str, bool]]] = {
    "Timestamp": [("seconds", 1, _INT64, False), ("nanos", 2, _INT32, False)],
    "GitRepo": [("remote_url", 1, _TEXT, False), ("commit", 2, _TEXT, False)],
    "Item": [
        ("key", 1, _TEXT, False), ("nested_key", 2, _TEXT, True), ("boolean", 4, _BOOL, False),
        ("integer", 5, _SINT64, False), ("number", 6, _DOUBLE, False), ("text", 7, _TEXT, False),
        ("json", 8, _TEXT, False), ("value_json", 16, _TEXT, False),
    ],
    "HistoryStep": [("num", 1, _INT64, False)],
    "History": [("item", 1, "Item", True), ("step", 2, "HistoryStep", False)],
    "Updates": [("update", 1, "Item", True), ("remove", 2, "Item", True)],
    "Run": [
        ("run_id", 1, _TEXT, False), ("entity", 2, _TEXT, False), ("project", 3, _TEXT, False),
        ("config", 4, "Updates", False), ("summary", 5, "Updates", False),
        ("run_group", 6, _TEXT, False), ("job_type", 7, _TEXT, False),
        ("display_name", 8, _TEXT, False), ("notes", 9, _TEXT, False), ("tags", 10, _TEXT, True),
        ("host", 13, _TEXT, False), ("start_time", 17, "Timestamp", False),
        ("runtime", 20, _INT32, False), ("git", 21, "GitRepo", False),
    ],
    "Exit": [("exit_code", 1, _INT32, False), ("runtime", 2, _INT32, False)],
    "Environment": [
        ("started_at", 3, "Timestamp", False), ("program", 6, _TEXT, False), ("git", 9, "GitRepo", False),
        ("email", 10, _TEXT, False), ("host", 12, _TEXT, False), ("username", 13, _TEXT, False),
    ],
    "Empty": [],
    "Record": [
        ("num", 1, _INT64, False), ("history", 2, "History", False), ("summary", 3, "Updates", False),
        ("config", 5, "Updates", False), ("run", 17, "Run", False), ("exit", 18, "Exit", False),
        ("preempting", 23, "Empty", False), ("environment", 26, "Environment", False),
    ],
}
_PACKAGE = "fourpart_wandb_subset"


def _message_classes() -> dict[str, Any]:
    proto = descriptor_pb2.FileDescriptorProto(name=f"{_PACKAGE}.proto", package=_PACKAGE, syntax="proto2")
    for name, fields in _SCHEMA.items():
        message = proto.message_type.add(name=name)
        for field_name, number, kind, repeated in fields:
            spec = message.field.add(name=field_name, number=number)
            spec.label = _F.LABEL_REPEATED if repeated else _F.LABEL_OPTIONAL
            if isinstance(kind, str):
                spec.type, spec.type_name = _F.TYPE_MESSAGE, f".{_PACKAGE}.{kind}"
            else:
                spec.type = kind
    pool = descriptor_pool.DescriptorPool()
    pool.Add(proto)
    return {name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{_PACKAGE}.{name}"))
            for name in _SCHEMA}


MESSAGES = _message_classes()
"""The schema's message classes by name; tests build real-format logs with them."""


@dataclass
class WandbLog:
    """What one ``.wandb`` file says about its run."""

    run_id: str = ""
    project: str = ""
    entity: str = ""
    display_name: str = ""
    notes: str = ""
    group: str = ""
    job_type: str = ""
    tags: list[str] = field(default_factory=list)
    host: str = ""
    program: str = ""
    email: str = ""
    username: str = ""
    commit: str = ""
    remote: str = ""
    started_at: datetime | None = None
    config: dict[str, object] = field(default_factory=dict)
    summary: dict[str, object] = field(default_factory=dict)
    history: dict[str, list[Point]] = field(default_factory=dict)
    exit_code: int | None = None
    exit_runtime: int | None = None
    preempted: bool = False
    records: int = 0
    problems: list[str] = field(default_factory=list)


def read_wandb_log(data: bytes, source: str, *, block: int = BLOCK) -> WandbLog:
    """Decode a whole ``.wandb`` file; a file that is not one raises EvidenceParseError."""
    if len(data) < FILE_HEADER.size:
        raise EvidenceParseError(source, "not a W&B run log (shorter than its 7-byte header)")
    ident, magic, version = FILE_HEADER.unpack_from(data)
    if ident != IDENT or magic != MAGIC:
        raise EvidenceParseError(source, "not a W&B run log (bad file header)")
    if version != VERSION:
        raise EvidenceParseError(source, f"W&B run log format version {version} is not supported")
    log = WandbLog()
    record_class = MESSAGES["Record"]
    for payload in _payloads(data, log.problems, block):
        try:
            record = record_class.FromString(payload)
        except DecodeError:
            log.problems.append(f"record {log.records + 1} is not a W&B record; the rest was not read")
            break
        log.records += 1
        _apply(log, record)
    return log


def _payloads(data: bytes, problems: list[str], block: int) -> Iterator[bytes]:
    pos, pending = FILE_HEADER.size, None
    while pos < len(data):
        space = block - pos % block
        if space < RECORD_HEADER.size:
            pos += space
            continue
        if pos + RECORD_HEADER.size > len(data):
            problems.append(f"log ends inside a record header at byte {pos} (run crashed or still writing)")
            return
        checksum, length, kind = RECORD_HEADER.unpack_from(data, pos)
        if checksum == length == kind == 0 and not data[pos:pos + space].strip(b"\0"):
            pos += space  # a zero-filled rest of a block
            continue
        start, end = pos + RECORD_HEADER.size, pos + RECORD_HEADER.size + length
        if kind not in _CRC_SEED or end > pos + space:
            problems.append(f"corrupt record header at byte {pos}; the rest was not read")
            return
        if end > len(data):
            problems.append(f"log ends inside a record at byte {pos} (run crashed or still writing)")
            return
        chunk = data[start:end]
        if zlib.crc32(chunk, _CRC_SEED[kind]) != checksum:
            problems.append(f"checksum mismatch at byte {pos}; the rest was not read")
            return
        pos = end
        if kind == FULL:
            yield chunk
        elif kind == FIRST:
            pending = bytearray(chunk)
        elif pending is None:
            problems.append(f"record continuation without a start at byte {pos}; the rest was not read")
            return
        else:
            pending += chunk
            if kind == LAST:
                yield bytes(pending)
                pending = None
    if pending is not None:
        problems.append("log ends inside a record split across blocks (run crashed or still writing)")


def _apply(log: WandbLog, record: Any) -> None:
    if record.HasField("run"):
        _apply_run(log, record.run)
    if record.HasField("environment"):
        _apply_environment(log, record.environment)
    if record.HasField("config"):
        _apply_updates(log.config, record.config)
    if record.HasField("summary"):
        _apply_updates(log.summary, record.summary)
    if record.HasField("history"):
        _apply_history(log, record.history)
    if record.HasField("exit"):
        log.exit_code = record.exit.exit_code
        log.exit_runtime = record.exit.runtime if record.exit.HasField("runtime") else None
    if record.HasField("preempting"):
        log.preempted = True


def _apply_run(log: WandbLog, run: Any) -> None:
    for name in ("run_id", "project", "entity", "display_name", "notes", "host"):
        if run.HasField(name):
            setattr(log, name, _text(getattr(run, name)))
    if run.HasField("run_group"):
        log.group = _text(run.run_group)
    if run.HasField("job_type"):
        log.job_type = _text(run.job_type)
    if run.tags:
        log.tags = [_text(tag) for tag in run.tags]
    if run.HasField("start_time"):
        log.started_at = _timestamp(run.start_time) or log.started_at
    if run.HasField("git"):
        log.commit = _text(run.git.commit) or log.commit
        log.remote = _text(run.git.remote_url) or log.remote
    if run.HasField("config"):
        _apply_updates(log.config, run.config)
    if run.HasField("summary"):
        _apply_updates(log.summary, run.summary)


def _apply_environment(log: WandbLog, env: Any) -> None:
    if env.HasField("started_at") and log.started_at is None:
        log.started_at = _timestamp(env.started_at)
    for name in ("program", "email", "username", "host"):
        if env.HasField(name) and not getattr(log, name):
            setattr(log, name, _text(getattr(env, name)))
    if env.HasField("git") and not log.commit:
        log.commit = _text(env.git.commit)
        log.remote = log.remote or _text(env.git.remote_url)


def _apply_updates(target: dict[str, object], updates: Any) -> None:
    for item in updates.update:
        key = _key(item)
        if key:
            target[key] = _value(item)
    for item in updates.remove:
        target.pop(_key(item), None)


def _apply_history(log: WandbLog, history: Any) -> None:
    row = {_key(item): _value(item) for item in history.item}
    step_value = row.get("_step")
    step = step_value if isinstance(step_value, int) and not isinstance(step_value, bool) else None
    if step is None and history.HasField("step"):
        step = history.step.num
    seconds = as_number(row.get("_timestamp"))
    moment = _seconds(seconds) if seconds is not None else None
    for key, value in row.items():
        if key.startswith("_"):
            continue
        leaves = flatten(value, f"{key}.") if isinstance(value, dict) else {key: value}
        for leaf_key, leaf in leaves.items():
            number = as_number(leaf)
            if number is not None:
                log.history.setdefault(leaf_key, []).append((step, number, moment))


def _key(item: Any) -> str:
    if item.key:
        return _text(item.key)
    return ".".join(_text(part) for part in item.nested_key)


def _value(item: Any) -> object:
    if item.HasField("value_json"):
        return _json(item.value_json)
    if item.HasField("number"):
        return item.number
    if item.HasField("integer"):
        return item.integer
    if item.HasField("boolean"):
        return item.boolean
    if item.HasField("text"):
        return _text(item.text)
    if item.HasField("json"):
        return _json(item.json)
    return None


def _json(raw: bytes) -> object:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return _text(raw)


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def _timestamp(stamp: Any) -> datetime | None:
    return _seconds(stamp.seconds + stamp.nanos / 1e9)


def _seconds(value: float) -> datetime | None:
    try:
        return from_seconds(value, "")
    except EvidenceParseError:
        return None
