"""Compact views of many general-ledger lines, so thousands of them do not fill hundreds of pages.

Every approved GL line is printed once, one row each, in the GL schedule; elsewhere (the QRE
trail, a component's costs) GL lines are summed per category and component with their count and
a pointer to that schedule. The full lines, every field, also travel in the ZIP as a CSV file.
"""

from __future__ import annotations

import csv
import io
import re
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC
from decimal import Decimal

from narratives.package.exhibits import ExhibitEntry
from narratives.package.methodology import GlLine, GlReview
from studies.credit.qres import QreItem

GL_CSV = "schedules/gl-lines.csv"
GL_CSV_COLUMNS = ("line", "component", "category", "vendor", "description", "amount", "qualified_share",
                  "qualified", "approved_by", "approved_at")
_GL_LABEL = re.compile(r"\(gl [^()]*\)$")  # how the credit inputs label an expense from a GL line


@dataclass(frozen=True)
class TrailRow:
    """One row of the QRE trail: a single record, or the GL lines of one category and component."""

    category: str
    activity: str | None
    component: str | None
    amount: Decimal
    records: str
    basis: str
    excluded_reason: str | None = None


def _from_gl(item: QreItem) -> bool:
    return bool(item.sources) and all(_GL_LABEL.search(source) for source in item.sources)


def trail_rows(items: Iterable[QreItem]) -> tuple[TrailRow, ...]:
    """The items in order, GL-line items folded into one row per category, component and exclusion."""
    rows: list[TrailRow] = []
    folded: dict[tuple[str, str | None, str | None], list[QreItem]] = {}
    for item in items:
        if _from_gl(item):
            folded.setdefault((item.category, item.component, item.excluded_reason), []).append(item)
        else:
            rows.append(TrailRow(item.category, item.activity, item.component, item.amount,
                                 "; ".join(item.sources), item.basis, item.excluded_reason))
    for (category, component, reason), group in sorted(folded.items(), key=lambda kv: _key(kv[0])):
        count = len(group)
        rows.append(TrailRow(
            category, None, component, sum((i.amount for i in group), Decimal(0)),
            f"{count:,} general-ledger line{'' if count == 1 else 's'}, each in the GL schedule and {GL_CSV}",
            "each line's qualified share of its amount", reason))
    return tuple(rows)


def _key(key: tuple[str, str | None, str | None]) -> tuple[str, str, str]:
    return key[0], key[1] or "", key[2] or ""


def approver_keys(review: GlReview) -> dict[str, str]:
    """A short key per approver (A1, A2, …), printed on each GL row and explained above the table."""
    return {name: f"A{index}" for index, (name, _count) in enumerate(review.approvers, start=1)}


def uploader_keys(exhibits: Iterable[ExhibitEntry]) -> dict[str, str]:
    """A short key per uploader (U1, U2, …) for the exhibit index, in name order."""
    names = sorted({e.uploaded_by for e in exhibits})
    return {name: f"U{index}" for index, name in enumerate(names, start=1)}


def gl_csv_bytes(lines: Iterable[GlLine]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(GL_CSV_COLUMNS)
    for g in lines:
        writer.writerow([g.source_ref, g.project, g.category, g.vendor, g.description, f"{g.amount:f}",
                         f"{g.share.normalize():f}", f"{g.qualified:f}", g.approved_by,
                         g.approved_at.isoformat() if g.approved_at else ""])
    return out.getvalue().encode()


@dataclass(frozen=True)
class Listing:
    """The GL schedule as fixed-width text: a header and one block of lines per GL line.

    Thousands of seven-cell table rows cost WeasyPrint several times what one monospace cell
    per line does; long text wraps inside its column here, so nothing is cut off.
    """

    header: str
    rows: tuple[str, ...]


LISTING_WIDTH = 134  # characters of DejaVu Sans Mono at 6.3pt across the Letter page's text width
_GAP = "  "


def gl_listing(lines: Iterable[GlLine], keys: dict[str, str], money: Callable[[Decimal], str]) -> Listing:
    """The GL lines as fixed-width text; ``keys`` names each approver, ``money`` formats amounts."""
    cells = [_cells(g, keys, money) for g in lines]
    fixed = [max([len(LISTING_TITLES[i])] + [len(row[i]) for row in cells]) for i in _FIGURES]
    free = LISTING_WIDTH - sum(fixed) - len(_GAP) * (len(LISTING_TITLES) - 1)
    ref, component = max(8, free * 18 // 100), max(12, free * 28 // 100)
    widths = [ref, component, max(16, free - ref - component), *fixed]
    return Listing(_block(LISTING_TITLES, widths)[0], tuple("\n".join(_block(row, widths)) for row in cells))


LISTING_TITLES = ("GL line", "Component · category", "Vendor · description", "Amount", "Share", "Qualified",
                  "Approved")
_FIGURES = (3, 4, 5, 6)  # fixed-width columns, sized to their longest entry
_RIGHT = (3, 4, 5)  # right-aligned: the amounts and the share


def _cells(g: GlLine, keys: dict[str, str], money: Callable[[Decimal], str]) -> tuple[str, ...]:
    approved = g.approved_at.astimezone(UTC).date().isoformat() if g.approved_at else "—"
    return (g.source_ref, f"{g.project or '—'} · {g.category}",
            f"{g.vendor} · {g.description}" if g.description else g.vendor, money(g.amount),
            f"{g.share.normalize():f}%", money(g.qualified), f"{keys.get(g.approved_by, '?')} {approved}")


def _block(cells: tuple[str, ...], widths: list[int]) -> list[str]:
    """One record as text lines: each cell wrapped within its column, the columns side by side."""
    wrapped = [textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]
               for text, width in zip(cells, widths, strict=True)]
    lines = []
    for index in range(max(len(column) for column in wrapped)):
        parts = [(column[index] if index < len(column) else "") for column in wrapped]
        padded = [part.rjust(width) if number in _RIGHT else part.ljust(width)
                  for number, (part, width) in enumerate(zip(parts, widths, strict=True))]
        lines.append(_GAP.join(padded).rstrip())
    return lines
