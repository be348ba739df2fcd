"""The levels the shrinking-back rule tests, from a component's measured activity lines.

The whole component first; then its qualifying-engineering layers together (the custom layer
above a vendor model, say); then, when there are several, each of those layers alone, largest
first. Lines in a vendor-model or excluded layer, and lines in no layer, belong to the whole
component only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from studies.credit.inputs import Activity, ActivityLevel


@dataclass(frozen=True)
class LayerLine:
    """An activity line and the layer it was recorded in (None: no layer)."""

    activity: Activity
    layer: str | None = None


@dataclass(frozen=True)
class LayerKindOf:
    """A layer of the component, in the order it is listed, and whether it is qualifying engineering."""

    name: str
    qualifying: bool


def activity_levels(
    component_name: str, lines: Sequence[LayerLine], layers: Sequence[LayerKindOf]
) -> tuple[ActivityLevel, ...]:
    whole = tuple(_labelled(line) for line in lines)
    levels = [ActivityLevel(f"the whole component {component_name}", whole)]
    qualifying = [
        (layer.name, tuple(_labelled(line) for line in lines if line.layer == layer.name))
        for layer in layers
        if layer.qualifying
    ]
    qualifying = [(name, found) for name, found in qualifying if found]
    if not qualifying:
        return tuple(levels)
    names = ", ".join(name for name, _ in qualifying)
    left_out = [layer.name for layer in layers if not layer.qualifying]
    without = f" (without {', '.join(left_out)})" if left_out else ""
    levels.append(ActivityLevel(
        f"the qualifying engineering {names}{without}",
        tuple(activity for _, found in qualifying for activity in found),
    ))
    if len(qualifying) > 1:
        by_size = sorted(qualifying, key=lambda pair: -sum(a.measure for a in pair[1]))
        levels += [ActivityLevel(f"the layer {name}", found) for name, found in by_size]
    return tuple(levels)


def _labelled(line: LayerLine) -> Activity:
    activity = line.activity
    if line.layer is None:
        return activity
    return Activity(f"{activity.label} [{line.layer}]", activity.measure, activity.experimentation,
                    activity.source)
