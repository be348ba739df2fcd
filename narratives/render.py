"""Narrative Markdown and version diffs as HTML that is safe to put in a page or the package.

markdown-it-py renders CommonMark with raw HTML switched off, so typed tags come out as
text. Exhibit references (``[EX-12](exhibit:12)``) become links to the artifact's page;
a link of any other scheme than http, https or mailto loses its target. nh3 then keeps
only harmless tags and attributes, whatever got through.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from urllib.parse import quote

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

from narratives.diff import DiffRow, Gap, Segment, TextDiff

EXHIBIT = re.compile(r"exhibit:(\d{1,12})")
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
ALLOWED_TAGS = nh3.ALLOWED_TAGS - {"img", "area", "map"}
ALLOWED_CLASSES = {"a": {"exhibit-ref"}, "p": {"todo"}, "li": {"todo"}}
TODO_MARK = "TODO:"

ExhibitHref = Callable[[int], str]


def exhibit_href_for(study_slug: str) -> ExhibitHref:
    """Links to ``/studies/<slug>/evidence/<artifact id>``, the artifact's page."""
    return lambda artifact_id: f"/studies/{quote(study_slug, safe='')}/evidence/{artifact_id}"


def _retarget(tokens: Sequence[Token], exhibit_href: ExhibitHref) -> None:
    for token in tokens:
        if token.children:
            _retarget(token.children, exhibit_href)
        if token.type == "image":  # no pictures from elsewhere: keep the words, drop the picture
            token.type, token.tag, token.content, token.children = "text", "", token.content, None
        if token.type != "link_open":
            continue
        href = str(token.attrGet("href") or "")
        exhibit = EXHIBIT.fullmatch(href)
        if exhibit:
            token.attrSet("href", exhibit_href(int(exhibit.group(1))))
            token.attrSet("class", "exhibit-ref")
        elif href.split(":", 1)[0].lower() not in SAFE_SCHEMES or ":" not in href:
            # Relative links and other schemes would point somewhere no reader expects.
            token.attrs.pop("href", None)


def _mark_todos(tokens: Sequence[Token]) -> None:
    """A paragraph or list item that starts with TODO: is marked, so a reader cannot miss it."""
    for index, token in enumerate(tokens):
        if token.type != "inline" or not token.content.startswith(TODO_MARK):
            continue
        for opener in reversed(tokens[:index]):
            if opener.type == "paragraph_open" and not opener.hidden:
                opener.attrSet("class", "todo")
                break
            if opener.type == "list_item_open":
                opener.attrSet("class", "todo")
                break


_parser = MarkdownIt("commonmark", {"html": False}).enable("table")


def render_narrative(markdown: str | None, exhibit_href: ExhibitHref) -> Markup:
    tokens = _parser.parse(markdown or "")
    _retarget(tokens, exhibit_href)
    _mark_todos(tokens)
    html = _parser.renderer.render(tokens, _parser.options, {})
    cleaned = nh3.clean(html, tags=set(ALLOWED_TAGS), allowed_classes=ALLOWED_CLASSES,
                        url_schemes=set(SAFE_SCHEMES), link_rel="noopener noreferrer")
    return Markup(cleaned)  # sanitized by nh3 just above


def _segments(segments: tuple[Segment, ...] | None, mark: str) -> Markup:
    if segments is None:
        return Markup("")
    return Markup("").join(Markup("<{0}>{1}</{0}>").format(mark, s.text) if s.changed else escape(s.text)
                           for s in segments)


def _row(row: DiffRow) -> Markup:
    return Markup(
        '<tr class="diff-{tag}"><td class="diff-no">{old_no}</td><td class="diff-old">{old}</td>'
        '<td class="diff-no">{new_no}</td><td class="diff-new">{new}</td></tr>'
    ).format(tag=row.tag, old_no=row.old_number or "", old=_segments(row.old, "del"),
             new_no=row.new_number or "", new=_segments(row.new, "ins"))


def _gap(gap: Gap) -> Markup:
    noun = "line" if gap.lines == 1 else "lines"
    return Markup('<tr class="diff-gap"><td colspan="4">{0} unchanged {1}</td></tr>').format(gap.lines, noun)


def render_diff(diff: TextDiff, old_label: str, new_label: str) -> Markup:
    """A side-by-side table: old text left, new right, changed words in ``del``/``ins``; all text escaped."""
    head = Markup('<thead><tr><th colspan="2">{0}</th><th colspan="2">{1}</th></tr></thead>').format(
        old_label, new_label)
    body = Markup("").join(_gap(item) if isinstance(item, Gap) else _row(item) for item in diff.rows)
    columns = Markup('<colgroup><col class="diff-no-col"><col><col class="diff-no-col"><col></colgroup>')
    table = Markup('<table class="narrative-diff" data-testid="diff">{0}{1}<tbody>{2}</tbody></table>')
    return table.format(columns, head, body)
