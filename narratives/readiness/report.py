"""Run every readiness check on a study: the findings and the score."""

from __future__ import annotations

from sqlalchemy.orm import Session

from narratives.readiness.checks import CHECKS
from narratives.readiness.findings import WEIGHTS, Finding, ReadinessReport
from narratives.readiness.snapshot import load_snapshot
from studies.models import Study


def run_readiness(session: Session, study: Study) -> ReadinessReport:
    snapshot = load_snapshot(session, study)
    findings: list[Finding] = []
    checked = total = failed = 0
    for check in CHECKS:
        weight = WEIGHTS[check.severity]
        for verdict in check.run(snapshot):
            checked += 1
            total += weight
            if verdict.problem is None:
                continue
            failed += weight
            findings.append(Finding(check.id, check.severity, verdict.problem, verdict.record,
                                    verdict.detail))
    return ReadinessReport(study.slug, tuple(findings), checked, total, failed)
