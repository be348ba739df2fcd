"""The demo study's evidence, brought in through the same ingestors a user's files go through."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path

from core.blobstore import BlobStore
from core.db import Database
from evidence.ingest.files import Reported, ingest_path
from evidence.ingest.git import ingest_git
from evidence.ingest.git_rules import parse_rules
from evidence.ingest.limits import IngestLimits
from evidence.ingest.results import IngestFailure, IngestResult

REPOSITORY = "lexbridge-platform"
OTHER_SOURCES = ("mlruns", "ablations")
COMMIT_RULES = """
rules:
  - {project: citerag, name: "CiteRAG code", paths: ["citerag/**", "docs/citerag/**"]}
  - {project: verdict, name: "Verdict code", paths: ["verdict/**", "docs/verdict/**"]}
  - {project: forge, name: "Forge code", paths: ["forge/**", "docs/forge/**"]}
  - {project: quickbrief, name: "QuickBrief code", paths: ["quickbrief/**", "docs/quickbrief/**"]}
"""


class DemoEvidenceError(RuntimeError):
    """The generated demo material did not ingest cleanly: a bug in the generator or an ingestor."""


def ingest_demo_evidence(db: Database, store: BlobStore, study_id: int, materials: Path, *,
                         uploaded_by_id: int | None) -> list[IngestResult]:
    """Ingest the demo's repository (its commits mapped to projects by path, its ADRs), MLflow
    runs and ablation workbook."""
    limits = IngestLimits()
    with tempfile.TemporaryDirectory(prefix="fourpart-demo-git-") as workdir:
        reported: list[Reported] = list(ingest_git(
            db, store, study_id, materials / REPOSITORY, uploaded_by_id=uploaded_by_id,
            rules=parse_rules(COMMIT_RULES, source="demo rules"), path=REPOSITORY,
            workdir=Path(workdir), limits=limits))
    for name in OTHER_SOURCES:
        reported.extend(ingest_path(db, store, study_id, materials / name, uploaded_by_id=uploaded_by_id,
                                    source="cli", relative=name, limits=limits))
    return _all_stored(reported)


def _all_stored(reported: Iterable[Reported]) -> list[IngestResult]:
    results = []
    for item in reported:
        if isinstance(item, IngestFailure):
            raise DemoEvidenceError(item.message)
        results.append(item)
    return results
