"""The scoping estimate and the four-year view, with figures worked out by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from studies.credit.estimate import scoping_estimate, scoping_ratios
from studies.credit.four_years import four_year_view
from studies.credit.inputs import CreditInputs, History, InvalidCreditInput
from studies.sectors import sub_sectors

D = Decimal


def test_every_sub_sector_has_a_declared_ratio_with_its_basis() -> None:
    ratios = scoping_ratios()
    assert set(ratios.qre_shares) == set(sub_sectors())
    assert all(basis and share.low < share.high for share, basis in ratios.qre_shares.values())


def test_ai_native_product_company_with_2m_of_wages() -> None:
    estimate = scoping_estimate("ai_native_product_engineering", D(2_000_000), "c_corp",
                                {"uncertain_outcome": True, "alternatives": True})
    # Wage QREs 20%-40% of 2,000,000 = 400,000-800,000; credit 6% of the low, 10% of the high.
    assert (estimate.qres.low, estimate.qres.high) == (D("400000.00"), D("800000.00"))
    assert (estimate.credit.low, estimate.credit.high) == (D("24000.00"), D("80000.00"))
    assert (estimate.look_back.low, estimate.look_back.high) == (D("96000.00"), D("320000.00"))
    assert (estimate.deduction_value.low, estimate.deduction_value.high) == (D("5040.00"), D("16800.00"))
    assert estimate.label == "Estimate" and estimate.qualifies is None  # two questions unanswered


def test_an_s_corp_compares_with_the_37_percent_rate_and_one_no_disqualifies() -> None:
    estimate = scoping_estimate("foundation_model_llm_engineering", D(1_000_000), "s_corp",
                                {"uncertain_outcome": True, "alternatives": True, "self_funded": False,
                                 "us_for_profit": True})
    assert estimate.deduction_rate == D("0.37") and estimate.qualifies is False
    assert scoping_estimate("applied_ml", D(0)).credit.high == D("0.00")


@pytest.mark.parametrize(("arguments", "field"), [
    (("no_such_sector", D(1)), "sub_sector"), (("applied_ml", D(-1)), "wages"),
    (("applied_ml", D(1), "trust"), "entity_type")])
def test_bad_input_names_the_field(arguments, field) -> None:
    with pytest.raises(InvalidCreditInput) as raised:
        scoping_estimate(*arguments)
    assert raised.value.field == field


def test_four_year_view_uses_each_years_own_prior_three() -> None:
    inputs = CreditInputs(tax_year=2025, history=History(
        qres={2020: D(100), 2021: D(200), 2022: D(300), 2023: D(400), 2024: D(500)},
        gross_receipts={2024: D(9000)}))
    rows = four_year_view(inputs, D(600))
    assert [row.year for row in rows] == [2022, 2023, 2024, 2025]
    # 2025: 14% x (600 - 50% x avg(300, 400, 500)) = 14% x 400 = 56
    assert rows[-1].asc_credit == D("56.00") and rows[-1].qres == D(600)
    # 2022: 14% x (300 - 50% x avg(100, 200, 0 for 2019)) ... 2019 unknown: the 6% rule, 6% x 300 = 18
    assert rows[0].asc_credit == D("18.00") and "6%" in rows[0].basis
    assert rows[2].gross_receipts == D(9000)


def test_four_year_view_leaves_a_year_without_qres_blank() -> None:
    rows = four_year_view(CreditInputs(tax_year=2025), D(1000))
    assert [row.qres for row in rows] == [None, None, None, D(1000)]
    assert rows[0].asc_credit is None and "no QREs recorded for 2022" in rows[0].basis
