"""The tie-out: Form 6765 Sections A/B, E, F and G agree with each other and with the QRE schedules."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from studies.credit.form6765 import Form6765
from studies.credit.inputs import ZERO
from studies.credit.qres import CATEGORIES
from studies.credit.schedule import QreSchedule
from studies.credit.section_g import COVERAGE, MAX_COMPONENTS

F_LINES = dict(zip(CATEGORIES, ("42", "43", "44", "45"), strict=True))
G_LINES = dict(zip(CATEGORIES, ("53", "54", "55", "56"), strict=True))


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class TieOut:
    checks: tuple[Check, ...]
    warnings: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def problems(self) -> tuple[str, ...]:
        return tuple(f"{c.name}: {c.detail}" for c in self.checks if not c.ok)

    def as_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "problems": list(self.problems),
            "warnings": list(self.warnings),
            "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in self.checks],
        }


def _money(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else ZERO


def _equal(name: str, left: Decimal, right: Decimal, what: str) -> Check:
    return Check(name, left == right, f"{what}: {left} vs {right}")


def tie_out(form: Form6765, schedule: QreSchedule) -> TieOut:
    lines = form.lines
    line48 = _money(lines["48"])
    checks = [_equal("line 48 = QRE schedule total", line48, schedule.total, "line 48 vs schedule")]
    credit_line = "5" if lines["5"] is not None else "20"
    checks.append(
        _equal(
            f"line {credit_line} = line 48",
            _money(lines[credit_line]),
            line48,
            f"line {credit_line} vs line 48",
        )
    )
    for category, line in F_LINES.items():
        by_component = sum((c.category(category) for c in schedule.components), ZERO)
        by_component += schedule.unassigned.category(category)
        checks.append(
            _equal(
                f"line {line} = schedule",
                _money(lines[line]),
                schedule.category(category),
                f"{category}: line {line} vs schedule",
            )
        )
        checks.append(
            _equal(
                f"line {line} = sum of components",
                _money(lines[line]),
                by_component,
                f"{category}: line {line} vs components",
            )
        )
    checks.extend(_section_g_checks(form, schedule, line48))
    warnings = []
    if schedule.unassigned.total:
        warnings.append(
            f"{schedule.unassigned.total} of QREs are not attributed to a business component"
        )
    return TieOut(tuple(checks), tuple(warnings))


def _section_g_checks(form: Form6765, schedule: QreSchedule, line48: Decimal) -> list[Check]:
    rows = form.section_g
    with_qres = [c for c in schedule.components if c.total > 0]
    checks = [
        Check(
            "line 37 = components with QREs",
            form.lines["37"] == len(with_qres),
            f"line 37 {form.lines['37']} vs {len(with_qres)} components with QREs",
        )
    ]
    for row, component in zip(rows, form.listed, strict=True):
        wages = sum((_money(row[n]) for n in ("50", "51", "52")), ZERO)
        checks.append(
            _equal(f"{component.code}: line 53 = lines 50-52", _money(row["53"]), wages, "wages")
        )
        for category, line in G_LINES.items():
            checks.append(
                _equal(
                    f"{component.code}: line {line} = schedule",
                    _money(row[line]),
                    component.category(category),
                    category,
                )
            )
    listed_total = sum((c.total for c in form.listed), ZERO)
    complete = len(form.listed) == len(with_qres)
    enough = complete or listed_total >= line48 * COVERAGE or len(form.listed) == MAX_COMPONENTS
    checks.append(
        Check(
            "Section G covers 80% of line 48",
            enough,
            f"listed {listed_total} of {line48} in {len(form.listed)} components",
        )
    )
    if complete and not schedule.unassigned.total:
        for category, line in G_LINES.items():
            total = sum((_money(row[line]) for row in rows), ZERO)
            checks.append(
                _equal(
                    f"Section G line {line} = line {F_LINES[category]}",
                    total,
                    _money(form.lines[F_LINES[category]]),
                    category,
                )
            )
    return checks
