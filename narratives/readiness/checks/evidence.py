"""Contemporaneous evidence: something dated within the tax year, per project and for the study."""

from __future__ import annotations

from collections.abc import Iterator

from narratives.readiness.checks.base import Check, claimed, project_ref
from narratives.readiness.evidence_dates import overlaps
from narratives.readiness.findings import RecordRef, Severity, Verdict
from narratives.readiness.snapshot import ProjectSnapshot, StudySnapshot


def _dated_in_year(project: ProjectSnapshot, study: StudySnapshot) -> bool:
    spans = [item.span for item in project.evidence] + [project.commit_span]
    return any(overlaps(span, study.year_start, study.year_end) for span in spans)


def project_evidence_in_year(study: StudySnapshot) -> Iterator[Verdict]:
    for project in claimed(study):
        yield Verdict(project_ref(project), None if _dated_in_year(project, study) else
                      f"{project.project.name}: no linked evidence or mapped commit is dated within "
                      f"{study.study.tax_year}; the claim rests on records made outside the tax year.")


def study_evidence_in_year(study: StudySnapshot) -> Iterator[Verdict]:
    record = RecordRef("study", study.study.id, study.study.title)
    if any(_dated_in_year(project, study) for project in study.projects):
        yield Verdict(record)
    else:
        yield Verdict(record, f"No evidence in the study is dated within {study.study.tax_year}.")


def study_has_projects(study: StudySnapshot) -> Iterator[Verdict]:
    record = RecordRef("study", study.study.id, study.study.title)
    yield Verdict(record, None if claimed(study) else
                  "The study has no project claimed as qualifying research.")


CHECKS = (
    Check("no-projects", Severity.BLOCKING, "The study claims at least one project", study_has_projects),
    Check("study-no-evidence-in-year", Severity.BLOCKING, "The study has evidence dated in the tax year",
          study_evidence_in_year),
    Check("no-evidence-in-year", Severity.BLOCKING, "Each project has evidence dated in the tax year",
          project_evidence_in_year),
)
