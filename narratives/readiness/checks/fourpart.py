"""The four-part test as an examiner reads the record: evidence per prong, uncertainty before
experiments, alternatives evaluated, failures kept, and nothing only a person asserted."""

from __future__ import annotations

from collections.abc import Iterator

from narratives.guides import prong_info
from narratives.models import Prong
from narratives.readiness.checks.base import (
    Check,
    claimed,
    clip,
    experiment_ref,
    project_ref,
    uncertainty_ref,
)
from narratives.readiness.findings import Severity, Verdict
from narratives.readiness.snapshot import StudySnapshot
from studies.models import Outcome

MIN_ALTERNATIVES = 2
FAILURES = (Outcome.FAILED, Outcome.ABANDONED)


def prong_evidence(study: StudySnapshot) -> Iterator[Verdict]:
    for project in claimed(study):
        supported = {item.prong for item in project.evidence}
        for prong in Prong:
            if prong in supported:
                yield Verdict(project_ref(project))
                continue
            said = (" Interview answers speak to it, but only a person says so."
                    if prong in project.said else "")
            yield Verdict(project_ref(project),
                          f"{project.project.name}: no accepted evidence supports the "
                          f"{prong_info(prong).label.lower()} prong.{said} Link the record that shows it.",
                          {"prong": prong.value})


def uncertainty_before_experiments(study: StudySnapshot) -> Iterator[Verdict]:
    for project in claimed(study):
        for item in project.uncertainties:
            started = [e for e in item.experiments if e.started_on is not None]
            if not started:
                continue
            first = min(started, key=lambda e: (e.started_on, e.id))
            if first.started_on is not None and item.identified_on <= first.started_on:
                yield Verdict(uncertainty_ref(project, item))
                continue
            yield Verdict(uncertainty_ref(project, item),
                          f"{project.project.name}: the uncertainty is dated {item.identified_on}, after "
                          f"its first experiment '{first.name}' started on {first.started_on}. An examiner "
                          "reads it as written after the fact: date it when it was first identified and link "
                          "the record that shows when.",
                          {"identified_on": item.identified_on.isoformat(), "first_experiment": first.id})


def has_uncertainty(study: StudySnapshot) -> Iterator[Verdict]:
    for project in claimed(study):
        yield Verdict(project_ref(project), None if project.uncertainties else
                      f"{project.project.name}: no technical uncertainty is recorded, so nothing says what "
                      "the work set out to discover.")


def uncertainty_resolved(study: StudySnapshot) -> Iterator[Verdict]:
    for project in claimed(study):
        for item in project.uncertainties:
            yield Verdict(uncertainty_ref(project, item), None if item.experiments else
                          f"{project.project.name}: no alternative is recorded for the uncertainty "
                          f"'{clip(item.statement, 60)}'. Record what was tried to resolve it.")


def alternatives_evaluated(study: StudySnapshot) -> Iterator[Verdict]:
    for project in claimed(study):
        alternatives = [e for e in project.experiments if e.outcome is not Outcome.BASELINE]
        if len(alternatives) >= MIN_ALTERNATIVES:
            yield Verdict(project_ref(project))
            continue
        yield Verdict(project_ref(project),
                      f"{project.project.name}: {len(alternatives)} alternative"
                      f"{'' if len(alternatives) == 1 else 's'} evaluated; a process of experimentation "
                      f"needs at least {MIN_ALTERNATIVES}. Record the alternatives that were tried.",
                      {"alternatives": len(alternatives)})


def failure_recorded(study: StudySnapshot) -> Iterator[Verdict]:
    for project in claimed(study):
        experiments = project.experiments
        if not experiments:
            continue  # alternatives_evaluated already says so
        if any(e.outcome in FAILURES for e in experiments):
            yield Verdict(project_ref(project))
            continue
        yield Verdict(project_ref(project),
                      f"{project.project.name}: no failed or abandoned alternative is recorded. Work whose "
                      "every attempt succeeded reads as routine; record the ones that did not work.")


def records_backed_by_evidence(study: StudySnapshot) -> Iterator[Verdict]:
    for project in claimed(study):
        for item in project.uncertainties:
            yield Verdict(uncertainty_ref(project, item),
                          None if project.evidence_for("uncertainty", item.id) else
                          f"{project.project.name}: the uncertainty '{clip(item.statement, 60)}' rests "
                          "only on what a person wrote here. Link the document, ticket or decision record "
                          "that shows it.")
        for experiment in project.experiments:
            yield Verdict(experiment_ref(project, experiment),
                          None if project.evidence_for("experiment", experiment.id) else
                          f"{project.project.name}: the experiment '{experiment.name}' rests only on what a "
                          "person wrote here. Link the run, ablation row or decision record that shows it.")


CHECKS = (
    Check("prong-without-evidence", Severity.BLOCKING, "Every prong has accepted evidence", prong_evidence),
    Check("no-uncertainty", Severity.BLOCKING, "A technical uncertainty is recorded", has_uncertainty),
    Check("uncertainty-after-experiments", Severity.BLOCKING,
          "Uncertainties are dated before the experiments that resolved them",
          uncertainty_before_experiments),
    Check("uncertainty-without-experiments", Severity.WARNING,
          "Every uncertainty has the alternatives that addressed it", uncertainty_resolved),
    Check("too-few-alternatives", Severity.BLOCKING, "At least two alternatives were evaluated",
          alternatives_evaluated),
    Check("no-failed-alternative", Severity.WARNING, "A failed or abandoned alternative is recorded",
          failure_recorded),
    Check("asserted-only", Severity.WARNING, "Uncertainties and experiments are backed by evidence",
          records_backed_by_evidence),
)
