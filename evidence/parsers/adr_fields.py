"""Where each field of a record lives: front matter, ``Key: value`` lines, or a named section."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from evidence.parsers.adr_markdown import Inline, Line, Section, parse_inline

ROLE_NAMES: dict[str, frozenset[str]] = {
    "context": frozenset({"context", "context and problem statement", "problem statement", "background",
                          "problem", "issue", "context and problem"}),
    "decision": frozenset({"decision", "decision outcome", "outcome", "resolution", "the decision",
                           "decision made"}),
    "consequences": frozenset({"consequences", "positive consequences", "negative consequences",
                               "implications"}),
    "drivers": frozenset({"decision drivers", "drivers", "forces", "decision criteria"}),
    "options": frozenset({"considered options", "options", "options considered", "alternatives",
                          "alternatives considered", "considered alternatives"}),
    "proscons": frozenset({"pros and cons of the options", "pros and cons",
                           "pros and cons of the alternatives"}),
    "confirmation": frozenset({"confirmation", "validation"}),
    "links": frozenset({"links", "related decisions", "related adrs", "related records"}),
    "status": frozenset({"status"}),
    "date": frozenset({"date"}),
    "deciders": frozenset({"deciders", "decision makers", "decision-makers"}),
    "tags": frozenset({"tags"}),
}
_ROLE_BY_KEY = {name: role for role, names in ROLE_NAMES.items() for name in names}
_META_KEYS = {
    "status": "status", "date": "date", "deciders": "deciders", "decision-makers": "deciders",
    "decision makers": "deciders", "decided by": "deciders", "tags": "tags",
    "technical story": "story", "consulted": "consulted", "informed": "informed",
}
_META_LINE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z -]{0,30}?)\s*:\s*(?P<value>.*)$")
_NESTING_ROLES = ("options", "proscons")


@dataclass
class Metadata:
    """Metadata values by canonical key, each a list of lines, and where they were found."""

    values: dict[str, list[Line]] = field(default_factory=dict)
    front_keys: set[str] = field(default_factory=set)
    bullet_keys: set[str] = field(default_factory=set)

    def lines(self, key: str) -> list[Line]:
        return self.values.get(key, [])

    def add(self, key: str, lines: Iterable[Line]) -> None:
        self.values.setdefault(key, []).extend(lines)


def find_title(root: Section) -> Section | None:
    """The first level-1 heading with text, else the first heading with text."""
    headed = [section for section in root.walk() if section.level and section.title]
    return next((s for s in headed if s.level == 1), headed[0] if headed else None)


def role_sections(root: Section, title: Section) -> dict[str, list[Section]]:
    """Sections by role ("context", "options", …), skipping those nested in options."""
    roles: dict[str, list[Section]] = {}

    def visit(section: Section, nested: bool) -> None:
        for child in section.children:
            role = _ROLE_BY_KEY.get(child.key) if child is not title else None
            if role and not nested:
                roles.setdefault(role, []).append(child)
            visit(child, nested or role in _NESTING_ROLES)

    visit(root, False)
    return roles


def collect_metadata(front: Mapping[str, Any], root: Section, title: Section,
                     roles: Mapping[str, list[Section]]) -> Metadata:
    """Front matter first, then ``Key: value`` lines before the first subsection, then named sections."""
    meta = Metadata()
    for key, value in front.items():
        canonical = _META_KEYS.get(key)
        if canonical:
            meta.front_keys.add(key)
            meta.add(canonical, front_lines(value))
    for section in (root, title):
        _metadata_lines(meta, section.paragraphs, bullets=False)
        _metadata_lines(meta, section.items, bullets=True)
    for key in ("status", "date", "deciders", "tags"):
        for section in roles.get(key, []):
            meta.add(key, section_lines(section))
    return meta


def section_lines(section: Section) -> list[Line]:
    """Every line of the section's own paragraphs, then of its list items."""
    return [line for part in (*section.paragraphs, *section.items) for line in part.lines if line.text]


def front_lines(value: Any) -> list[Line]:
    """A front-matter value (scalar or list of scalars) as lines of inline Markdown."""
    values = value if isinstance(value, list | tuple) else [value]
    texts = (text for text in map(_scalar_text, values) if text)
    return [line for text in texts for line in parse_inline(text).lines if line.text]


def _scalar_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str | int | float):
        try:
            return str(value)
        except ValueError:  # an int too long to print
            return None
    return None


def _metadata_lines(meta: Metadata, parts: Iterable[Inline], *, bullets: bool) -> None:
    for part in parts:
        for line in part.lines:
            match = _META_LINE.match(line.text)
            canonical = _META_KEYS.get(" ".join(match["key"].lower().split())) if match else None
            if match is None or canonical is None:
                continue
            meta.add(canonical, [Line(match["value"].strip(), line.links)])
            if bullets:
                meta.bullet_keys.add(canonical)
