"""Markdown to a tree of sections, built from markdown-it heading tokens.

Each section keeps the Markdown source of its own body (HTML comments removed) and the
plain text of its top-level paragraphs and list items, line by line with their links.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

_MD = MarkdownIt("commonmark").enable("table")
_NUMBERING = re.compile(r"^\d+(?:\.\d+)*\.?\s+")
_SPAN_OPEN = {"link_open": "link_close", "strong_open": "strong_close", "em_open": "em_close"}


@dataclass(frozen=True)
class Line:
    """One line of inline content as plain text, with its links as ``(label, href)``."""

    text: str
    links: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Inline:
    """A paragraph or list item: its lines, and the text of a leading link/bold/code span."""

    lines: tuple[Line, ...]
    lead: str = ""

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines if line.text)


@dataclass
class Section:
    """A heading and what follows it up to the next heading."""

    title: str
    level: int
    body: str = ""
    paragraphs: list[Inline] = field(default_factory=list)
    items: list[Inline] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    @property
    def key(self) -> str:
        return section_key(self.title)

    def walk(self) -> Iterator[Section]:
        """This section and every section under it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


def section_key(title: str) -> str:
    """A heading reduced for matching: lowercased, no numbering, no trailing colon or "(optional)"."""
    key = " ".join(title.lower().replace("(optional)", " ").split()).rstrip(":").strip()
    return _NUMBERING.sub("", key)


def strip_comments(text: str) -> str:
    """``text`` without ``<!-- … -->`` comments (linear, unlike a lazy regex on hostile input)."""
    parts: list[str] = []
    position = 0
    while (start := text.find("<!--", position)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        parts.append(text[position:start])
        position = end + 3
    parts.append(text[position:])
    return "".join(parts)


def parse_markdown(text: str) -> Section:
    """The section tree of ``text``: a level-0 root holding whatever precedes the first heading."""
    tokens = _MD.parse(text)
    source_lines = text.split("\n")
    root = Section("", 0)
    stack, current, body_start = [root], root, 0
    item: list[Inline] | None = None
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0:
            start, end = token.map or (body_start, body_start)
            current.body = _body(source_lines[body_start:start])
            current, body_start = Section(_inline(tokens[index + 1]).text, int(token.tag[1:])), end
            while len(stack) > 1 and stack[-1].level >= current.level:
                stack.pop()
            stack[-1].children.append(current)
            stack.append(current)
        elif token.type == "inline" and token.level == 1 and tokens[index - 1].type == "paragraph_open":
            current.paragraphs.append(_inline(token))
        elif token.type == "list_item_open" and token.level == 1:
            item = []
        elif token.type == "inline" and token.level == 3 and item is not None:
            item.append(_inline(token))
        elif token.type == "list_item_close" and token.level == 1 and item is not None:
            current.items.append(_merge(item))
            item = None
    current.body = _body(source_lines[body_start:])
    return root


def parse_inline(text: str) -> Inline:
    """Inline Markdown (a front-matter value, say) as an :class:`Inline`."""
    tokens = _MD.parseInline(text)
    return _inline(tokens[0]) if tokens else Inline(())


def _body(lines: Sequence[str]) -> str:
    """Source lines without comments, trailing blanks or runs of empty lines."""
    kept: list[str] = []
    for line in strip_comments("\n".join(lines)).split("\n"):
        line = line.rstrip()
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept).strip("\n")


def _merge(parts: list[Inline]) -> Inline:
    if len(parts) == 1:
        return parts[0]
    lines = tuple(line for part in parts for line in part.lines)
    return Inline(lines, parts[0].lead if parts else "")


def _inline(token: Token) -> Inline:
    children = token.children or []
    lines: list[Line] = []
    words: list[str] = []
    links: list[tuple[str, str]] = []
    label: list[str] | None = None
    href = ""
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            lines.append(Line(_squash(words), tuple(links)))
            words, links = [], []
        elif child.type == "link_open":
            label, href = [], str(child.attrGet("href") or "")
        elif child.type == "link_close" and label is not None:
            links.append((_squash(label), href))
            label = None
        elif child.type in ("text", "code_inline", "image"):
            words.append(child.content)
            if label is not None:
                label.append(child.content)
    lines.append(Line(_squash(words), tuple(links)))
    return Inline(tuple(lines), _lead(children))


def _lead(children: list[Token]) -> str:
    """Plain text of a link, bold, italic or code span that opens the inline content."""
    meaningful = [child for child in children if not (child.type == "text" and not child.content.strip())]
    if not meaningful:
        return ""
    first = meaningful[0]
    if first.type == "code_inline":
        return _squash([first.content])
    closer = _SPAN_OPEN.get(first.type)
    if closer is None:
        return ""
    words: list[str] = []
    for child in meaningful[1:]:
        if child.type == closer:
            return _squash(words)
        if child.type in ("text", "code_inline"):
            words.append(child.content)
    return ""


def _squash(words: list[str]) -> str:
    return " ".join("".join(words).split())
