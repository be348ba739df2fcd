"""Approved GL lines as the study's qualified expenses: the one place a GL decision reaches the credit.

A line marked qualified has exactly one :class:`QualifiedExpense` with ``source_kind`` ``"gl"`` and
``source_ref`` the line's id, carrying its category, share, project, and who approved it and when. A line
un-qualified (or cleared) has none. The credit engine in ``studies`` reads only that table.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.models import GLExpense
from studies.models import QualifiedExpense

SOURCE_KIND = "gl"


def sync_qualified_expenses(session: Session, lines: Sequence[GLExpense]) -> None:
    """Create, update or remove the qualified expense of each line to match its decision."""
    existing = _existing(session, lines)
    for line in lines:
        expense = existing.get(str(line.id))
        if line.qualified:
            _write(session, line, expense)
        elif expense is not None:
            session.delete(expense)
    session.flush()


def expense_of_line(session: Session, line: GLExpense) -> QualifiedExpense | None:
    return _existing(session, [line]).get(str(line.id))


def _existing(session: Session, lines: Sequence[GLExpense]) -> dict[str, QualifiedExpense]:
    found: dict[str, QualifiedExpense] = {}
    refs = [str(line.id) for line in lines]
    study_ids = {line.study_id for line in lines}
    for start in range(0, len(refs), 500):
        query = select(QualifiedExpense).where(
            QualifiedExpense.study_id.in_(study_ids), QualifiedExpense.source_kind == SOURCE_KIND,
            QualifiedExpense.source_ref.in_(refs[start:start + 500]))
        found.update({expense.source_ref: expense for expense in session.scalars(query)})
    return found


def _write(session: Session, line: GLExpense, expense: QualifiedExpense | None) -> None:
    if line.category is None or line.qualified_share is None:
        raise ValueError(f"GL line {line.id} is qualified without a category and share")
    values = {"category": line.category, "project_id": line.project_id, "vendor": line.vendor[:200],
              "description": _description(line), "amount": line.amount,
              "qualified_share": line.qualified_share, "country": line.country or "US",
              "approved_by_id": line.decided_by_id, "approved_at": line.decided_at}
    if expense is None:
        session.add(QualifiedExpense(study_id=line.study_id, source_kind=SOURCE_KIND, source_ref=str(line.id),
                                     **values))
        return
    for name, value in values.items():
        setattr(expense, name, value)


def _description(line: GLExpense) -> str:
    account = f"{line.account.number} {line.account.name}".strip()
    where = f"GL row {line.row_number}, account {account}"
    return f"{line.description} ({where})" if line.description else where
