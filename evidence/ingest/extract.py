"""Parse one unit before anything is stored: what its artifact will be called, dated and hold.

An :class:`Extraction` carries the parsed facts and a ``write`` function that puts them in the
database later, inside the transaction that stores the original. Parsing first means a bad
file is refused before a single byte of it reaches the blob store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from evidence.ingest import facts
from evidence.ingest.detect import Unit
from evidence.ingest.documents import document_media_type
from evidence.ingest.limits import IngestLimits
from evidence.ingest.pack import TAR_MEDIA_TYPE
from evidence.models import ArtifactKind
from evidence.parsers import EvidenceParseError, read_bounded
from evidence.parsers.ablation import parse_ablation
from evidence.parsers.adr import parse_adr
from evidence.parsers.adr_text import MAX_BYTES as ADR_MAX_BYTES
from evidence.parsers.runs import ParsedRun
from evidence.parsers.runs.detect import PARSERS

FactWriter = Callable[[Session, int, int], dict[str, Any]]
"""(session, study_id, revision_id) -> counts."""

RUN_MEDIA_TYPES = {"mlflow_db": "application/vnd.sqlite3", "tabular": "text/csv",
                   "wandb_csv": "text/csv", "tensorboard": "application/octet-stream",
                   "wandb_dir": "application/octet-stream"}
TRACKER_NAMES = {"mlruns": "MLflow", "mlflow_db": "MLflow", "wandb_dir": "W&B", "wandb_csv": "W&B",
                 "tensorboard": "TensorBoard", "tabular": "Run log"}


@dataclass(frozen=True)
class Extraction:
    title: str
    media_type: str
    content_start: dt.date | None
    content_end: dt.date | None
    write: FactWriter
    summary: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def extract(unit: Unit, limits: IngestLimits) -> Extraction:
    """Parse ``unit`` (EvidenceParseError names the file and place of any problem)."""
    if unit.path.is_file() and unit.path.stat().st_size > limits.max_file_bytes:
        raise EvidenceParseError(unit.relative, f"file is {unit.path.stat().st_size:,} bytes, over the "
                                                f"{limits.max_file_bytes:,}-byte limit")
    if unit.kind is ArtifactKind.ADR:
        return _adr(unit)
    if unit.kind is ArtifactKind.RUN_LOG:
        return _run_log(unit, limits)
    if unit.kind is ArtifactKind.ABLATION:
        return _ablation(unit, limits)
    if unit.kind is ArtifactKind.DOCUMENT:
        return _document(unit)
    raise ValueError(f"{unit.kind} is not extracted here")


def _adr(unit: Unit) -> Extraction:
    parsed = parse_adr(read_bounded(unit.path, ADR_MAX_BYTES, unit.relative), source=unit.relative)

    def write(session: Session, study_id: int, revision_id: int) -> dict[str, Any]:
        return facts.write_decision(session, study_id=study_id, revision_id=revision_id, parsed=parsed)

    return Extraction(title=parsed.title or unit.path.name, media_type="text/markdown",
                      content_start=parsed.decided_on, content_end=parsed.decided_on, write=write,
                      summary={"template": parsed.template, "status": parsed.status})


def _run_log(unit: Unit, limits: IngestLimits) -> Extraction:
    assert unit.reader is not None
    try:
        parsed = PARSERS[unit.reader](unit.path, limits=limits.read_limits)
    except EvidenceParseError as exc:
        if exc.source == unit.relative or unit.relative.endswith(exc.source):
            raise
        raise EvidenceParseError(f"{unit.relative} ({exc.source})", exc.message, line=exc.line,
                                 row=exc.row, field=exc.field) from exc
    runs = parsed.runs
    if not runs:
        raise EvidenceParseError(unit.relative, "no runs found in this run log")
    start, end = _run_dates(runs)

    def write(session: Session, study_id: int, revision_id: int) -> dict[str, Any]:
        return facts.write_runs(session, study_id=study_id, revision_id=revision_id, runs=runs)

    media_type = TAR_MEDIA_TYPE if unit.path.is_dir() else RUN_MEDIA_TYPES.get(unit.reader, "text/plain")
    if unit.reader == "tabular" and unit.path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        media_type = "application/x-ndjson"
    title = f"{TRACKER_NAMES[unit.reader]} runs: {unit.path.name}"
    return Extraction(title=title, media_type=media_type, content_start=start, content_end=end,
                      write=write, summary={"reader": unit.reader}, warnings=parsed.warnings)


def _run_dates(runs: tuple[ParsedRun, ...]) -> tuple[dt.date | None, dt.date | None]:
    moments = [moment for run in runs for moment in (run.started_at, run.ended_at) if moment]
    if not moments:
        return None, None
    return min(moments).date(), max(moments).date()


def _ablation(unit: Unit, limits: IngestLimits) -> Extraction:
    tables = parse_ablation(unit.path, max_bytes=limits.max_file_bytes)

    def write(session: Session, study_id: int, revision_id: int) -> dict[str, Any]:
        return facts.write_ablation(session, study_id=study_id, revision_id=revision_id, tables=tables)

    is_xlsx = unit.path.read_bytes()[:4] == b"PK\x03\x04"
    media_type = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if is_xlsx
                  else "text/csv")
    questions = tuple(question for table in tables for question in table.questions)
    return Extraction(title=unit.path.name, media_type=media_type, content_start=None, content_end=None,
                      write=write, summary={"tables": facts.ablation_summary(tables)}, warnings=questions)


def _document(unit: Unit) -> Extraction:
    media_type = document_media_type(unit.path, unit.relative)

    def write(_session: Session, _study_id: int, _revision_id: int) -> dict[str, Any]:
        return {}

    return Extraction(title=unit.path.name, media_type=media_type, content_start=None,
                      content_end=None, write=write)
