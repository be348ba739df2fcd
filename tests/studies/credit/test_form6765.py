"""Form 6765 lines, Section G selection and required-ness, the tie-out, JSON and CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from decimal import Decimal as D

import pytest

from studies.credit.compute import compute
from studies.credit.inputs import Component, CreditInputs, Elections, History, WageFigure
from studies.credit.schedule import build_schedule
from studies.credit.section_g import listed_components, section_g_status
from studies.credit.tieout import tie_out


def inputs_with(amounts: list[int], **fields) -> CreditInputs:
    components = tuple(Component(f"c{n:02d}", f"Component {n}") for n in range(len(amounts)))
    figures = tuple(WageFigure(f"w{n}", f"c{n:02d}", D(a)) for n, a in enumerate(amounts))
    return CreditInputs(tax_year=2025, components=components, wage_figures=figures, **fields)


def test_section_g_lists_components_in_descending_order_until_80_percent() -> None:
    # Total 1,000: 500 (50%), 300 (80% reached), then 150 and 50 are not listed.
    result = compute(inputs_with([150, 500, 50, 300]))
    assert [row["49(c)"] for row in result.form.section_g] == ["c01: Component 1", "c03: Component 3"]
    assert result.form.lines["37"] == 4


def test_section_g_lists_at_most_50_components() -> None:
    # 100 equal components: 80 would be needed to reach 80%, but the list stops at 50.
    result = compute(inputs_with([100] * 100))
    assert len(result.form.section_g) == 50 and result.tie_out.ok
    few = compute(inputs_with([10] * 60))
    assert len(listed_components(few.schedule)) == 48  # 48 x 10 = 480 = 80% of 600
    assert few.tie_out.ok


@pytest.mark.parametrize(
    ("year", "payroll", "amended", "qres", "receipts", "status"),
    [
        (2023, False, False, 10**7, 10**9, "not_on_form"),
        (2024, False, False, 10**7, 10**9, "optional"),
        (2025, False, True, 10**7, 10**9, "optional"),
        (2026, False, False, 10**7, 10**9, "required"),
        (2026, True, False, 10**7, 10**9, "optional"),
        (2026, False, False, 1_500_000, 50_000_000, "optional"),
        (2026, False, True, 1_500_000, 50_000_000, "required"),
        (2026, False, False, 1_500_001, 1, "required"),
        (2026, False, False, 1, 50_000_001, "required"),
        (2027, False, False, 1, None, "required"),
    ],
)
def test_section_g_required_by_year_and_exceptions(
    year, payroll, amended, qres, receipts, status
) -> None:
    found = section_g_status(
        year,
        payroll_elected=payroll,
        amended_return=amended,
        total_qres=D(qres),
        gross_receipts=None if receipts is None else D(receipts),
    )
    assert found.status == status


def test_lines_tie_out_and_section_a_or_b_follows_the_method() -> None:
    inputs = inputs_with(
        [600000, 400000],
        history=History(qres={2022: D(1), 2023: D(1), 2024: D(1)}),
        fixed_base_percentage=D("0.03"),
        elections=Elections(method="regular"),
    )
    regular = compute(inputs)
    lines = regular.form.lines
    assert lines["5"] == lines["48"] == lines["42"] == D(1000000) and lines["20"] is None
    assert lines["13"] == D("100000.00") == lines["28"] == lines["32"]  # 50% floor: 500,000 x 20%
    assert regular.tie_out.ok, regular.tie_out.problems
    asc = compute(replace(inputs, elections=Elections(method="asc", reduced_credit=True)))
    assert asc.form.lines["5"] is None and asc.form.lines["20"] == D(1000000)
    assert asc.form.lines["A"] == "Yes" and asc.form.lines["26"] == asc.form.lines["28"]


def test_tie_out_catches_a_form_that_disagrees_with_the_schedule() -> None:
    result = compute(inputs_with([600000, 400000]))
    broken_lines = {**result.form.lines, "42": D(999999), "37": 3}
    broken = replace(result.form, lines=broken_lines)
    problems = tie_out(broken, result.schedule).problems
    assert any(p.startswith("line 42 = schedule") for p in problems)
    assert any(p.startswith("line 37 = components with QREs") for p in problems)
    other = build_schedule(list(result.schedule.items[:1]), result.inputs.components)
    assert not tie_out(result.form, other).ok


def test_json_is_keyed_by_line_number_and_csv_has_every_line() -> None:
    result = compute(inputs_with([600000, 400000]))
    document = result.as_json()
    lines = document["form_6765"]["lines"]  # type: ignore[index]
    assert {"A", "B", "1", "13", "26", "33a", "33b", "36", "41", "48"} <= set(lines)
    assert lines["48"] == "1000000.00" and lines["A"] == "No"
    assert document["form_6765"]["section_g"][0]["50"] == "600000.00"  # type: ignore[index]
    rows = list(csv.DictReader(io.StringIO(result.form.to_csv())))
    assert [r["value"] for r in rows if r["line"] == "48"] == ["1000000.00"]
    assert {r["line"] for r in rows if r["section"] == "G"} >= {"49(a)", "49(f)", "53", "56"}


def test_amended_return_statement() -> None:
    inputs = inputs_with([600000, 0], amended_return=True)
    components = (
        replace(
            inputs.components[0],
            information_sought="Whether recall@10 can reach 0.9",
            research_activities=("Dense retrieval (failed)", "Hybrid retrieval (succeeded)"),
        ),
        inputs.components[1],
    )
    result = compute(replace(inputs, components=components))
    statement = result.statement
    assert statement is not None and statement.total_wages == D(600000)
    assert [c.code for c in statement.components] == ["c00"]  # the component without QREs is left out
    text = statement.as_markdown()
    assert "- Hybrid retrieval (succeeded)" in text and "penalties of perjury" in text
    assert compute(inputs_with([1])).statement is None
