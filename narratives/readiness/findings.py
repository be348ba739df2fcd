"""What a readiness check says: a finding names its check, how bad it is, and the record to fix."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.StrEnum):
    BLOCKING = "blocking"  # an examiner would reject the claim as it stands
    WARNING = "warning"  # weakens the file; fix before the package is final


WEIGHTS = {Severity.BLOCKING: 3, Severity.WARNING: 1}


@dataclass(frozen=True)
class RecordRef:
    """The record a finding is about: ``type`` is study, project, uncertainty, experiment, layer,
    narrative or allocation; ``project`` the code of the project it belongs to, if any."""

    type: str
    id: int
    label: str
    project: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"type": self.type, "id": self.id, "label": self.label, "project": self.project}


@dataclass(frozen=True)
class Verdict:
    """One check applied to one record: ``problem`` is None when the record passes."""

    record: RecordRef
    problem: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    check: str
    severity: Severity
    message: str
    record: RecordRef
    detail: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"check": self.check, "severity": self.severity.value, "message": self.message,
                "record": self.record.as_json(), **({"detail": self.detail} if self.detail else {})}


@dataclass(frozen=True)
class ReadinessReport:
    """Every finding, and the score: the severity-weighted share of (check, record) pairs that pass."""

    study_slug: str
    findings: tuple[Finding, ...]
    checked: int
    weight_total: int
    weight_failed: int

    @property
    def score(self) -> int:
        if self.weight_total == 0:
            return 0
        return round(100 * (self.weight_total - self.weight_failed) / self.weight_total)

    @property
    def blocking(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.BLOCKING)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def ready(self) -> bool:
        return not self.blocking

    def for_project(self, code: str) -> list[Finding]:
        return [f for f in self.findings if f.record.project == code]

    def study_wide(self) -> list[Finding]:
        return [f for f in self.findings if f.record.project is None]

    def as_json(self) -> dict[str, Any]:
        return {"study": self.study_slug, "score": self.score, "ready": self.ready, "checked": self.checked,
                "blocking": len(self.blocking), "warnings": len(self.warnings),
                "findings": [f.as_json() for f in self.findings]}
