"""The qualified small business payroll tax election: eligibility, limits by year, line 36."""

from __future__ import annotations

from decimal import Decimal as D

from studies.credit.payroll import payroll_election, payroll_limit, qsb_eligibility

RECEIPTS = {2022: D(100000), 2023: D(900000), 2024: D(2000000), 2025: D(4999999)}


def test_limit_is_500k_after_2022_and_250k_before() -> None:
    assert payroll_limit(2023) == D(500000) and payroll_limit(2025) == D(500000)
    assert payroll_limit(2022) == D(250000)


def test_eligible_under_5m_with_no_receipts_before_the_five_year_period() -> None:
    result = qsb_eligibility(2025, RECEIPTS)
    assert (
        result.eligible and "no gross receipts before the 5-tax-year period 2021-2025" in result.reasons
    )


def test_not_eligible_at_5m_or_with_older_receipts_or_after_five_elections() -> None:
    assert not qsb_eligibility(2025, {**RECEIPTS, 2025: D(5000000)}).eligible
    older = qsb_eligibility(2025, {**RECEIPTS, 2020: D(10)})
    assert not older.eligible and "gross receipts in 2020" in older.reasons[1]
    assert not qsb_eligibility(2025, RECEIPTS, prior_election_years=5).eligible
    assert not qsb_eligibility(2025, {2024: D(1)}).eligible  # the year's receipts are not recorded


def test_amount_elected_is_the_smaller_of_credit_and_limit() -> None:
    big = payroll_election(2025, RECEIPTS, D(730000), elected=True, entity_type="c_corp")
    assert (big.line34, big.line36, big.against_social_security, big.against_medicare) == (
        D(500000),
        D(500000),
        D(250000),
        D(250000),
    )
    small = payroll_election(2025, RECEIPTS, D(120000), elected=True, entity_type="c_corp")
    assert small.line36 == D(120000) and small.against_medicare == 0
    before = payroll_election(
        2022, {2020: D(1), 2021: D(1), 2022: D(1)}, D(400000), elected=True, entity_type="c_corp"
    )
    assert before.line36 == D(250000)


def test_line_35_limits_corporations_but_not_pass_throughs() -> None:
    corp = payroll_election(
        2025, RECEIPTS, D(300000), elected=True, entity_type="c_corp", carryforward=D(200000)
    )
    s_corp = payroll_election(
        2025, RECEIPTS, D(300000), elected=True, entity_type="s_corp", carryforward=D(200000)
    )
    assert corp.line36 == D(200000) and s_corp.line35 is None and s_corp.line36 == D(300000)


def test_ineligible_or_not_elected_gives_nothing() -> None:
    not_elected = payroll_election(2025, RECEIPTS, D(300000), elected=False, entity_type="c_corp")
    ineligible = payroll_election(
        2025, {2025: D(6_000_000)}, D(300000), elected=True, entity_type="c_corp"
    )
    assert not_elected.line36 == 0 and not not_elected.line33a
    assert ineligible.line36 == 0 and "not a qualified small business" in ineligible.note
