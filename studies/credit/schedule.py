"""The QRE schedules: totals by category and by business component, each with its items."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from studies.credit.inputs import ACTIVITIES, ZERO, Component
from studies.credit.qres import CATEGORIES, QreItem


def _sum(items: Iterable[QreItem]) -> Decimal:
    return sum((i.amount for i in items), ZERO)


@dataclass(frozen=True)
class ComponentQres:
    """One component's QREs as Section G lines 50-56 need them; ``code`` None holds unassigned amounts."""

    code: str | None
    name: str
    items: tuple[QreItem, ...] = ()
    component: Component | None = None

    def wages_for(self, activity: str) -> Decimal:
        return _sum(i for i in self.counted if i.category == "wages" and i.activity == activity)

    def category(self, category: str) -> Decimal:
        return _sum(i for i in self.counted if i.category == category)

    @property
    def counted(self) -> tuple[QreItem, ...]:
        return tuple(i for i in self.items if i.excluded_reason is None)

    @property
    def total(self) -> Decimal:
        return _sum(self.counted)

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            **{f"wages_{a}": str(self.wages_for(a)) for a in ACTIVITIES},
            **{c: str(self.category(c)) for c in CATEGORIES},
            "total": str(self.total),
            "items": [i.as_json() for i in self.items],
        }


@dataclass(frozen=True)
class QreSchedule:
    items: tuple[QreItem, ...]
    components: tuple[ComponentQres, ...]
    unassigned: ComponentQres = field(
        default_factory=lambda: ComponentQres(None, "(no business component)")
    )

    @property
    def counted(self) -> tuple[QreItem, ...]:
        return tuple(i for i in self.items if i.excluded_reason is None)

    @property
    def excluded(self) -> tuple[QreItem, ...]:
        return tuple(i for i in self.items if i.excluded_reason is not None)

    def category(self, category: str) -> Decimal:
        return _sum(i for i in self.counted if i.category == category)

    @property
    def total(self) -> Decimal:
        return _sum(self.counted)

    @property
    def officer_wages(self) -> Decimal:
        return _sum(i for i in self.counted if i.category == "wages" and i.officer)

    def section_174(self) -> dict[str, Decimal]:
        """Research costs in the records, domestic (§174A) and foreign (§174); §174 costs are broader."""
        domestic = sum((i.cost for i in self.items if i.domestic), ZERO)
        foreign = sum((i.cost for i in self.items if not i.domestic), ZERO)
        return {"domestic_174a": domestic, "foreign_174": foreign}

    def as_json(self) -> dict[str, object]:
        return {
            "by_category": {c: str(self.category(c)) for c in CATEGORIES},
            "total": str(self.total),
            "officer_wages": str(self.officer_wages),
            "by_component": [c.as_json() for c in self.components],
            "unassigned": self.unassigned.as_json(),
            "excluded": [i.as_json() for i in self.excluded],
            "section_174": {k: str(v) for k, v in self.section_174().items()},
        }


def build_schedule(items: list[QreItem], components: tuple[Component, ...]) -> QreSchedule:
    rows = tuple(
        ComponentQres(c.code, c.name, tuple(i for i in items if i.component == c.code), c)
        for c in components
    )
    unassigned = ComponentQres(
        None, "(no business component)", tuple(i for i in items if i.component is None)
    )
    return QreSchedule(tuple(items), rows, unassigned)
