"""Charts drawn server-side as SVG, so the same picture shows in a page and in the PDF package.

Figures are built without pyplot (no global state, no GUI backend). Every chart goes through
:func:`new_figure` for a consistent look and :func:`svg_text` to become an inline ``<svg>``.
"""

from __future__ import annotations

import io
import re
from typing import Any

import matplotlib
from matplotlib.figure import Figure

STYLE: Any = {  # matplotlib types rc keys as a Literal of every known name
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "svg.fonttype": "none",  # text stays text: selectable, searchable, small
    "svg.hashsalt": "fourpart",  # stable element ids, so the same data draws the same SVG
}
PALETTE = ("#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4b5563", "#ca8a04")


def new_figure(width_in: float = 7.0, height_in: float = 3.0) -> Figure:
    """A figure not registered with pyplot (no global state, safe across threads)."""
    with matplotlib.rc_context(STYLE):
        return Figure(figsize=(width_in, height_in), layout="constrained")


def svg_text(figure: Figure, *, title: str) -> str:
    """The figure as an inline ``<svg>`` element with an accessible title; no XML prologue."""
    buffer = io.StringIO()
    with matplotlib.rc_context(STYLE):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<svg\b", '<svg role="img" class="fourpart-chart"', svg, count=1)
    escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return svg.replace(">", f"><title>{escaped}</title>", 1)
