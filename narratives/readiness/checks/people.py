"""Wage allocations an examiner can trace to the person's own work on the project."""

from __future__ import annotations

from collections.abc import Iterator

from narratives.readiness.checks.base import Check, allocation_ref, claimed, percent
from narratives.readiness.findings import Severity, Verdict
from narratives.readiness.snapshot import ProjectSnapshot, StudySnapshot
from studies.models import WageAllocation


def _supported(project: ProjectSnapshot, allocation: WageAllocation) -> bool:
    employee = allocation.employee
    email = (employee.email or "").strip().lower()
    interviewed = employee.name.strip().lower() in project.interviewees
    return bool(email and email in project.commit_authors) or interviewed


def allocations_supported(study: StudySnapshot) -> Iterator[Verdict]:
    for project in claimed(study):
        for allocation in project.allocations:
            if _supported(project, allocation):
                yield Verdict(allocation_ref(project, allocation))
                continue
            employee = allocation.employee
            source = allocation.source.value.replace("_", " ")
            yield Verdict(allocation_ref(project, allocation),
                          f"{employee.name}'s {percent(allocation.percent)} on {project.project.name} "
                          f"({source}) has no supporting evidence: no commit "
                          f"by {employee.email or 'them'} is mapped to the project and they were not "
                          "interviewed about it.")


CHECKS = (
    Check("allocation-unsupported", Severity.WARNING, "Wage allocations are backed by the person's own work",
          allocations_supported),
)
