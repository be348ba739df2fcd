"""The qualified small business payroll tax election (§41(h)): Form 6765 Section D, lines 33a-36."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from studies.credit.inputs import PASS_THROUGH, ZERO
from studies.credit.money import dollars

RECEIPTS_LIMIT = Decimal(5_000_000)
SOCIAL_SECURITY_PART = Decimal(250_000)
MAX_ELECTION_YEARS = 5


def payroll_limit(tax_year: int) -> Decimal:
    """$500,000 for tax years beginning after 2022, $250,000 before (§41(h)(4)(B)(i))."""
    return Decimal(500_000) if tax_year >= 2023 else Decimal(250_000)


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: tuple[str, ...]


def qsb_eligibility(
    tax_year: int, receipts: Mapping[int, Decimal], prior_election_years: int = 0
) -> Eligibility:
    """A qualified small business: receipts under $5M this year, none before the 5-year period ending now."""
    reasons: list[str] = []
    ok = True
    current = receipts.get(tax_year)
    if current is None:
        ok = False
        reasons.append(f"no gross receipts are recorded for {tax_year}, so the $5M test cannot be shown")
    elif current >= RECEIPTS_LIMIT:
        ok = False
        reasons.append(f"gross receipts for {tax_year} are {dollars(current)}, not under $5,000,000")
    else:
        reasons.append(f"gross receipts for {tax_year} are {dollars(current)}, under $5,000,000")
    earlier = sorted(y for y, amount in receipts.items() if y <= tax_year - 5 and amount > 0)
    if earlier:
        ok = False
        reasons.append(
            f"gross receipts in {earlier[0]}, before the 5-tax-year period {tax_year - 4}-{tax_year}"
        )
    else:
        reasons.append(f"no gross receipts before the 5-tax-year period {tax_year - 4}-{tax_year}")
    if prior_election_years >= MAX_ELECTION_YEARS:
        ok = False
        reasons.append(
            f"the election was already made for {prior_election_years} prior tax years (at most 5)"
        )
    return Eligibility(ok, tuple(reasons))


@dataclass(frozen=True)
class PayrollElection:
    eligibility: Eligibility
    elected: bool
    limit: Decimal
    line33a: bool
    line33b: bool  # payroll tax is reported on a different EIN
    line34: Decimal
    line35: Decimal | None
    line36: Decimal
    against_social_security: Decimal
    against_medicare: Decimal
    note: str


def payroll_election(
    tax_year: int,
    receipts: Mapping[int, Decimal],
    credit: Decimal,
    *,
    elected: bool,
    entity_type: str,
    prior_election_years: int = 0,
    carryforward: Decimal | None = None,
    other_ein: bool = False,
) -> PayrollElection:
    """The amount elected is min(credit, limit); line 35 also limits line 36, except for pass-throughs."""
    eligibility = qsb_eligibility(tax_year, receipts, prior_election_years)
    limit = payroll_limit(tax_year)
    applies = elected and eligibility.eligible
    line34 = min(credit, limit) if applies else ZERO
    line35 = None if entity_type in PASS_THROUGH or not applies else carryforward
    line36 = line34 if line35 is None else min(line34, line35)
    note = _note(elected, eligibility, entity_type, carryforward)
    social = min(line36, SOCIAL_SECURITY_PART)
    return PayrollElection(
        eligibility,
        elected,
        limit,
        applies,
        applies and other_ein,
        line34,
        line35,
        line36,
        social,
        line36 - social,
        note,
    )


def _note(
    elected: bool, eligibility: Eligibility, entity_type: str, carryforward: Decimal | None
) -> str:
    if not elected:
        return "the payroll tax election is not made"
    if not eligibility.eligible:
        return "the payroll tax election is asked for but the company is not a qualified small business"
    if entity_type not in PASS_THROUGH and carryforward is None:
        return (
            "line 35 (the current year's general business credit carryforward, from the instructions' "
            "worksheet) is not given, so line 36 is not limited by it: check it before filing"
        )
    return (
        "elected; the first $250,000 offsets employer social security tax, the rest Medicare (Form 8974)"
    )
