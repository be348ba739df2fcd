"""Architecture Decision Records (Nygard/adr-tools, MADR 2–4, log4brains) to :class:`ParsedDecision`.

Pure: no database, no Flask, no network. Markdown is read with markdown-it-py into a section
tree (see :mod:`evidence.parsers.adr_markdown`); every bad input raises
:class:`~evidence.parsers.EvidenceParseError` and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import PurePath

from evidence.parsers import EvidenceParseError
from evidence.parsers.adr_detect import detect_template, looks_like_adr
from evidence.parsers.adr_fields import Metadata, collect_metadata, find_title, role_sections, section_lines
from evidence.parsers.adr_files import find_adr_files
from evidence.parsers.adr_markdown import Line, Section, parse_markdown
from evidence.parsers.adr_model import ConsideredOption, DecisionLink, ParsedDecision
from evidence.parsers.adr_options import read_options
from evidence.parsers.adr_text import decode_text, split_front_matter
from evidence.parsers.adr_values import (
    date_from_filename,
    is_placeholder,
    normalize_status,
    number_from_filename,
    parse_date,
    read_link,
    split_names,
    split_tags,
    split_title_number,
    status_from_link,
)

__all__ = [
    "ConsideredOption",
    "DecisionLink",
    "ParsedDecision",
    "find_adr_files",
    "looks_like_adr",
    "parse_adr",
]

_OVERRIDABLE_STATUSES = frozenset({"", "accepted", "proposed", "approved", "draft"})


def parse_adr(text: str | bytes, *, source: str, fallback_date: date | None = None) -> ParsedDecision:
    """Parse one ADR; ``source`` names the file in errors, ``fallback_date`` stands in for a missing date."""
    try:
        return _parse(text, source, fallback_date)
    except RecursionError:
        raise EvidenceParseError(source, "nested too deeply to read") from None


def _parse(text: str | bytes, source: str, fallback_date: date | None) -> ParsedDecision:
    front, body = split_front_matter(decode_text(text, source), source)
    root = parse_markdown(body)
    title = find_title(root)
    if title is None:
        raise EvidenceParseError(source, "no title heading")
    roles = role_sections(root, title)
    meta = collect_metadata(front, root, title, roles)
    filename = PurePath(source).name
    number, title_text = split_title_number(title.title)
    names = {section.key for section in root.walk() if section is not title}
    template = detect_template(names, meta, numbered=number is not None, filename=filename)
    status, links = _status_and_links(meta, roles.get("links", []))
    return ParsedDecision(
        template=template,
        number=number if number is not None else number_from_filename(filename),
        title=title_text,
        status=status,
        decided_on=_decided_on(meta, filename) or fallback_date,
        deciders=_split(meta.lines("deciders"), split_names),
        drivers=_drivers(roles.get("drivers", [])),
        context=_context(roles, meta, title, template),
        decision=_joined(roles.get("decision", []), roles.get("confirmation", [])),
        consequences=_joined(roles.get("consequences", [])),
        options=read_options(roles.get("options", []), roles.get("proscons", []), roles.get("decision", [])),
        links=links,
        tags=_split(meta.lines("tags"), split_tags),
    )


def _status_and_links(
    meta: Metadata, link_sections: Sequence[Section]
) -> tuple[str, tuple[DecisionLink, ...]]:
    """The first status word, and the links of the status lines and of any "Links" section."""
    status = ""
    links: list[DecisionLink] = []
    for line in meta.lines("status"):
        link = read_link(line)
        if link is not None:
            links.append(link)
        elif not status:
            status = normalize_status(line.text)
    for section in link_sections:
        links.extend(link for line in section_lines(section) if (link := read_link(line, bare_ok=True)))
    implied = next((found for link in links if (found := status_from_link(link))), None)
    if implied and status in _OVERRIDABLE_STATUSES:
        status = implied
    return status, tuple(dict.fromkeys(links))


def _decided_on(meta: Metadata, filename: str) -> date | None:
    for line in meta.lines("date"):
        found = parse_date(line.text)
        if found is not None:
            return found
    return date_from_filename(filename)


def _split(lines: Iterable[Line], splitter: Callable[[str], list[str]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for line in lines for name in splitter(line.text)))


def _drivers(sections: Sequence[Section]) -> tuple[str, ...]:
    texts = [item.text for section in sections for item in section.items]
    if not texts:
        texts = [line.text for section in sections for part in section.paragraphs for line in part.lines]
    return tuple(text for text in texts if not is_placeholder(text))


def _context(roles: Mapping[str, list[Section]], meta: Metadata, title: Section, template: str) -> str:
    sections = roles.get("context", [])
    context = _joined(sections) if sections else (title.body if template == "unknown-markdown" else "")
    stories = [_with_hrefs(line) for line in meta.lines("story") if not is_placeholder(line.text)]
    return "\n\n".join([f"Technical Story: {story}" for story in stories] + ([context] if context else []))


def _with_hrefs(line: Line) -> str:
    hrefs = [href for _, href in line.links if href and href not in line.text]
    return line.text + "".join(f" ({href})" for href in hrefs)


def _joined(sections: Sequence[Section], labelled: Sequence[Section] = ()) -> str:
    """Section bodies: one alone as it is, several each under its heading; ``labelled`` always headed."""
    bodies = [section for section in sections if _text(section)]
    parts = [_text(bodies[0])] if len(bodies) == 1 else [f"{s.title}:\n{_text(s)}" for s in bodies]
    parts += [f"{section.title}:\n{_text(section)}" for section in labelled if _text(section)]
    return "\n\n".join(parts)


def _text(section: Section) -> str:
    """The body, unless it is only a MADR ``{…}`` placeholder."""
    body = section.body
    return "" if body.startswith("{") and body.endswith("}") else body
