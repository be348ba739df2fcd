"""A component's activity lines in the what-if inputs file, for the "substantially all" test.

```yaml
activities:
  basis: hours                      # hours or cost
  layers:                           # optional; a layer not listed is qualifying engineering
    Answer generation: third_party_model
  lines:
    - {label: Retrieval experiments, measure: 2300, experimentation: true, layer: Retrieval}
    - {label: Prompt wiring for the vendor model, measure: 1150, experimentation: false,
       layer: Answer generation}
```
"""

from __future__ import annotations

from typing import Any

from studies.credit.inputs import Activity, ActivityLevel, InvalidCreditInput
from studies.credit.levels import LayerKindOf, LayerLine, activity_levels
from studies.credit.substantially_all import BASES
from studies.credit.yaml_values import flag, mapping, money, optional_text, text

ACTIVITY_KEYS = {"basis", "layers", "lines"}
LINE_KEYS = {"label", "measure", "experimentation", "layer", "source"}
LAYER_KINDS = ("qualifying_engineering", "third_party_model", "excluded_activity")


def parse_activities(value: Any, where: str, component_name: str) -> tuple[str, tuple[ActivityLevel, ...]]:
    """The declared basis and the levels the shrinking-back rule tests."""
    block = mapping(value, where, ACTIVITY_KEYS)
    if "basis" not in block:
        raise InvalidCreditInput(f"{where}.basis", "is required (hours or cost)")
    basis = text(block["basis"], f"{where}.basis")
    if basis not in BASES:
        raise InvalidCreditInput(f"{where}.basis", f"must be hours or cost (got {basis!r})")
    kinds = _layer_kinds(block.get("layers"), f"{where}.layers")
    lines = _lines(block.get("lines"), f"{where}.lines")
    for line in lines:
        if line.layer is not None and line.layer not in kinds:
            kinds[line.layer] = "qualifying_engineering"
    layers = [LayerKindOf(name, kind == "qualifying_engineering") for name, kind in kinds.items()]
    return basis, activity_levels(component_name, lines, layers)


def _layer_kinds(value: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidCreditInput(where, "must map layer names to their kind, e.g. {Answer generation: "
                                        "third_party_model}")
    kinds: dict[str, str] = {}
    for name, kind in value.items():
        label = text(name, where)
        found = text(kind, f"{where}.{label}")
        if found not in LAYER_KINDS:
            raise InvalidCreditInput(
                f"{where}.{label}", f"must be one of {', '.join(LAYER_KINDS)} (got {found!r})")
        kinds[label] = found
    return kinds


def _lines(value: Any, where: str) -> list[LayerLine]:
    if not isinstance(value, list) or not value:
        raise InvalidCreditInput(where, "must be a non-empty list of activity lines")
    return [_line(item, f"{where}[{index}]") for index, item in enumerate(value)]


def _line(value: Any, where: str) -> LayerLine:
    block = mapping(value, where, LINE_KEYS)
    for key in ("label", "measure", "experimentation"):
        if key not in block:
            raise InvalidCreditInput(f"{where}.{key}", "is required")
    activity = Activity(
        text(block["label"], f"{where}.label"),
        money(block["measure"], f"{where}.measure"),
        flag(block["experimentation"], f"{where}.experimentation"),
        text(block.get("source", ""), f"{where}.source"),
    )
    return LayerLine(activity, optional_text(block.get("layer"), f"{where}.layer") or None)
