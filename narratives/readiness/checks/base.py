"""A readiness check, and how the records it names are labelled."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from narratives.readiness.findings import RecordRef, Severity, Verdict
from narratives.readiness.snapshot import ProjectSnapshot, StudySnapshot
from studies.models import Experiment, Layer, UncertaintyStatement, WageAllocation

LABEL_LIMIT = 70


@dataclass(frozen=True)
class Check:
    """``run`` yields one verdict per record it applies to, passing or not."""

    id: str
    severity: Severity
    title: str
    run: Callable[[StudySnapshot], Iterable[Verdict]]


def clip(text: str, limit: int = LABEL_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def project_ref(snapshot: ProjectSnapshot) -> RecordRef:
    return RecordRef("project", snapshot.project.id, snapshot.project.name, snapshot.code)


def uncertainty_ref(snapshot: ProjectSnapshot, item: UncertaintyStatement) -> RecordRef:
    return RecordRef("uncertainty", item.id, clip(item.statement), snapshot.code)


def experiment_ref(snapshot: ProjectSnapshot, item: Experiment) -> RecordRef:
    return RecordRef("experiment", item.id, clip(item.name), snapshot.code)


def layer_ref(snapshot: ProjectSnapshot, item: Layer) -> RecordRef:
    return RecordRef("layer", item.id, clip(item.name), snapshot.code)


def percent(value: Decimal) -> str:
    """60.00 as "60%", 12.50 as "12.5%"."""
    return f"{value.normalize():f}%"


def allocation_ref(snapshot: ProjectSnapshot, item: WageAllocation) -> RecordRef:
    label = f"{item.employee.name}: {percent(item.percent)} {item.activity.value.replace('_', ' ')}"
    return RecordRef("allocation", item.id, label, snapshot.code)


def claimed(study: StudySnapshot) -> list[ProjectSnapshot]:
    """The projects the study claims as qualifying; a wrapper the layers exclude is judged apart."""
    return [p for p in study.projects if p.claimed_as_qualifying]
