"""Considered options: names from the options list, arguments from "Pros and Cons", the chosen one."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from evidence.parsers.adr_markdown import Inline, Section
from evidence.parsers.adr_model import ConsideredOption
from evidence.parsers.adr_values import is_placeholder

_ARGUMENT = re.compile(
    r"^(?P<kind>good|bad|neutral|pros?|cons?|positive|negative)\b[\s,:;.–-]*(?:because\b\s*)?(?P<text>.*)$",
    re.I | re.S,
)
_KINDS = {"good": "pro", "pro": "pro", "pros": "pro", "positive": "pro",
          "bad": "con", "con": "con", "cons": "con", "negative": "con", "neutral": "neutral"}
_CHOSEN = re.compile(r"\bchosen (?:option|alternative)\b\s*:?\s*(?P<rest>.*)$", re.I | re.S)
_QUOTES = {'"': '"', "'": "'", "“": "”", "‘": "’", "«": "»", "`": "`", "„": "“"}
_NAME_END = re.compile(r",?\s+because\b|[,;]\s|\.\s|\.$")
_SEPARATORS = (":", " - ", " – ", " — ")
MAX_OPTIONS = 200  # real records weigh a handful; more is hostile input, and matching is quadratic


@dataclass
class _Option:
    name: str
    notes: list[str] = field(default_factory=list)
    pros: list[str] = field(default_factory=list)
    cons: list[str] = field(default_factory=list)
    key: str = ""

    def __post_init__(self) -> None:
        self.key = option_key(self.name)


def read_options(option_sections: Sequence[Section], pros_cons_sections: Sequence[Section],
                 decision_sections: Sequence[Section]) -> tuple[ConsideredOption, ...]:
    """Options in listed order, with their arguments, and the one "Chosen option: …" names marked."""
    options: list[_Option] = []
    for section in option_sections:
        options.extend(_listed(section.items))
    del options[MAX_OPTIONS:]
    for section in (*option_sections, *pros_cons_sections):
        for child in section.children:
            _merge_arguments(options, child)
    chosen = chosen_name(decision_sections)
    picked = _match(options, chosen) if chosen else None
    return tuple(
        ConsideredOption(option.name, option is picked, tuple(option.pros), tuple(option.cons),
                         "\n".join(option.notes))
        for option in options
    )


def chosen_name(decision_sections: Sequence[Section]) -> str | None:
    """The option named after "Chosen option:", without its quotes."""
    for section in decision_sections:
        for part in (*section.paragraphs, *section.items):
            match = _CHOSEN.search(part.text)
            if match:
                name = _unquote(match["rest"].strip())
                return None if is_placeholder(name) or not name else name
    return None


def option_key(name: str) -> str:
    """A name reduced for matching: casefolded, punctuation and markup gone."""
    return " ".join(re.sub(r"[\W_]+", " ", name.casefold()).split())


def _listed(items: Iterable[Inline]) -> list[_Option]:
    options = []
    for item in items:
        text = item.text
        if is_placeholder(text):
            continue
        name, note = _split_lead(item.lead, text)
        options.append(_Option(name, [note] if note else []))
    return options


def _split_lead(lead: str, text: str) -> tuple[str, str]:
    """``"[Log4brains](url): a tool"`` → ``("Log4brains", "a tool")``; otherwise the whole text."""
    if lead and text.startswith(lead) and text != lead:
        rest = text[len(lead):]
        for separator in _SEPARATORS:
            if rest.startswith(separator):
                return lead, rest[len(separator):].strip()
    return text, ""


def _merge_arguments(options: list[_Option], section: Section) -> None:
    if is_placeholder(section.title):
        return
    option = _match(options, section.title)
    if option is None and len(options) >= MAX_OPTIONS:
        return
    if option is None:
        option = _Option(section.title)
        options.append(option)
    option.notes.extend(part.text for part in section.paragraphs if not is_placeholder(part.text))
    for item in section.items:
        _add_argument(option, item.text)


def _add_argument(option: _Option, text: str) -> None:
    match = _ARGUMENT.match(text)
    argument = match["text"].strip() if match else text
    if is_placeholder(argument):
        return
    kind = _KINDS[match["kind"].lower()] if match else "neutral"
    if kind == "pro":
        option.pros.append(argument)
    elif kind == "con":
        option.cons.append(argument)
    else:
        option.notes.append(f"Neutral: {argument}" if match else argument)


def _match(options: Sequence[_Option], name: str) -> _Option | None:
    """The option called ``name``: same key, else the closest one starting with the other's key."""
    wanted = option_key(name)
    if not wanted:
        return None
    exact = next((option for option in options if option.key == wanted), None)
    if exact is not None:
        return exact
    close = [option for option in options if _prefixes(option.key, wanted)]
    if not close:
        return None
    return min(close, key=lambda option: abs(len(option.key) - len(wanted)))


def _prefixes(first: str, second: str) -> bool:
    short, long = sorted((first, second), key=len)
    return bool(short) and len(long) > len(short) and long.startswith(short) and long[len(short)] == " "


def _unquote(text: str) -> str:
    """The text inside leading quotes or backticks, else up to ", because" or the sentence end."""
    closer = _QUOTES.get(text[:1])
    if closer:
        end = text.find(closer, 1)
        if end > 0:
            return text[1:end].strip()
        text = text[1:]
    match = _NAME_END.search(text)
    name = text[: match.start()] if match else text
    return name.strip().strip("*_\"'`“”‘’").strip()
