"""The Alternative Simplified Credit (§41(c)(4)): Form 6765 Section B, lines 14-26."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from studies.credit.inputs import ZERO
from studies.credit.money import cents

ASC_RATE = Decimal("0.14")
NO_HISTORY_RATE = Decimal("0.06")
BASIC_RATE = Decimal("0.20")
REDUCED_FACTOR = Decimal("0.79")


@dataclass(frozen=True)
class AscCredit:
    line14: Decimal
    line15: Decimal
    line16: Decimal
    line17: Decimal
    line18: Decimal
    line19: Decimal
    line20: Decimal
    line21: Decimal
    line22: Decimal | None  # blank when a prior year has no QREs
    line23: Decimal | None
    line24: Decimal
    line25: Decimal
    line26: Decimal
    reduced: bool
    prior_years: tuple[int, ...]
    missing_years: tuple[int, ...]

    @property
    def credit(self) -> Decimal:
        return self.line26

    @property
    def six_percent(self) -> bool:
        return bool(self.missing_years)

    @property
    def basis(self) -> str:
        if self.six_percent:
            years = ", ".join(str(y) for y in self.missing_years)
            return f"6% of current QREs: no QREs in {years}, one of the 3 prior years (§41(c)(4)(B))"
        return "14% of QREs over 50% of the average QREs of the 3 prior years (§41(c)(4)(A))"


def asc_credit(
    qres: Decimal,
    tax_year: int,
    prior_qres: Mapping[int, Decimal],
    *,
    reduced: bool,
    energy_consortia: Decimal = ZERO,
    basic_research: Decimal = ZERO,
    qualified_org_base: Decimal = ZERO,
) -> AscCredit:
    years = (tax_year - 3, tax_year - 2, tax_year - 1)
    missing = tuple(y for y in years if prior_qres.get(y, ZERO) <= 0)
    line17 = max(basic_research - qualified_org_base, ZERO)
    line18 = energy_consortia + line17
    line19 = cents(line18 * BASIC_RATE)
    line21 = sum((prior_qres.get(y, ZERO) for y in years), ZERO)
    if missing:
        line22 = line23 = None
        line24 = cents(qres * NO_HISTORY_RATE)
    else:
        line22 = cents(line21 / 6)
        line23 = max(qres - line22, ZERO)
        line24 = cents(line23 * ASC_RATE)
    line25 = line19 + line24
    line26 = cents(line25 * REDUCED_FACTOR) if reduced else line25
    return AscCredit(
        energy_consortia,
        basic_research,
        qualified_org_base,
        line17,
        line18,
        line19,
        qres,
        line21,
        line22,
        line23,
        line24,
        line25,
        line26,
        reduced,
        years,
        missing,
    )
