"""The 80% test per business component, on a declared basis, and the shrinking-back rule."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from studies.credit.inputs import InvalidCreditInput
from studies.credit.substantially_all import (
    Activity,
    measure_pair,
    measure_text,
    shrink_back,
    substantially_all,
)

WHOLE = [
    Activity("retrieval experiments", D(600), True),
    Activity("evaluation harness runs", D(150), True),
    Activity("vendor model integration", D(250), False),
]
CUSTOM_LAYER = [
    Activity("retrieval experiments", D(600), True),
    Activity("evaluation harness runs", D(150), True),
    Activity("index tuning", D(100), False),
]


def test_share_on_an_hours_basis_is_shown_with_its_figures() -> None:
    # 750 of 1,000 hours = 75%: fails.
    result = substantially_all("CiteRAG", WHOLE, "hours")
    assert (result.experimentation, result.total, result.share, result.passes) == (
        D(750),
        D(1000),
        D("0.75"),
        False,
    )
    assert "750 of 1,000 hours" in result.explanation and "75.00%" in result.explanation


def test_measures_read_as_hours_or_dollars() -> None:
    assert measure_pair(D("1234.50"), D(2000), "hours") == "1,234.5 of 2,000 hours"
    assert measure_pair(D(64000), D("80000.00"), "cost") == "$64,000.00 of $80,000.00 in cost"
    assert measure_text(D("0.00"), "hours") == "0"


def test_exactly_80_percent_passes() -> None:
    activities = [Activity("a", D(80), True), Activity("b", D(20), False)]
    assert substantially_all("x", activities, "cost").passes


def test_shrinking_back_claims_the_custom_layer() -> None:
    # Whole: 75% fails; the custom layer: 750 of 850 = 88.24% passes.
    result = shrink_back(
        [("CiteRAG", WHOLE), ("CiteRAG retrieval and evaluation layer", CUSTOM_LAYER)], "hours"
    )
    assert result.qualifying is not None and result.qualifying.subject.endswith("layer")
    assert result.qualifying.share == D("0.8824")
    assert "shrinking-back rule" in result.explanation


def test_no_subset_qualifies() -> None:
    result = shrink_back([("x", WHOLE)], "hours")
    assert result.qualifying is None and "nothing of this component is claimed" in result.explanation


def test_bad_basis_and_negative_measure_are_refused() -> None:
    with pytest.raises(InvalidCreditInput, match="basis"):
        substantially_all("x", WHOLE, "guess")
    with pytest.raises(InvalidCreditInput, match=r"activities\[0\].measure: must not be negative"):
        substantially_all("x", [Activity("a", D(-1), True)], "hours")
