"""Regular credit, start-up fixed-base percentage, ASC, the reduced credit and the method chosen."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from studies.credit.asc import asc_credit
from studies.credit.method import choose_method
from studies.credit.regular import (
    AverageReceipts,
    average_gross_receipts,
    given_fixed_base,
    regular_credit,
    startup_fixed_base,
)


def test_regular_credit_worked_example() -> None:
    # QREs 1,000,000; FBP 3%; average receipts (10M+12M+14M+16M)/4 = 13,000,000.
    # Base 390,000; excess 610,000; 50% floor 500,000 is smaller, so 500,000 x 20% = 100,000.
    receipts = average_gross_receipts(
        2025, {2021: D(10_000_000), 2022: D(12_000_000), 2023: D(14_000_000), 2024: D(16_000_000)}
    )
    assert receipts == AverageReceipts(D("13000000.00"), (2021, 2022, 2023, 2024))
    credit = regular_credit(D(1000000), given_fixed_base(D("0.03")), receipts, reduced=False)
    assert (credit.line8, credit.line9, credit.line10, credit.line11) == (
        D("390000.00"),
        D("610000.00"),
        D("500000.00"),
        D("610000.00").min(D("500000.00")),
    )
    assert credit.line13 == D("100000.00") and credit.floor_applies


def test_regular_credit_without_the_floor_and_reduced() -> None:
    # QREs 1,000,000; FBP 6%; receipts 10,000,000: base 600,000; excess 400,000 < 500,000.
    # 400,000 x 20% = 80,000; reduced: 400,000 x 15.8% = 63,200.
    receipts = AverageReceipts(D(10000000), (2021, 2022, 2023, 2024))
    full = regular_credit(D(1000000), given_fixed_base(D("0.06")), receipts, reduced=False)
    reduced = regular_credit(D(1000000), given_fixed_base(D("0.06")), receipts, reduced=True)
    assert (full.line11, full.line13, full.floor_applies) == (D(400000), D("80000.00"), False)
    assert reduced.line13 == D("63200.00")


def test_fixed_base_percentage_is_capped_at_16_percent() -> None:
    fixed = given_fixed_base(D("0.25"))
    assert fixed.percentage == D("0.16") and "capped at 16%" in fixed.basis


def test_startup_first_five_years_is_3_percent() -> None:
    fixed = startup_fixed_base(2025, {2022: D(1), 2023: D(1), 2024: D(1)}, {}, D(100))
    assert fixed.percentage == D("0.03") and "number 4" in fixed.basis


def test_startup_sixth_year_is_one_sixth_of_years_4_and_5() -> None:
    # Years with QREs 2015-2019 (1st-5th), 2020 is the 6th. Years 4 and 5: QREs 200k + 300k over
    # receipts 1M + 1.5M = 20%; 1/6 of 20% = 3.333...% -> 3.33% (0.0333).
    qres = {2015: D(50000), 2016: D(80000), 2017: D(100000), 2018: D(200000), 2019: D(300000)}
    receipts = {2018: D(1000000), 2019: D(1500000)}
    fixed = startup_fixed_base(2020, qres, receipts, D(400000))
    assert fixed.percentage == D("0.0333") and "1/6" in fixed.basis


def test_startup_seventh_year_is_one_third_of_years_5_and_6() -> None:
    # 5th 2019 and 6th 2020: QREs 300k + 500k over receipts 2M + 2M = 20%; 1/3 = 6.67%.
    qres = {2015: D(1), 2016: D(1), 2017: D(1), 2018: D(1), 2019: D(300000), 2020: D(500000)}
    fixed = startup_fixed_base(2021, qres, {2019: D(2000000), 2020: D(2000000)}, D(1))
    assert fixed.percentage == D("0.0667")


def test_startup_eleventh_year_uses_the_lowest_five_of_years_5_to_10() -> None:
    # Years 2015-2024 with QREs; 5th-10th are 2019-2024, each 100k QREs on 1M receipts except 2024
    # (250k receipts). Leaving out 2024 gives 500k / 5M = 10%.
    qres = {year: D(100000) for year in range(2015, 2025)}
    receipts = {year: D(1000000) for year in range(2015, 2024)} | {2024: D(250000)}
    fixed = startup_fixed_base(2025, qres, receipts, D(100000))
    assert fixed.percentage == D("0.1000") and "2019, 2020, 2021, 2022, 2023" in fixed.basis


def test_average_gross_receipts_leaves_out_years_not_given() -> None:
    assert average_gross_receipts(2025, {2023: D(100), 2024: D(300), 2025: D(9999)}).amount == D(
        "200.00"
    )
    assert average_gross_receipts(2025, {}).amount == 0


def test_asc_worked_example() -> None:
    # Prior QREs 600k + 800k + 1M = 2.4M; /6 = 400k; 1M - 400k = 600k; x 14% = 84,000.
    credit = asc_credit(
        D(1000000), 2025, {2022: D(600000), 2023: D(800000), 2024: D(1000000)}, reduced=False
    )
    assert (credit.line21, credit.line22, credit.line23, credit.line24) == (
        D(2400000),
        D("400000.00"),
        D("600000.00"),
        D("84000.00"),
    )
    assert credit.credit == D("84000.00") and not credit.six_percent


def test_asc_is_6_percent_when_a_prior_year_has_no_qres() -> None:
    # 2022 has none: 6% of 1,000,000 = 60,000; reduced: x 79% = 47,400.
    credit = asc_credit(D(1000000), 2025, {2023: D(800000), 2024: D(900000)}, reduced=True)
    assert credit.line22 is None and credit.line23 is None
    assert (credit.line24, credit.line26) == (D("60000.00"), D("47400.00"))
    assert "no QREs in 2022" in credit.basis


def test_asc_never_negative() -> None:
    credit = asc_credit(D(100), 2025, {2022: D(600000), 2023: D(600000), 2024: D(600000)}, reduced=False)
    assert credit.line23 == 0 and credit.credit == 0


@pytest.mark.parametrize(
    ("requested", "method", "words"),
    [
        ("best", "asc", "Alternative Simplified Credit yields more"),
        ("regular", "regular", "The study elects the Regular credit"),
        ("asc", "asc", "The study elects the Alternative Simplified Credit"),
    ],
)
def test_method_choice_with_a_reason(requested: str, method: str, words: str) -> None:
    regular = regular_credit(
        D(1000000), given_fixed_base(D("0.06")), AverageReceipts(D(10_000_000), ()), reduced=False
    )
    # ASC: (300k + 300k + 600k) / 6 = 200k; (1M - 200k) x 14% = 112,000.
    asc = asc_credit(
        D(1000000), 2025, {2022: D(300000), 2023: D(300000), 2024: D(600000)}, reduced=False
    )
    choice = choose_method(regular, asc, requested)
    assert choice.method == method and words in choice.reason
    assert "Regular $80,000.00, ASC $112,000.00" in choice.reason


def test_best_picks_regular_when_it_yields_more() -> None:
    regular = regular_credit(
        D(1000000), given_fixed_base(D("0.01")), AverageReceipts(D(1_000_000), ()), reduced=False
    )
    asc = asc_credit(
        D(1000000), 2025, {2022: D(1_000_000), 2023: D(1_000_000), 2024: D(1_000_000)}, reduced=False
    )
    assert (regular.credit, asc.credit) == (D("100000.00"), D("70000.00"))
    assert choose_method(regular, asc, "best").method == "regular"
