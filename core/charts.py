"""Charts drawn server-side as SVG, so the same picture shows in a page and in the PDF package.

Figures are built without pyplot (no global state, no GUI backend). Every chart goes through
:func:`new_figure` for a consistent look and :func:`svg_text` to become an inline ``<svg>``.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
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


_STYLE_ATTR = re.compile(r'\sstyle="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"<style[^>]*>.*?</style>", re.DOTALL)


@contextmanager
def styled() -> Iterator[None]:
    """Draw inside this: axes read the style when they are made, not when the figure is."""
    with matplotlib.rc_context(STYLE):
        yield


def new_figure(width_in: float = 7.0, height_in: float = 3.0) -> Figure:
    """A figure not registered with pyplot (no global state, safe across threads)."""
    with matplotlib.rc_context(STYLE):
        return Figure(figsize=(width_in, height_in), layout="constrained")


def svg_text(figure: Figure, *, title: str) -> str:
    """The figure as an inline ``<svg>`` element with an accessible title; no XML prologue.

    The pages' Content-Security-Policy forbids inline styles, so matplotlib's
    ``style="fill: ...; stroke: ..."`` become the equivalent SVG presentation attributes and its
    one ``<style>`` rule goes on the root element: the same SVG draws in a page and in the PDF.
    """
    buffer = io.StringIO()
    with matplotlib.rc_context(STYLE):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = _STYLE_ELEMENT.sub("", svg[svg.index("<svg"):])
    svg = re.sub(r"<svg\b", '<svg role="img" class="fourpart-chart" stroke-linejoin="round" '
                 'stroke-linecap="butt"', svg, count=1)
    svg = _STYLE_ATTR.sub(lambda match: _attributes(match.group(1)), svg)
    return svg.replace(">", f"><title>{html.escape(title, quote=False)}</title>", 1)


def _attributes(style: str) -> str:
    declarations = html.unescape(style).split(";")
    pairs = (declaration.split(":", 1) for declaration in declarations if ":" in declaration)
    return "".join(f' {name.strip()}="{html.escape(value.strip(), quote=True)}"' for name, value in pairs)
