"""The "substantially all" test per business component (§41(d)(3), Treas. Reg. §1.41-4(a)(6)).

At least 80% of the component's activities, measured on one declared basis (hours or cost), must be
elements of a process of experimentation. Below 80% the shrinking-back rule (§1.41-4(b)(2)) tests
the next most significant subset, down to the one that qualifies. The figures are always shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from studies.credit.inputs import ZERO, Activity, InvalidCreditInput, non_negative
from studies.credit.money import rate

THRESHOLD = Decimal("0.80")
BASES = ("hours", "cost")
__all__ = ["BASES", "THRESHOLD", "Activity", "ShrinkBack", "SubstantiallyAll", "measure_pair", "measure_text",
           "shrink_back", "substantially_all"]


@dataclass(frozen=True)
class SubstantiallyAll:
    subject: str
    basis: str
    experimentation: Decimal
    total: Decimal
    share: Decimal
    activities: tuple[Activity, ...]

    @property
    def passes(self) -> bool:
        return self.total > 0 and self.share >= THRESHOLD

    @property
    def explanation(self) -> str:
        verdict = "meets" if self.passes else "does not meet"
        return (
            f"{self.subject}: {measure_pair(self.experimentation, self.total, self.basis)} are elements "
            f"of a process of experimentation = {self.share * 100:.2f}%, which {verdict} the 80% test"
        )


def measure_text(value: Decimal, basis: str) -> str:
    """Hours as a plain number (``3,900`` or ``12.5``), cost in dollars (``$385,100.00``)."""
    if basis == "cost":
        return f"${value:,.2f}"
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"


def measure_label(value: Decimal, basis: str | None) -> str:
    """A measure with its unit: ``3,900 hours`` or ``$385,100.00``."""
    text = measure_text(value, basis or "")
    return text if basis == "cost" else f"{text} {basis or ''}".strip()


def measure_pair(part: Decimal, whole: Decimal, basis: str) -> str:
    """``3,900 of 5,800 hours`` or ``$64,000.00 of $80,000.00 in cost``."""
    unit = "in cost" if basis == "cost" else basis
    return f"{measure_text(part, basis)} of {measure_text(whole, basis)} {unit}"


def substantially_all(subject: str, activities: Sequence[Activity], basis: str) -> SubstantiallyAll:
    if basis not in BASES:
        raise InvalidCreditInput("basis", f"must be one of {', '.join(BASES)} (got {basis!r})")
    for index, activity in enumerate(activities):
        non_negative(activity.measure, f"activities[{index}].measure")
    total = sum((a.measure for a in activities), ZERO)
    experimentation = sum((a.measure for a in activities if a.experimentation), ZERO)
    share = rate(experimentation / total) if total else ZERO
    return SubstantiallyAll(subject, basis, experimentation, total, share, tuple(activities))


@dataclass(frozen=True)
class ShrinkBack:
    tests: tuple[SubstantiallyAll, ...]

    @property
    def qualifying(self) -> SubstantiallyAll | None:
        """The first (most inclusive) level that passes; None if no subset qualifies."""
        return next((t for t in self.tests if t.passes), None)

    @property
    def explanation(self) -> str:
        lines = [t.explanation for t in self.tests]
        found = self.qualifying
        if found is None:
            lines.append("no subset qualifies: nothing of this component is claimed")
        elif found is not self.tests[0]:
            lines.append(
                f"shrinking-back rule (Treas. Reg. §1.41-4(b)(2)): {found.subject} is what is claimed"
            )
        return "\n".join(lines)


def shrink_back(levels: Sequence[tuple[str, Sequence[Activity]]], basis: str) -> ShrinkBack:
    """Test the whole component, then each smaller subset in order, stopping at the first that passes."""
    tests: list[SubstantiallyAll] = []
    for subject, activities in levels:
        tests.append(substantially_all(subject, activities, basis))
        if tests[-1].passes:
            break
    return ShrinkBack(tuple(tests))
