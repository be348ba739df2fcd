"""A repository's commits per month, drawn server-side as SVG for its evidence page."""

from __future__ import annotations

from collections.abc import Sequence

from core.charts import PALETTE, new_figure, styled, svg_text
from evidence.ingest.git_stats import MonthCount


def commits_per_month(months: Sequence[MonthCount]) -> str:
    """Bars of commits per calendar month, every month from the first to the last shown."""
    figure = new_figure(11.0, 2.6)
    with styled():
        axes = figure.add_subplot()
        labels = [month.month for month in months]
        axes.bar(range(len(months)), [month.commits for month in months], color=PALETTE[0], width=0.7)
        step = max(1, len(labels) // 12)
        axes.set_xticks(range(0, len(labels), step), labels[::step], rotation=45, ha="right")
        axes.set_ylabel("commits")
        axes.grid(axis="x", visible=False)
    total = sum(month.commits for month in months)
    return svg_text(figure, title=f"{total} commits per month, {labels[0]} to {labels[-1]}" if labels
                    else "no commits")
