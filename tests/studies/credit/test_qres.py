"""QRE items and schedules: wages with the 80% rule, contract shares, expenses, exclusions, refusals."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from studies.credit.compute import compute
from studies.credit.inputs import (
    Allocation,
    Component,
    ContractInput,
    CreditInputs,
    EmployeeInput,
    ExpenseInput,
    InvalidCreditInput,
)
from studies.credit.qres import qre_items
from studies.credit.schedule import build_schedule

RAG = Component("rag", "Retrieval")
EVAL = Component("eval", "Evaluation harness")


def schedule(**records):
    inputs = CreditInputs(tax_year=2025, components=(RAG, EVAL), **records)
    return build_schedule(qre_items(inputs), inputs.components)


def test_wages_times_allocation_below_80_percent() -> None:
    # 100,000 x 50% on rag + 100,000 x 20% on eval = 70% qualified: below 80%, no scaling.
    ana = EmployeeInput(
        "#1", "Ana", D(100000), (Allocation("#10", "rag", D(50)), Allocation("#11", "eval", D(20)))
    )
    result = schedule(employees=(ana,))
    assert result.category("wages") == D("70000.00")
    assert [c.total for c in result.components] == [D("50000.00"), D("20000.00")]
    item = result.components[0].items[0]
    assert item.sources == ("employee #1 Ana", "allocation #10 rag direct_research 50%")


def test_substantially_all_counts_100_percent_of_wages() -> None:
    # 90,000 wages, 60% rag research + 25% eval supervision = 85% >= 80%: all 90,000 count,
    # split in proportion: 90,000 x 60/85 = 63,529.41 and 90,000 x 25/85 = 26,470.59.
    ben = EmployeeInput(
        "#2",
        "Ben",
        D(90000),
        (Allocation("#20", "rag", D(60)), Allocation("#21", "eval", D(25), "direct_supervision")),
    )
    result = schedule(employees=(ben,))
    assert result.category("wages") == D("90000.00")
    assert result.components[0].wages_for("direct_research") == D("63529.41")
    assert result.components[1].wages_for("direct_supervision") == D("26470.59")
    assert "substantially all: 85% of services qualify" in result.components[0].items[0].basis


def test_exactly_80_percent_counts_in_full_and_79_does_not() -> None:
    at_80 = EmployeeInput("#3", "Cy", D(50000), (Allocation("#30", "rag", D(80)),))
    at_79 = EmployeeInput("#4", "Di", D(50000), (Allocation("#40", "rag", D("79.99")),))
    assert schedule(employees=(at_80,)).total == D("50000.00")
    assert schedule(employees=(at_79,)).total == D("39995.00")


def test_foreign_employee_and_funded_component_are_excluded_with_a_reason() -> None:
    funded = Component(
        "grant", "Grant work", funded_reason="paid by a DARPA grant regardless of outcome"
    )
    inputs = CreditInputs(
        tax_year=2025,
        components=(RAG, funded),
        employees=(
            EmployeeInput("#5", "Eve", D(80000), (Allocation("#50", "rag", D(100)),), country="DE"),
            EmployeeInput(
                "#6",
                "Fay",
                D(100000),
                (Allocation("#60", "rag", D(50)), Allocation("#61", "grant", D(40))),
            ),
        ),
    )
    result = build_schedule(qre_items(inputs), inputs.components)
    # Fay's qualified services are 50% (the funded 40% is not qualified research): 50,000 counts.
    assert result.total == D("50000.00")
    reasons = [i.excluded_reason for i in result.excluded]
    assert "outside the United States (DE)" in reasons[0] and "funded research" in reasons[1]
    assert result.section_174() == {"domestic_174a": D("90000.00"), "foreign_174": D("80000.00")}


@pytest.mark.parametrize(
    ("org_type", "energy", "expected", "words"),
    [
        ("other", False, "65000.00", "65% of amounts paid"),
        ("qualified_research_consortium", False, "75000.00", "75%"),
        ("eligible_small_business", True, "100000.00", "100%: qualified energy research"),
        ("university", True, "100000.00", "100%"),
        ("federal_laboratory", True, "100000.00", "100%"),
        ("university", False, "65000.00", "not qualified energy research"),
    ],
)
def test_contractor_shares(org_type: str, energy: bool, expected: str, words: str) -> None:
    contract = ContractInput("#7", "Lab", D(100000), "rag", org_type=org_type, energy_research=energy)
    result = schedule(contractors=(contract,))
    assert result.category("contract_research") == D(expected)
    assert words in result.items[0].basis


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"rights_retained": False}, "does not keep substantial rights"),
        ({"risk_borne": False}, "does not bear the financial risk"),
        ({"country": "IN"}, "outside the United States (IN)"),
        ({"excluded_reason": "routine data labeling"}, "excluded: routine data labeling"),
    ],
)
def test_excluded_contractors_count_zero_with_the_reason(changes: dict, words: str) -> None:
    contract = ContractInput("#8", "Vendor", D(40000), "rag", **changes)
    result = schedule(contractors=(contract,))
    assert result.total == 0
    assert words in (result.excluded[0].excluded_reason or "")
    assert result.excluded[0].cost == D("40000.00")


def test_puerto_rico_counts_as_domestic() -> None:
    assert schedule(
        contractors=(ContractInput("#9", "PR lab", D(1000), "rag", country="PR"),)
    ).total == D("650.00")


def test_expenses_times_qualified_share() -> None:
    gpu = ExpenseInput("#11", "computer_rental", D(12000), "rag", D(75), label="GPU hours")
    paper = ExpenseInput("#12", "supplies", D("999.99"), "eval", D(50))
    result = schedule(expenses=(gpu, paper))
    assert result.category("computer_rental") == D("9000.00")
    assert result.category("supplies") == D("500.00")  # 499.995 rounds half up


def test_a_project_with_no_wages_has_zero_wages_and_its_other_qres() -> None:
    gpu = ExpenseInput("#13", "computer_rental", D(5000), "eval")
    ana = EmployeeInput("#1", "Ana", D(100000), (Allocation("#10", "rag", D(50)),))
    result = schedule(employees=(ana,), expenses=(gpu,))
    evaluation = result.components[1]
    assert evaluation.category("wages") == 0 and evaluation.total == D("5000.00")


def test_zero_qres_give_zero_credit_and_a_clean_form() -> None:
    result = compute(CreditInputs(tax_year=2025, components=(RAG,)))
    assert result.choice.credit == 0 and result.form.lines["48"] == 0
    assert result.form.section_g == () and result.tie_out.ok


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: EmployeeInput("#1", "Ana", D(-1)), "employees[0].w2_wages"),
        (lambda: ContractInput("#2", "X", D("-0.01")), "contractors[0].amount_paid"),
        (lambda: ExpenseInput("#3", "supplies", D(-5)), "expenses[0].amount"),
    ],
)
def test_negative_amounts_are_refused_naming_the_field(build, field: str) -> None:
    record = build()
    key = {"EmployeeInput": "employees", "ContractInput": "contractors", "ExpenseInput": "expenses"}
    with pytest.raises(InvalidCreditInput) as caught:
        CreditInputs(tax_year=2025, **{key[type(record).__name__]: (record,)})
    assert caught.value.field == field and "must not be negative" in str(caught.value)


def test_allocations_over_100_percent_and_unknown_components_are_refused() -> None:
    over = EmployeeInput(
        "#1", "Ana", D(1), (Allocation("#1", "rag", D(70)), Allocation("#2", "eval", D(40)))
    )
    with pytest.raises(InvalidCreditInput, match=r"employees\[0\].allocations: add up to 110%"):
        CreditInputs(tax_year=2025, components=(RAG, EVAL), employees=(over,))
    lost = ExpenseInput("#3", "supplies", D(1), "nope")
    with pytest.raises(InvalidCreditInput, match=r"expenses\[0\].component: no business component"):
        CreditInputs(tax_year=2025, components=(RAG,), expenses=(lost,))
