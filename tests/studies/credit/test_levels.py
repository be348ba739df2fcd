"""The levels the shrinking-back rule tests, shared by the study and the what-if inputs file."""

from __future__ import annotations

from decimal import Decimal as D

from studies.credit.inputs import Activity
from studies.credit.levels import LayerKindOf, LayerLine, activity_levels

LAYERS = [LayerKindOf("Answer generation", False), LayerKindOf("Retrieval", True), LayerKindOf("Eval", True)]


def test_whole_then_qualifying_layers_together_then_each_largest_first() -> None:
    lines = [
        LayerLine(Activity("re-ranking", D(300), True), "Retrieval"),
        LayerLine(Activity("harness", D(500), True), "Eval"),
        LayerLine(Activity("prompt wiring", D(200), False), "Answer generation"),
        LayerLine(Activity("UI", D(100), False)),
    ]
    levels = activity_levels("Chat", lines, LAYERS)
    assert [level.subject for level in levels] == [
        "the whole component Chat",
        "the qualifying engineering Retrieval, Eval (without Answer generation)",
        "the layer Eval",
        "the layer Retrieval",
    ]
    assert [a.label for a in levels[0].activities] == [
        "re-ranking [Retrieval]", "harness [Eval]", "prompt wiring [Answer generation]", "UI"]
    assert sum(a.measure for a in levels[1].activities) == 800


def test_no_line_in_a_qualifying_layer_leaves_the_whole_component_only() -> None:
    lines = [LayerLine(Activity("prompt wiring", D(200), False), "Answer generation")]
    assert len(activity_levels("Chat", lines, LAYERS)) == 1
