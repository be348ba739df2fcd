"""Small value readers for ADR metadata: dates, name lists, statuses and link lines."""

from __future__ import annotations

import re
from datetime import date
from pathlib import PurePosixPath

from evidence.parsers.adr_markdown import Line
from evidence.parsers.adr_model import DecisionLink

_MONTHS = {
    name: number
    for number, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")),
        start=1,
    )
    for name in names
}
_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = (
    re.compile(r"(?<!\d)(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?!\d)"),
    re.compile(
        rf"(?<!\d)(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?P<year>\d{{4}})\b", re.I
    ),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", re.I),
)
_DATED_NAME = re.compile(r"^(\d{4})(\d{2})(\d{2})-.+\.md$", re.I)
_NUMBERED_NAME = re.compile(r"^(\d{1,6})[-_]")
_VERB_LINK = re.compile(
    r"^(supersedes|supercedes|superseded by|superceded by|amends|amended by|deprecated by|"
    r"replaces|replaced by|refines|refined by|extends|extended by|clarifies|clarified by|"
    r"relates to|related to)\s*:?\s*(.+)$",
    re.I,
)
_TITLE_NUMBER = re.compile(
    r"^(?:ADR[-_ ]?)?(?P<number>\d{1,6})(?:\s*[.:)]|\s+[-–—])\s+(?P<title>\S.*)$", re.I
)
_TITLE_ADR = re.compile(r"^ADR[-_ ]?(?P<number>\d{1,6})\s+(?P<title>\S.*)$", re.I)
_VERB = re.compile(r"^[a-z][a-z -]{0,40}$")
_KIND_ALIASES = {
    "supercedes": "supersedes",
    "superceded_by": "superseded_by",
    "relates_to": "relates",
    "related_to": "relates",
    "related": "relates",
    "see_also": "relates",
    "": "relates",
}
_STATUS_FROM_LINK = {
    "superseded_by": "superseded", "replaced_by": "superseded", "deprecated_by": "deprecated",
}


def parse_date(text: str) -> date | None:
    """The first ISO, slashed, "4 March 2025" or "March 4, 2025" date in ``text``, if valid."""
    for pattern in _DATE_PATTERNS:
        match = pattern.search(text[:200])
        if match is None:
            continue
        month = match["month"]
        number = int(month) if month.isdigit() else _MONTHS[month.lower().rstrip(".")]
        try:
            return date(int(match["year"]), number, int(match["day"]))
        except ValueError:
            return None
    return None


def date_from_filename(name: str) -> date | None:
    """log4brains' ``YYYYMMDD-slug.md`` date."""
    match = _DATED_NAME.match(name)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def number_from_filename(name: str) -> int | None:
    """The ``0002-`` prefix of adr-tools and MADR file names."""
    match = _NUMBERED_NAME.match(name)
    return int(match[1]) if match else None


def is_placeholder(text: str) -> bool:
    """Template text left in place: ``{…}``, ``[a | b]``, a lone ellipsis, or nothing."""
    value = text.strip().strip('"').strip()
    if value in ("", "…", "...", "DATE", "STATUS"):
        return True
    if value.startswith("{"):
        return True
    return value.startswith("[") and ("|" in value or "…" in value)


def split_names(text: str) -> list[str]:
    """``"a, b; c"`` or ``"[a, b]"`` as names, placeholders dropped."""
    if is_placeholder(text):
        return []
    value = text.strip()
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    names = (" ".join(part.split()).strip("\"'") for part in re.split(r"[,;]", value))
    return [name for name in names if name and not is_placeholder(name)]


def split_tags(text: str) -> list[str]:
    """log4brains tags: space and/or comma separated, optionally bracketed or with ``#``."""
    if is_placeholder(text):
        return []
    return [tag.lstrip("#") for tag in re.split(r"[\s,;\[\]]+", text) if tag.lstrip("#")]


def link_kind(verb: str) -> str:
    """``"Superceded by"`` → ``"superseded_by"``, and the other spellings to one kind each."""
    kind = "_".join(verb.lower().replace("-", " ").split())
    return _KIND_ALIASES.get(kind, kind)


def read_link(line: Line, *, bare_ok: bool = False) -> DecisionLink | None:
    """A link line such as ``Supercedes [1. X](0001-x.md)``; ``bare_ok`` reads a bare link as "relates"."""
    text = line.text.strip()
    if line.links:
        label, href = line.links[0]
        verb = text[: text.find(label)] if label and label in text else ""
        verb = verb.strip().rstrip(":").strip().lower()
        if (verb or bare_ok) and (not verb or _VERB.match(verb)):
            return DecisionLink(link_kind(verb), _target(href) or label)
    match = _VERB_LINK.match(text)
    if match:
        return DecisionLink(link_kind(match[1]), match[2].strip().rstrip("."))
    return None


def status_from_link(link: DecisionLink) -> str | None:
    """The status a link implies: "superseded" for "superseded_by", and so on."""
    return _STATUS_FROM_LINK.get(link.kind)


def normalize_status(text: str) -> str:
    """``"Accepted (2025-03-04)."`` → ``"accepted"``; placeholders → ``""``."""
    if is_placeholder(text):
        return ""
    value = re.split(r"[,;(]|\s[-–—]\s", text.strip(), maxsplit=1)[0]
    return " ".join(value.lower().split()).strip(" .:*_`\"'")


def _target(href: str) -> str:
    path = href.split("#", 1)[0].split("?", 1)[0].strip()
    if not path or "://" in path:
        return href.strip()
    return PurePosixPath(path).name or path


def split_title_number(title: str) -> tuple[int | None, str]:
    """``"2. Use X"`` or ``"ADR-0002: Use X"`` → ``(2, "Use X")``; other titles keep no number."""
    match = _TITLE_NUMBER.match(title) or _TITLE_ADR.match(title)
    if match is None:
        return None, title
    return int(match["number"]), match["title"].strip()
