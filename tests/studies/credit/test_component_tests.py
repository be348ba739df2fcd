"""The "substantially all" test wired into the QREs: worked examples computed by hand."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

from studies.credit.compute import compute
from studies.credit.inputs import (
    Activity,
    ActivityLevel,
    Allocation,
    Component,
    CreditInputs,
    Elections,
    EmployeeInput,
    ExpenseInput,
    History,
)

# The chat assistant, measured on a cost basis:
#   custom retrieval layer: retrieval ablations 48,000 (experimentation), evaluation-harness
#     experiments 12,000 (experimentation), routine integration 4,000 (not)   -> 64,000
#   vendor model layer: prompt configuration of the hosted model 16,000 (not)  -> 16,000
# Whole component: 60,000 / 80,000 = 75% < 80%: fails.
# Custom layer:    60,000 / 64,000 = 93.75% >= 80%: passes, so it is claimed.
# It is 64,000 / 80,000 = 80% of the component's measured cost, so 80% of its QREs count.
CUSTOM = (
    Activity("retrieval ablations", D(48000), True, "ablations.xlsx"),
    Activity("evaluation-harness experiments", D(12000), True, "runs"),
    Activity("routine integration", D(4000), False, "interview"),
)
VENDOR = (Activity("prompt configuration of the hosted model", D(16000), False, "interview"),)
LEVELS = (
    ActivityLevel("the whole component Chat", CUSTOM + VENDOR),
    ActivityLevel("the custom retrieval layer", CUSTOM),
)


def _inputs(**component: object) -> CreditInputs:
    # Ana: W-2 120,000, 50% on chat -> 60,000 of wages; GPU rental 10,000 at 100% on chat.
    # Ben: W-2 90,000, 40% on search (not measured) -> 36,000.
    return CreditInputs(
        tax_year=2025,
        components=(
            Component("chat", "Chat", **component),  # type: ignore[arg-type]
            Component("search", "Search"),
        ),
        employees=(
            EmployeeInput("#1", "Ana", D(120000), (Allocation("#a", "chat", D(50)),)),
            EmployeeInput("#2", "Ben", D(90000), (Allocation("#b", "search", D(40)),)),
        ),
        expenses=(ExpenseInput("#g", "computer_rental", D(10000), "chat"),),
    )


def _test(result, code):
    return next(t for t in result.tests if t.code == code)


def test_a_component_at_75_percent_shrinks_back_to_its_custom_layer() -> None:
    result = compute(_inputs(activity_basis="cost", activity_levels=LEVELS))
    chat = _test(result, "chat")
    assert chat.status == "shrunk_back"
    assert chat.whole.share == D("0.7500") and not chat.whole.passes
    assert chat.claimed.subject == "the custom retrieval layer" and chat.claimed.share == D("0.9375")
    assert chat.fraction == D("0.8")
    row = next(c for c in result.schedule.components if c.code == "chat")
    # 80% of 60,000 wages = 48,000; 80% of 10,000 computer rental = 8,000.
    assert row.category("wages") == D("48000.00") and row.category("computer_rental") == D("8000.00")
    assert result.schedule.total == D("48000.00") + D("8000.00") + D("36000.00")
    assert result.form.lines["48"] == D("92000.00") and result.tie_out.ok
    claimed = "the custom retrieval layer is claimed, 80% of the component's measured cost"
    assert claimed in row.items[0].basis
    assert "$64,000.00 of $80,000.00 in cost" in chat.explanation


def test_a_component_where_no_subset_qualifies_claims_nothing() -> None:
    # The custom layer alone: 60,000 / 64,000 passes; take experimentation off the ablations:
    # whole 12,000 / 80,000 = 15%, custom 12,000 / 64,000 = 18.75%: nothing qualifies.
    weak = tuple(Activity(a.label, a.measure, a.label != "retrieval ablations" and a.experimentation)
                 for a in CUSTOM)
    levels = (ActivityLevel("the whole component Chat", weak + VENDOR), ActivityLevel("custom", weak))
    result = compute(_inputs(activity_basis="cost", activity_levels=levels))
    assert _test(result, "chat").status == "fails"
    row = next(c for c in result.schedule.components if c.code == "chat")
    assert row.total == 0 and all("fails the substantially-all test" in i.excluded_reason for i in row.items)
    assert result.schedule.total == D("36000.00")


def test_a_component_that_passes_or_is_not_measured_keeps_its_qres() -> None:
    passing = (ActivityLevel("the whole component Chat", CUSTOM),)  # 93.75%
    for component in ({"activity_basis": "hours", "activity_levels": passing}, {}):
        result = compute(_inputs(**component))
        assert _test(result, "chat").status in ("passes", "not_measured")
        assert result.schedule.total == D("60000.00") + D("10000.00") + D("36000.00")
    assert "not measured (no basis is declared)" in _test(compute(_inputs()), "chat").explanation
    assert compute(_inputs()).as_json()["substantially_all"][0]["status"] == "not_measured"


def test_a_foreign_cloud_line_is_excluded_and_reported_under_section_174() -> None:
    # Domestic: Ana's allocated wages 60,000 + US GPUs 20,000 x 50% = 10,000 -> 70,000 (§174A).
    # Foreign: a training cluster rented in Ireland, 30,000 x 100% -> excluded, 30,000 (§174).
    inputs = CreditInputs(
        tax_year=2025,
        components=(Component("chat", "Chat"),),
        employees=(EmployeeInput("#1", "Ana", D(120000), (Allocation("#a", "chat", D(50)),)),),
        expenses=(
            ExpenseInput("#us", "computer_rental", D(20000), "chat", D(50)),
            ExpenseInput("#ie", "computer_rental", D(30000), "chat", country="IE"),
        ),
    )
    result = compute(inputs)
    assert result.form.lines["44"] == D("10000.00") and result.form.lines["48"] == D("70000.00")
    (excluded,) = result.schedule.excluded
    assert excluded.excluded_reason.startswith("excluded: used in research outside the United States (IE)")
    assert result.schedule.section_174() == {"domestic_174a": D("70000.00"), "foreign_174": D("30000.00")}
    document = result.as_json()
    assert document["section_174"]["foreign_174"] == "30000.00"
    assert document["section_174"]["domestic_174a"] == "70000.00"


def test_section_f_adds_line_47_and_line_33b_is_the_other_ein_box() -> None:
    # Line 47 = line 45 + line 46 (0); line 48 = 42 + 43 + 44 + 47.
    result = compute(_inputs())
    lines = result.form.lines
    assert lines["46"] == 0 and lines["47"] == lines["45"]
    assert lines["48"] == lines["42"] + lines["43"] + lines["44"] + lines["47"]
    assert lines["33a"] is False and lines["33b"] is None
    # A qualified small business (receipts only in 2024-2025, under $5M) electing the payroll credit,
    # its payroll tax reported under another EIN: line 33b is checked.
    small = replace(_inputs(), history=History({2024: D(1000000), 2025: D(2000000)}),
                    elections=Elections(payroll=True, payroll_other_ein=True))
    lines = compute(small).form.lines
    assert lines["33a"] is True and lines["33b"] is True
    assert compute(replace(small, elections=Elections(payroll=True))).form.lines["33b"] is False
