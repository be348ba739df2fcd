"""Qualified expenses entered by hand (an invoice, a contract, a cloud bill), beside approved GL lines.

The person who enters one approves it. GL lines reach the same table through the GL review
(``scoring.qualified``); those are changed there, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import utcnow
from studies.models import BusinessComponent, ExpenseCategory, QualifiedExpense, Study
from studies.project_checks import Checks, InvalidInput

MANUAL = "manual"


@dataclass(frozen=True)
class ExpenseEntry:
    """A qualified expense as a form gives it (text)."""

    category: str
    vendor: str
    description: str
    amount: str
    qualified_share: str = "100"
    country: str = "US"
    project_id: str | int | None = None
    reference: str = ""


def study_expenses(session: Session, study: Study) -> list[QualifiedExpense]:
    query = (
        select(QualifiedExpense)
        .where(QualifiedExpense.study_id == study.id)
        .order_by(QualifiedExpense.id)
    )
    return list(session.scalars(query))


def add_expense(
    session: Session, study: Study, entry: ExpenseEntry, *, user_id: int | None
) -> QualifiedExpense:
    checks = Checks()
    category = checks.choice("category", entry.category, ExpenseCategory, "The category")
    vendor = checks.text("vendor", entry.vendor, "The vendor", required=True, limit=200)
    description = checks.text("description", entry.description, "The description")
    reference = checks.text("reference", entry.reference, "The reference", required=True, limit=120)
    amount = checks.number("amount", entry.amount, "The amount")
    share = checks.number("qualified_share", entry.qualified_share or "100", "The qualified share",
                          limit=Decimal(100))
    country = _country(checks, entry.country)
    project_id = _project(session, study, entry.project_id, checks)
    checks.done()
    assert category is not None and amount is not None and share is not None
    expense = QualifiedExpense(
        study_id=study.id, project_id=project_id, category=category, vendor=vendor,
        description=description, amount=amount, qualified_share=share, country=country,
        source_kind=MANUAL, source_ref=reference, approved_by_id=user_id, approved_at=utcnow())
    session.add(expense)
    session.flush()
    return expense


def delete_expense(session: Session, study: Study, expense_id: int) -> None:
    expense = session.get(QualifiedExpense, expense_id)
    if expense is None or expense.study_id != study.id:
        raise InvalidInput({"expense": "Not an expense of this study."})
    if expense.source_kind != MANUAL:
        raise InvalidInput({"expense": "An approved GL line is changed in the GL review, not here."})
    session.delete(expense)
    session.flush()


def _country(checks: Checks, text: str) -> str:
    country = (text or "").strip().upper() or "US"
    if len(country) != 2 or not country.isalpha():
        checks.fail("country", f"{text!r} is not a two-letter country code (US, CA, IN, ...).")
    return country


def _project(session: Session, study: Study, value: str | int | None, checks: Checks) -> int | None:
    text = str(value).strip() if value is not None else ""
    if not text:
        return None
    project = session.get(BusinessComponent, int(text)) if text.isdigit() else None
    if project is None or project.study_id != study.id:
        checks.fail("project", "Not a project of this study.")
        return None
    return project.id
