"""The plain dataclasses an Architecture Decision Record parses into."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ConsideredOption:
    """One option weighed in the decision, with its arguments (plain text, one per bullet)."""

    name: str
    chosen: bool
    pros: tuple[str, ...]
    cons: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class DecisionLink:
    """A link to another record: ``kind`` is a lowercased verb such as "supersedes" or "superseded_by"."""

    kind: str
    target: str


@dataclass(frozen=True)
class ParsedDecision:
    """One decision record; prose fields keep their Markdown, list fields are plain text."""

    template: str
    number: int | None
    title: str
    status: str
    decided_on: date | None
    deciders: tuple[str, ...]
    drivers: tuple[str, ...]
    context: str
    decision: str
    consequences: str
    options: tuple[ConsideredOption, ...]
    links: tuple[DecisionLink, ...]
    tags: tuple[str, ...]
