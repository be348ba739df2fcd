"""The Regular credit (§41(a)(1), (c)): 20% of QREs over the base amount, and its fixed-base percentage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

from studies.credit.inputs import ZERO
from studies.credit.money import cents, percent_text, rate

FBP_CAP = Decimal("0.16")
STARTUP_RATE = Decimal("0.03")
# §41(c)(3)(B)(ii): for the 6th to 10th tax years with QREs, a fraction of the ratio of the
# years named (counted among the years with QREs).
PHASE_IN = {
    6: (Decimal(1) / 6, (4, 5)),
    7: (Decimal(1) / 3, (5, 6)),
    8: (Decimal(1) / 2, (5, 6, 7)),
    9: (Decimal(2) / 3, (5, 6, 7, 8)),
    10: (Decimal(5) / 6, (5, 6, 7, 8, 9)),
}
REGULAR_RATE = Decimal("0.20")
REDUCED_REGULAR_RATE = Decimal("0.158")


@dataclass(frozen=True)
class FixedBase:
    percentage: Decimal
    basis: str


def given_fixed_base(percentage: Decimal) -> FixedBase:
    if percentage > FBP_CAP:
        return FixedBase(FBP_CAP, f"given as {percent_text(percentage)}, capped at 16% (§41(c)(3)(A))")
    return FixedBase(percentage, f"given as {percent_text(percentage)}")


def startup_fixed_base(
    tax_year: int, qres: Mapping[int, Decimal], receipts: Mapping[int, Decimal], current_qres: Decimal
) -> FixedBase:
    """A start-up company's fixed-base percentage (§41(c)(3)(B)(ii)), from its years with QREs."""
    years = sorted(y for y, amount in qres.items() if y < tax_year and amount > 0)
    if current_qres > 0:
        years.append(tax_year)
    number = years.index(tax_year) + 1 if tax_year in years else len(years) + 1
    if number <= 5:
        return FixedBase(
            STARTUP_RATE,
            f"start-up company: tax year {tax_year} is its tax year number "
            f"{number} with QREs, so 3% (§41(c)(3)(B)(ii)(I))",
        )
    nth = {index + 1: year for index, year in enumerate(years)}
    if number in PHASE_IN:
        fraction, picks = PHASE_IN[number]
        chosen = tuple(nth[n] for n in picks)
        ratio = _ratio(chosen, qres, receipts)
        value = rate(min(fraction * ratio, FBP_CAP))
        return FixedBase(
            value,
            f"start-up company, tax year number {number} with QREs: {_fraction(fraction)} "
            f"of the QRE-to-gross-receipts ratio of {_years(chosen)} "
            f"({percent_text(rate(ratio))}) = {percent_text(value)} (§41(c)(3)(B)(ii))",
        )
    candidates = [nth[n] for n in range(5, 11)]
    best = min(combinations(candidates, 5), key=lambda pick: _ratio(pick, qres, receipts))
    value = rate(min(_ratio(best, qres, receipts), FBP_CAP))
    return FixedBase(
        value,
        f"start-up company, tax year number {number} with QREs: the ratio of the 5 "
        f"years chosen from its 5th-10th ({_years(best)}, the lowest) = "
        f"{percent_text(value)} (§41(c)(3)(B)(ii)(VII))",
    )


def _ratio(
    years: tuple[int, ...], qres: Mapping[int, Decimal], receipts: Mapping[int, Decimal]
) -> Decimal:
    total_qres = sum((qres.get(y, ZERO) for y in years), ZERO)
    total_receipts = sum((receipts.get(y, ZERO) for y in years), ZERO)
    if total_receipts == 0:
        return FBP_CAP  # no receipts: the ratio is unbounded, so the 16% cap applies
    return total_qres / total_receipts


def _fraction(value: Decimal) -> str:
    return {
        Decimal(1) / 6: "1/6",
        Decimal(1) / 3: "1/3",
        Decimal(1) / 2: "1/2",
        Decimal(2) / 3: "2/3",
        Decimal(5) / 6: "5/6",
    }[value]


def _years(years: tuple[int, ...]) -> str:
    return ", ".join(str(y) for y in years)


@dataclass(frozen=True)
class AverageReceipts:
    amount: Decimal
    years: tuple[int, ...]


def average_gross_receipts(tax_year: int, receipts: Mapping[int, Decimal]) -> AverageReceipts:
    """The average of the 4 prior tax years' gross receipts (§41(c)(1)(B)); years not given are left out."""
    years = tuple(y for y in range(tax_year - 4, tax_year) if y in receipts)
    if not years:
        return AverageReceipts(ZERO, ())
    return AverageReceipts(cents(sum((receipts[y] for y in years), ZERO) / len(years)), years)


@dataclass(frozen=True)
class RegularCredit:
    """Form 6765 Section A, lines 1-13."""

    line1: Decimal
    line2: Decimal
    line3: Decimal
    line4: Decimal
    line5: Decimal
    line6: Decimal
    line7: Decimal
    line8: Decimal
    line9: Decimal
    line10: Decimal
    line11: Decimal
    line12: Decimal
    line13: Decimal
    reduced: bool
    fixed_base: FixedBase
    receipt_years: tuple[int, ...]

    @property
    def credit(self) -> Decimal:
        return self.line13

    @property
    def floor_applies(self) -> bool:
        """True when the base is the 50%-of-QREs minimum rather than FBP x receipts."""
        return self.line10 < self.line9


def regular_credit(
    qres: Decimal,
    fixed_base: FixedBase,
    receipts: AverageReceipts,
    *,
    reduced: bool,
    energy_consortia: Decimal = ZERO,
    basic_research: Decimal = ZERO,
    qualified_org_base: Decimal = ZERO,
) -> RegularCredit:
    line4 = max(basic_research - qualified_org_base, ZERO)
    line8 = cents(receipts.amount * fixed_base.percentage)
    line9 = max(qres - line8, ZERO)
    line10 = cents(qres / 2)
    line11 = min(line9, line10)
    line12 = energy_consortia + line4 + line11
    line13 = cents(line12 * (REDUCED_REGULAR_RATE if reduced else REGULAR_RATE))
    return RegularCredit(
        energy_consortia,
        basic_research,
        qualified_org_base,
        line4,
        qres,
        fixed_base.percentage,
        receipts.amount,
        line8,
        line9,
        line10,
        line11,
        line12,
        line13,
        reduced,
        fixed_base,
        receipts.years,
    )
