"""Exhibit references in the package: ``[EX-12](exhibit:12)`` becomes a link to the index entry of
the exhibit that artifact 12 is, showing its exhibit number ("Exhibit 3")."""

from __future__ import annotations

import re

from markupsafe import Markup

from narratives.render import render_narrative

_CANONICAL = re.compile(r"\[EX-(\d{1,12})\]\(exhibit:\1\)")
NOT_IN_PACKAGE = "#exhibit-not-in-package"


def _relabel(markdown: str, numbers: dict[int, int]) -> str:
    def label(match: re.Match[str]) -> str:
        artifact_id = int(match.group(1))
        number = numbers.get(artifact_id)
        text = f"Exhibit {number}" if number else f"EX-{artifact_id} (removed, not in this package)"
        return f"[{text}](exhibit:{artifact_id})"
    return _CANONICAL.sub(label, markdown)


def render_with_exhibits(markdown: str, numbers: dict[int, int]) -> Markup:
    """The narrative as safe HTML whose exhibit references point into the package's exhibit index."""
    def href(artifact_id: int) -> str:
        return f"#exhibit-{numbers[artifact_id]}" if artifact_id in numbers else NOT_IN_PACKAGE
    return render_narrative(_relabel(markdown, numbers), href)
