"""Form 6765 Section G: which business components are listed, and whether the section is required."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from studies.credit.inputs import ZERO
from studies.credit.schedule import ComponentQres, QreSchedule

COVERAGE = Decimal("0.80")
MAX_COMPONENTS = 50
SMALL_QRES = Decimal(1_500_000)
SMALL_RECEIPTS = Decimal(50_000_000)


def listed_components(schedule: QreSchedule) -> tuple[ComponentQres, ...]:
    """Components in descending QRE order until they cover 80% of total QREs, at most 50."""
    total = schedule.total
    ranked = sorted(
        (c for c in schedule.components if c.total > 0), key=lambda c: (-c.total, c.code or "")
    )
    listed: list[ComponentQres] = []
    covered = ZERO
    for component in ranked:
        if covered >= total * COVERAGE or len(listed) == MAX_COMPONENTS:
            break
        listed.append(component)
        covered += component.total
    return tuple(listed)


@dataclass(frozen=True)
class SectionGStatus:
    status: str  # "required", "optional" or "not_on_form"
    reason: str


def section_g_status(
    tax_year: int,
    *,
    payroll_elected: bool,
    amended_return: bool,
    total_qres: Decimal,
    gross_receipts: Decimal | None,
) -> SectionGStatus:
    if tax_year < 2024:
        return SectionGStatus(
            "not_on_form", "Section G is new in the December 2024 revision (tax years from 2024)"
        )
    if tax_year <= 2025:
        return SectionGStatus(
            "optional", f"Section G is optional for tax years 2024 and 2025 ({tax_year})"
        )
    if payroll_elected:
        return SectionGStatus(
            "optional", "not required: a qualified small business taking the payroll tax election"
        )
    small = gross_receipts is not None and total_qres <= SMALL_QRES and gross_receipts <= SMALL_RECEIPTS
    if small and not amended_return:
        return SectionGStatus(
            "optional",
            "not required: an original return with QREs up to $1.5M and gross receipts up to $50M",
        )
    why = (
        "an amended return"
        if small
        else (
            "gross receipts for the tax year are not recorded"
            if gross_receipts is None
            else "QREs over $1.5M or gross receipts over $50M"
        )
    )
    return SectionGStatus("required", f"required from tax year 2026 ({why})")
