"""Which ADR template a record follows, and whether a Markdown file is an ADR at all."""

from __future__ import annotations

from pathlib import PurePath

from evidence.parsers import EvidenceParseError
from evidence.parsers.adr_fields import Metadata, find_title
from evidence.parsers.adr_markdown import Section, parse_markdown
from evidence.parsers.adr_text import MAX_BYTES, split_front_matter
from evidence.parsers.adr_values import (
    date_from_filename,
    number_from_filename,
    split_title_number,
)

MADR_SECTIONS = frozenset({"context and problem statement", "considered options", "decision outcome",
                           "decision drivers", "pros and cons of the options"})
NYGARD_SECTIONS = frozenset({"status", "context", "decision"})
_MADR_FRONT_KEYS = frozenset({"status", "deciders", "decision-makers", "consulted", "informed"})
_MADR2_MARKS = frozenset({"positive consequences", "negative consequences"})
_MADR3_MARKS = frozenset({"consequences", "validation", "more information"})


def detect_template(names: set[str], meta: Metadata, *, numbered: bool, filename: str) -> str:
    """One of "nygard", "madr2", "madr3", "madr4", "log4brains", "unknown-markdown"."""
    madr = bool(names & MADR_SECTIONS)
    nygard = numbered or names >= NYGARD_SECTIONS
    if meta.front_keys and (madr or not nygard):
        return "madr4" if "decision-makers" in meta.front_keys or "confirmation" in names else "madr3"
    dated = date_from_filename(PurePath(filename).name) is not None
    if (dated and (madr or meta.bullet_keys)) or (madr and "tags" in meta.bullet_keys):
        return "log4brains"
    if madr or {"status", "deciders"} & meta.bullet_keys:
        return _madr_version(names, meta)
    return "nygard" if nygard else "unknown-markdown"


def _madr_version(names: set[str], meta: Metadata) -> str:
    if "confirmation" in names:
        return "madr4"
    if names & _MADR2_MARKS or meta.bullet_keys:
        return "madr2"
    return "madr3" if names & _MADR3_MARKS else "madr2"


def looks_like_adr(text: str, filename: str) -> bool:
    """True for a Nygard, MADR or log4brains record, judged by content and file name; never raises."""
    if len(text) > MAX_BYTES or "\x00" in text:
        return False
    try:
        return _looks_like_adr(text, PurePath(filename).name)
    except (EvidenceParseError, RecursionError):
        return False


def _looks_like_adr(text: str, name: str) -> bool:
    try:
        front, body = split_front_matter(text.removeprefix("\ufeff"), name)
    except EvidenceParseError:
        front, body = {}, text
    root = parse_markdown(body)
    title = find_title(root)
    if title is None:
        return False
    names = {section.key for section in root.walk() if section is not title}
    numbered = split_title_number(title.title)[0] is not None or number_from_filename(name) is not None
    if names >= NYGARD_SECTIONS and numbered:
        return True
    if front.keys() & _MADR_FRONT_KEYS or len(names & MADR_SECTIONS) >= 2:
        return True
    if names & MADR_SECTIONS and _has_status_line(root, title):
        return True
    return date_from_filename(name) is not None


def _has_status_line(root: Section, title: Section) -> bool:
    parts = (*root.paragraphs, *root.items, *title.paragraphs, *title.items)
    return any(line.text.lower().startswith("status:") for part in parts for line in part.lines)
