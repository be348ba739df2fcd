"""Markdown from evidence (ADR prose) rendered to HTML that is safe to put in a page.

markdown-it-py renders with raw HTML switched off; nh3 then keeps only harmless tags,
attributes and link schemes, whatever the Markdown contained.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_renderer = MarkdownIt("commonmark", {"html": False}).enable("table")
ALLOWED_TAGS = nh3.ALLOWED_TAGS - {"img", "area", "map"}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str | None) -> Markup:
    html = _renderer.render(text or "")
    return Markup(nh3.clean(html, tags=ALLOWED_TAGS, url_schemes=URL_SCHEMES))  # sanitized just above
