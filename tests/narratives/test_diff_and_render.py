"""Readable diffs between versions, and narrative HTML in which typed markup stays inert."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from narratives.diff import DiffRow, Gap, diff_texts, unified_diff
from narratives.render import exhibit_href_for, render_diff, render_narrative

HREF = exhibit_href_for("demo")
ATTACKS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
           "[y](JAVASCRIPT:alert(1))", "<a href=\"javascript:alert(1)\">z</a>", "[w](data:text/html,hi)",
           "![pic](javascript:alert(1))", "<javascript:alert(1)>", "[v](vbscript:msgbox)"]


def test_a_changed_paragraph_marks_the_words_that_changed() -> None:
    old = "# Title\n\nRecall was 0.61 with dense retrieval.\nsame\n"
    new = "# Title\n\nRecall was 0.75 with hybrid retrieval.\nsame\nadded line\n"
    diff = diff_texts(old, new)
    changed = [row for row in diff.rows if isinstance(row, DiffRow) and row.tag != "equal"]
    assert [row.tag for row in changed] == ["replace", "insert"]
    replaced = changed[0]
    assert [s.text for s in replaced.old if s.changed] == ["0.61", "dense"]
    assert [s.text for s in replaced.new if s.changed] == ["0.75", "hybrid"]
    assert (replaced.old_number, replaced.new_number) == (3, 3)
    assert (diff.added, diff.removed, diff.changed) == (1, 0, 1)


def test_far_unchanged_lines_fold_into_a_counted_gap() -> None:
    old = "\n".join(f"line {i}" for i in range(20))
    new = old.replace("line 10", "line ten")
    rows = diff_texts(old, new, context=2).rows
    assert isinstance(rows[0], Gap) and rows[0].lines == 8
    assert isinstance(rows[-1], Gap) and rows[-1].lines == 7
    assert diff_texts(old, old).unchanged


def test_the_unified_diff_is_plain_text() -> None:
    text = unified_diff("a\nb\n", "a\nc\n", "version 1", "version 2")
    assert text.splitlines()[:2] == ["--- version 1", "+++ version 2"]
    assert "-b" in text and "+c" in text


def test_diff_html_escapes_everything_typed() -> None:
    html = str(render_diff(diff_texts("safe\n", "safe\n" + "\n".join(ATTACKS)), "v1 <b>", "v2"))
    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "v1 &lt;b&gt;" in html
    assert html.count("<ins>") == len(ATTACKS)


def test_exhibit_references_link_to_the_artifact_page() -> None:
    html = str(render_narrative("Shown in [EX-12](exhibit:12) and [EX-3](exhibit:3).", HREF))
    link = '<a href="/studies/demo/evidence/12" class="exhibit-ref" rel="noopener noreferrer">EX-12</a>'
    assert link in html
    assert 'href="/studies/demo/evidence/3"' in html
    assert "/studies/a%2Fb/evidence/1" in str(render_narrative("[EX-1](exhibit:1)", exhibit_href_for("a/b")))


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def assert_inert(html: str) -> None:
    """No element that runs or loads anything: no script or image, no event handler, no unsafe link."""
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag not in ("script", "img", "iframe", "object", "embed", "style"), html
        assert not any(name.startswith("on") for name in attrs), html
        href = (attrs.get("href") or "").strip().lower()
        assert not href or href.startswith(("https:", "http:", "mailto:", "/studies/")), html


@pytest.mark.parametrize("attack", ATTACKS)
def test_typed_script_and_html_stay_inert(attack: str) -> None:
    html = str(render_narrative(f"Before {attack} after", HREF))
    assert_inert(html)
    assert "Before" in html and "after" in html


def test_the_inertness_check_can_fail() -> None:
    with pytest.raises(AssertionError):
        assert_inert('<a href="javascript:alert(1)">x</a>')
    with pytest.raises(AssertionError):
        assert_inert('<p onclick="x()">x</p>')


def test_markdown_still_renders_and_safe_links_keep_their_target() -> None:
    html = str(render_narrative("## Heading\n\n- **bold** item\n\n[docs](https://example.com/x)", HREF))
    assert "<h2>Heading</h2>" in html and "<strong>bold</strong>" in html
    assert 'href="https://example.com/x"' in html
    assert "href" not in str(render_narrative("[bad](exhibit:abc) [rel](/studies/x)", HREF))
