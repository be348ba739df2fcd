"""Metric charts of training runs, drawn server-side as SVG (:mod:`core.charts`).

A failed or killed run is evidence of experimentation, so it is drawn as clearly as a finished
one, but distinctly: dashed (failed) or dotted (killed), ending in a cross where it stopped.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

from matplotlib.axes import Axes

from core.charts import PALETTE, new_figure, styled, svg_text
from evidence.models import Run

LINE_STYLES = {"failed": "--", "killed": ":"}
ENDED_BADLY = frozenset(LINE_STYLES)
MAX_LEGEND_RUNS = 12


def metric_number(value: Any) -> float:
    """A stored metric value as a float; the strings "NaN"/"Infinity" (a diverged run) become NaN."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        return number if math.isfinite(number) else math.nan
    return math.nan


def series(run: Run, key: str) -> tuple[list[float], list[float]]:
    """The run's thinned points of ``key`` as (steps, values); a missing step is the point's index."""
    points = (run.metrics.get(key) or {}).get("points") or []
    steps = [float(step) if isinstance(step, int | float) else float(index)
             for index, (step, _value) in enumerate(points)]
    return steps, [metric_number(value) for _step, value in points]


def chart_keys(runs: Sequence[Run], limit: int = 4) -> list[str]:
    """The metrics worth a chart: logged as a series (more than one point) by the most runs."""
    counts = Counter(key for run in runs for key, summary in run.metrics.items()
                     if (summary or {}).get("count", 0) > 1)
    return [key for key, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]]


def _run_label(run: Run) -> str:
    label = run.name or run.external_id[:8]
    return f"{label} ({run.status})" if run.status in ENDED_BADLY else label


def _plot_run(axes: Axes, run: Run, key: str, color: str, *, label: str | None) -> bool:
    steps, values = series(run, key)
    if not steps:
        return False
    style = LINE_STYLES.get(run.status, "-")
    axes.plot(steps, values, linestyle=style, color=color, linewidth=1.4, label=label)
    if run.status in ENDED_BADLY:
        last = next((i for i in range(len(values) - 1, -1, -1) if not math.isnan(values[i])), None)
        if last is not None:
            axes.plot([steps[last]], [values[last]], marker="x", markersize=7, markeredgewidth=2,
                      color=color, linestyle="none")
    return True


def metric_across_runs(runs: Sequence[Run], key: str) -> str:
    """One metric of every run of a log, one line per run; failed and killed runs drawn distinctly."""
    figure = new_figure(6.0, 3.0)
    with styled():
        axes = figure.add_subplot()
        drawn = 0
        for run in runs:
            label = _run_label(run) if drawn < MAX_LEGEND_RUNS else None
            drawn += _plot_run(axes, run, key, PALETTE[drawn % len(PALETTE)], label=label)
        axes.set_xlabel("step")
        axes.set_ylabel(key)
        if drawn:
            axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
        else:
            axes.text(0.5, 0.5, "no series logged", transform=axes.transAxes, ha="center", color="#52606d")
    return svg_text(figure, title=f"{key} across {len(runs)} runs; failed runs dashed, killed dotted")


def run_metrics(run: Run, keys: Sequence[str]) -> str:
    """The metrics of one run, one small chart per metric side by side."""
    keys = list(keys) or ["(none)"]
    figure = new_figure(min(3.6 * len(keys) + 0.5, 11.0), 2.6)
    color = "#dc2626" if run.status in ENDED_BADLY else PALETTE[0]
    with styled():
        for position, key in enumerate(keys, start=1):
            axes = figure.add_subplot(1, len(keys), position)
            if not _plot_run(axes, run, key, color, label=None):
                axes.text(0.5, 0.5, "not logged", transform=axes.transAxes, ha="center", color="#52606d")
            axes.set_title(key, fontsize=9)
            axes.set_xlabel("step")
    return svg_text(figure, title=f"Metrics of run {_run_label(run)}")


def log_charts(runs: Sequence[Run], limit: int = 4) -> list[tuple[str, str]]:
    """(metric, SVG) for the metrics most runs of a log logged as a series."""
    return [(key, metric_across_runs(runs, key)) for key in chart_keys(runs, limit)]
