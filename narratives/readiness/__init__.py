"""Readiness checks: the examiner's eye on a study, run before anyone else does."""

from narratives.readiness.findings import Finding, ReadinessReport, RecordRef, Severity
from narratives.readiness.report import run_readiness

__all__ = ["Finding", "ReadinessReport", "RecordRef", "Severity", "run_readiness"]
