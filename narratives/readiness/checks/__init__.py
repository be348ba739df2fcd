"""Every readiness check, in the order findings are listed."""

from narratives.readiness.checks import evidence, fourpart, layers, narratives, people
from narratives.readiness.checks.base import Check

CHECKS: tuple[Check, ...] = (*evidence.CHECKS, *layers.CHECKS, *fourpart.CHECKS, *people.CHECKS,
                             *narratives.CHECKS)
CHECK_IDS = frozenset(check.id for check in CHECKS)

__all__ = ["CHECKS", "CHECK_IDS", "Check"]
