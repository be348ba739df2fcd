"""Writes Lexbridge's 2025 general ledger as the canonical GL CSV."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from webapp.demo.company import ORGANIZATION
from webapp.demo.gl_accounts import ACCOUNTS
from webapp.demo.gl_common import GlLine, format_cents
from webapp.demo.gl_spend import card_spend
from webapp.demo.gl_structured import (
    cloud_invoices,
    contractors,
    payroll,
    revenue,
    subscriptions,
)

GL_HEADER: tuple[str, ...] = (
    "company",
    "industry",
    "date",
    "account_number",
    "account_name",
    "account_type",
    "vendor",
    "description",
    "amount",
)


def ledger_lines(rng: random.Random) -> list[GlLine]:
    lines = (
        payroll(rng)
        + revenue(rng)
        + contractors(rng)
        + cloud_invoices(rng)
        + subscriptions(rng)
        + card_spend(rng)
    )
    order = sorted(range(len(lines)), key=lambda i: (lines[i].day, i))
    return [lines[i] for i in order]


def _row(line: GlLine) -> list[str]:
    account = ACCOUNTS[line.account]
    return [
        ORGANIZATION.legal_name,
        ORGANIZATION.industry,
        line.day.isoformat(),
        account.number,
        account.name,
        account.account_type,
        line.vendor,
        line.description,
        format_cents(line.cents),
    ]


def write_gl_csv(path: Path, rng: random.Random) -> int:
    """Write the ledger and return the number of data rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ledger_lines(rng)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(GL_HEADER)
        writer.writerows(_row(line) for line in lines)
    return len(lines)
