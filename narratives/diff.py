"""A readable diff between two narrative texts: line by line, side by side, words marked.

Narratives are prose, where one line is a whole paragraph: a changed line shows which
words changed, not just that the paragraph did. Far from any change, unchanged lines are
folded into a gap that says how many lines it hides.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    text: str
    changed: bool = False


@dataclass(frozen=True)
class DiffRow:
    """One row of a side-by-side diff; a side is ``None`` where that text has no line."""

    tag: str  # "equal", "replace", "delete" or "insert"
    old_number: int | None
    old: tuple[Segment, ...] | None
    new_number: int | None
    new: tuple[Segment, ...] | None


@dataclass(frozen=True)
class Gap:
    """Unchanged lines left out of the view."""

    lines: int


@dataclass(frozen=True)
class TextDiff:
    rows: tuple[DiffRow | Gap, ...]
    added: int
    removed: int
    changed: int

    @property
    def unchanged(self) -> bool:
        return self.added == self.removed == self.changed == 0


def _words(old: str, new: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    left: list[Segment] = []
    right: list[Segment] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        changed = tag != "equal"
        if i2 > i1:
            left.append(Segment("".join(a[i1:i2]), changed))
        if j2 > j1:
            right.append(Segment("".join(b[j1:j2]), changed))
    return tuple(left), tuple(right)


def _block_rows(tag: str, old: list[str], new: list[str],
                i1: int, i2: int, j1: int, j2: int) -> list[DiffRow]:
    if tag == "equal":
        return [DiffRow("equal", i + 1, (Segment(old[i]),), j + 1, (Segment(new[j]),))
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)]
    rows = []
    pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
    for k in range(pairs):
        left, right = _words(old[i1 + k], new[j1 + k])
        rows.append(DiffRow("replace", i1 + k + 1, left, j1 + k + 1, right))
    rows += [DiffRow("delete", i + 1, (Segment(old[i], True),), None, None) for i in range(i1 + pairs, i2)]
    rows += [DiffRow("insert", None, None, j + 1, (Segment(new[j], True),)) for j in range(j1 + pairs, j2)]
    return rows


def _fold(rows: list[DiffRow], context: int) -> list[DiffRow | Gap]:
    changed = [i for i, row in enumerate(rows) if row.tag != "equal"]
    keep = {k for i in changed for k in range(i - context, i + context + 1)}
    folded: list[DiffRow | Gap] = []
    hidden = 0
    for i, row in enumerate(rows):
        if i in keep or not changed:
            if hidden:
                folded.append(Gap(hidden))
                hidden = 0
            folded.append(row)
        else:
            hidden += 1
    if hidden:
        folded.append(Gap(hidden))
    return folded


def diff_texts(old: str, new: str, *, context: int = 3) -> TextDiff:
    """The side-by-side diff of two texts, with ``context`` unchanged lines kept around each change."""
    a, b = old.splitlines(), new.splitlines()
    rows = [row for opcode in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
            for row in _block_rows(opcode[0], a, b, *opcode[1:])]
    counts = {tag: sum(1 for row in rows if row.tag == tag) for tag in ("insert", "delete", "replace")}
    return TextDiff(tuple(_fold(rows, context)), counts["insert"], counts["delete"], counts["replace"])


def unified_diff(old: str, new: str, old_label: str, new_label: str) -> str:
    """The plain unified diff, for a terminal or a file."""
    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        fromfile=old_label, tofile=new_label))
