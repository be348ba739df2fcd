"""What an ingest reports for each artifact: the line the CLI prints and the API returns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from evidence.models import ArtifactKind
from evidence.store import Outcome


@dataclass(frozen=True)
class IngestResult:
    """One artifact stored (or found already stored) and the counts of what was extracted.

    ``counts`` holds, by kind: ``commits``/``new_commits``/``branches``/``tags`` (git),
    ``decisions``/``options`` (ADR), ``runs`` and ``runs_by_status`` (run logs),
    ``tables``/``variants``/``metrics`` (ablations). For a duplicate, the counts are those of
    the revision that already holds the content.
    """

    artifact_id: int
    revision_id: int
    kind: ArtifactKind
    sha256: str
    outcome: Outcome
    path: str
    content_start: dt.date | None
    content_end: dt.date | None
    counts: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.artifact_id, "revision_id": self.revision_id, "kind": self.kind.value,
            "sha256": self.sha256, "outcome": self.outcome.value, "path": self.path,
            "content_start": self.content_start.isoformat() if self.content_start else None,
            "content_end": self.content_end.isoformat() if self.content_end else None,
            "counts": self.counts, "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class IngestFailure:
    """A file that was refused; nothing of it was stored. ``message`` names the file and place."""

    path: str
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "error": self.message}
