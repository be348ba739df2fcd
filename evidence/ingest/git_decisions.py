"""Decision records found in a repository, each stored as an ADR artifact of its own.

Source ``git:<repository artifact id>``, path the record's repository path, and the dates git
gives it (:class:`~evidence.ingest.git_adrs.RepoAdr`): the first commit adding the file stands
in for a record without a date, and the content dates span its first and last commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from core.blobstore import BlobStore
from core.db import Database
from evidence.ingest import facts
from evidence.ingest.detect import Unit
from evidence.ingest.extract import Extraction
from evidence.ingest.files import store_unit
from evidence.ingest.git_adrs import RepoAdr
from evidence.ingest.limits import IngestLimits
from evidence.ingest.results import IngestFailure, IngestResult
from evidence.models import ArtifactKind
from evidence.parsers import EvidenceParseError
from evidence.parsers.adr import parse_adr


def adr_results(db: Database, store: BlobStore, study_id: int, records: Sequence[RepoAdr], *,
                repo_artifact_id: int, uploaded_by_id: int | None,
                limits: IngestLimits) -> list[IngestResult | IngestFailure]:
    """One result per record, each stored in its own transaction."""
    results: list[IngestResult | IngestFailure] = []
    for record in records:
        unit = Unit(ArtifactKind.ADR, record.file, record.path)
        try:
            extraction = _extraction(record)
            results.append(store_unit(db, store, study_id, unit, extraction, uploaded_by_id=uploaded_by_id,
                                      source=f"git:{repo_artifact_id}", limits=limits))
        except EvidenceParseError as exc:
            results.append(IngestFailure(record.path, str(exc)))
    return results


def _extraction(record: RepoAdr) -> Extraction:
    parsed = parse_adr(record.file.read_bytes(), source=record.path, fallback_date=record.added)

    def write(session: Session, study_id: int, revision_id: int) -> dict[str, Any]:
        return facts.write_decision(session, study_id=study_id, revision_id=revision_id, parsed=parsed)

    return Extraction(
        title=parsed.title or record.file.name, media_type="text/markdown",
        content_start=record.added or parsed.decided_on, content_end=record.changed or parsed.decided_on,
        write=write, summary={"template": parsed.template, "status": parsed.status, "title": parsed.title,
                              "git": {"added": _iso(record.added), "changed": _iso(record.changed)}})


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
