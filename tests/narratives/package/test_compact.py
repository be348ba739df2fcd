"""GL lines in the package: folded where they would repeat, one row each in the GL schedule and the CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from narratives.package.compact import LISTING_WIDTH, approver_keys, gl_csv_bytes, gl_listing, trail_rows
from narratives.package.methodology import GlLine, GlReview
from studies.credit.qres import QreItem


def _gl_item(ref: int, amount: str, component: str | None = "p01", reason: str | None = None) -> QreItem:
    label = f"expense e{ref} Cloud GPU hours (gl GL line {ref})"
    return QreItem("computer_rental", component, Decimal(amount), Decimal(amount),
                   f"100% qualified share of {amount}", (label,), excluded_reason=reason)


def test_gl_items_fold_per_category_and_component_while_other_records_stay_one_by_one() -> None:
    wages = QreItem("wages", "p01", Decimal("70000.00"), Decimal("70000.00"), "70% of W-2 wages 100000",
                    ("employee E1 Ada", "allocation A1 p01 direct_research 70%"), activity="direct_research")
    invoice = QreItem("supplies", "p01", Decimal("500.00"), Decimal("500.00"), "100% qualified share of 500",
                      ("expense e9 Lab parts (invoice INV-7)",))
    items = [wages, _gl_item(1, "10.00"), invoice, _gl_item(2, "5.50"), _gl_item(3, "1.00", component="p02")]
    rows = trail_rows(items)
    assert [(r.category, r.component, r.amount) for r in rows] == [
        ("wages", "p01", Decimal("70000.00")), ("supplies", "p01", Decimal("500.00")),
        ("computer_rental", "p01", Decimal("15.50")), ("computer_rental", "p02", Decimal("1.00"))]
    assert rows[0].records == "employee E1 Ada; allocation A1 p01 direct_research 70%"
    assert rows[2].records.startswith("2 general-ledger lines")
    assert rows[3].records.startswith("1 general-ledger line,")


def test_excluded_gl_items_fold_apart_from_counted_ones() -> None:
    rows = trail_rows([_gl_item(1, "3.00"), _gl_item(2, "4.00", reason="excluded: outside the US")])
    assert [(r.amount, r.excluded_reason) for r in rows] == [(Decimal("3.00"), None),
                                                            (Decimal("4.00"), "excluded: outside the US")]


def test_every_gl_line_goes_to_the_csv_with_its_approver() -> None:
    when = dt.datetime(2026, 2, 3, 4, 5, tzinfo=dt.UTC)
    lines = tuple(GlLine("p01", "computer rental", "Lambda Labs", f"batch {n}", Decimal("200.00"),
                         Decimal(50), Decimal("100.00"), f"GL line {n}", "Bea <bea@firm.test>", when)
                  for n in range(3))
    rows = list(csv.DictReader(io.StringIO(gl_csv_bytes(lines).decode())))
    assert [r["line"] for r in rows] == ["GL line 0", "GL line 1", "GL line 2"]
    assert rows[0]["qualified"] == "100.00" and rows[0]["qualified_share"] == "50"
    assert rows[0]["approved_at"] == when.isoformat() and rows[0]["approved_by"] == "Bea <bea@firm.test>"
    review = GlReview(lines, (("Ann <ann@firm.test>", 1), ("Bea <bea@firm.test>", 3)), ())
    assert approver_keys(review) == {"Ann <ann@firm.test>": "A1", "Bea <bea@firm.test>": "A2"}


def test_the_gl_listing_wraps_long_text_inside_its_column_and_keeps_every_character() -> None:
    long = "GPU hours for the retrieval ablation sweep, second batch, " * 3
    when = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
    lines = (GlLine("p01", "computer rental", "Lambda Labs", long, Decimal("12345.60"), Decimal(50),
                    Decimal("6172.80"), "GL line 42", "Bea <bea@firm.test>", when),
             GlLine("", "supplies", "Acme", "", Decimal("5.00"), Decimal(100), Decimal("5.00"), "GL line 7",
                    "Bea <bea@firm.test>", None))
    listing = gl_listing(lines, {"Bea <bea@firm.test>": "A1"}, lambda value: f"${value:,}")
    first, second = (row.splitlines() for row in listing.rows)
    assert len(first) > 1 and len(second) == 1
    assert all(len(text) <= LISTING_WIDTH for text in [listing.header, *first, *second])
    amount_end = listing.header.index("Amount") + len("Amount")
    assert first[0][:amount_end].endswith("$12,345.60") and second[0][:amount_end].endswith("$5.00")
    assert "A1 2026-01-02" in first[0] and second[0].endswith("A1 —") and "— · supplies" in second[0]
    start = listing.header.index("Vendor · description")
    column = " ".join(text[start:].strip().split("  ")[0] for text in first)
    assert column == f"Lambda Labs · {long.strip()}"  # wrapped at spaces, every word kept
