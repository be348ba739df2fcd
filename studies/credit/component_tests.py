"""The "substantially all" test per business component, and the QREs following what it claims.

A component whose activities were measured (a declared basis and confirmed activity lines) is
tested level by level (:func:`studies.credit.substantially_all.shrink_back`). When the whole
component passes, everything counts. When only a subset passes (the shrinking-back rule, Treas.
Reg. §1.41-4(b)(2)), the component's QREs count in the proportion the subset is of the component's
measured activities, on the same basis. When nothing passes, none of its QREs count. A component
not measured keeps its QREs and is reported as not measured.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from studies.credit.inputs import ZERO, Component
from studies.credit.money import cents, percent_text, rate
from studies.credit.qres import QreItem
from studies.credit.substantially_all import ShrinkBack, SubstantiallyAll, measure_pair, shrink_back

ONE = Decimal(1)


@dataclass(frozen=True)
class ComponentTest:
    code: str
    name: str
    basis: str | None
    result: ShrinkBack | None
    unconfirmed: int = 0

    @property
    def status(self) -> str:
        """``not_measured``, ``passes``, ``shrunk_back`` (a subset is claimed) or ``fails``."""
        if self.result is None:
            return "not_measured"
        found = self.result.qualifying
        if found is None:
            return "fails"
        return "passes" if found is self.result.tests[0] else "shrunk_back"

    @property
    def whole(self) -> SubstantiallyAll | None:
        return self.result.tests[0] if self.result else None

    @property
    def claimed(self) -> SubstantiallyAll | None:
        return self.result.qualifying if self.result else None

    @property
    def fraction(self) -> Decimal:
        """The share of the component's QREs that count (exact, not rounded)."""
        if self.status in ("not_measured", "passes"):
            return ONE
        claimed, whole = self.claimed, self.whole
        if claimed is None or whole is None or whole.total == 0:
            return ZERO
        return claimed.total / whole.total

    @property
    def explanation(self) -> str:
        if self.result is None:
            why = "no basis is declared" if self.basis is None else "no confirmed activity lines"
            return f"{self.name}: the 80% test is not measured ({why}); its QREs are counted as recorded"
        text = self.result.explanation
        if self.status == "shrunk_back" and self.claimed and self.whole:
            text += (
                f"\nso {percent_text(rate(self.fraction))} of the component's QREs count: "
                f"{measure_pair(self.claimed.total, self.whole.total, self.basis or '')}"
            )
        return text

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "basis": self.basis,
            "status": self.status,
            "claimed_subject": self.claimed.subject if self.claimed else None,
            "claimed_fraction": str(rate(self.fraction)),
            "unconfirmed_activities": self.unconfirmed,
            "explanation": self.explanation,
            "levels": [_level_json(t) for t in self.result.tests] if self.result else [],
        }


def _level_json(test: SubstantiallyAll) -> dict[str, object]:
    return {
        "subject": test.subject,
        "experimentation": str(test.experimentation),
        "total": str(test.total),
        "share": str(test.share),
        "passes": test.passes,
        "activities": [
            {"label": a.label, "measure": str(a.measure), "experimentation": a.experimentation,
             "source": a.source}
            for a in test.activities
        ],
    }


def component_test(component: Component) -> ComponentTest:
    levels = component.activity_levels
    measured = (
        component.activity_basis is not None
        and bool(levels)
        and sum((a.measure for a in levels[0].activities), ZERO) > 0
    )
    result = None
    if measured and component.activity_basis is not None:
        result = shrink_back(
            [(level.subject, level.activities) for level in levels], component.activity_basis
        )
    return ComponentTest(
        component.code, component.name, component.activity_basis, result,
        component.unconfirmed_activities,
    )


def component_tests(components: tuple[Component, ...]) -> tuple[ComponentTest, ...]:
    return tuple(component_test(c) for c in components)


def follow_claims(items: list[QreItem], tests: tuple[ComponentTest, ...]) -> list[QreItem]:
    """Scale each component's counted items to the share its test claims (none when it fails)."""
    by_code = {t.code: t for t in tests if t.status in ("shrunk_back", "fails")}
    return [_follow(i, by_code[i.component]) if i.component in by_code else i for i in items]


def _follow(item: QreItem, test: ComponentTest) -> QreItem:
    if item.excluded_reason is not None:
        return item
    if test.status == "fails":
        reason = (
            f"excluded: {test.name} fails the substantially-all test on the {test.basis} basis and "
            "no subset of it qualifies (§41(d)(3), Treas. Reg. §1.41-4(b)(2))"
        )
        return replace(item, amount=ZERO, excluded_reason=reason)
    claimed = test.claimed
    subject = claimed.subject if claimed else ""
    basis = (
        f"{item.basis}; shrinking-back rule: {subject} is claimed, "
        f"{percent_text(rate(test.fraction))} of the component's measured {test.basis}, "
        f"so {cents(item.amount * test.fraction)} of {item.amount} counts"
    )
    return replace(item, amount=cents(item.amount * test.fraction), basis=basis)
