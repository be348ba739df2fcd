"""Reviewers' decisions on GL lines: qualified or not, QRE category, qualified share, project.

Every decision records who made it and when (and the audit trail records the change); a qualified line
becomes a qualified expense the credit engine reads (:mod:`scoring.qualified`). A decision is checked
whole before anything changes, and a bulk decision applies to every line or to none.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import utcnow
from scoring.models import GLExpense
from scoring.qualified import sync_qualified_expenses
from studies.models import BusinessComponent, ExpenseCategory

MAX_BULK_LINES = 5_000
CATEGORY_LABELS = {
    ExpenseCategory.SUPPLIES: "supplies",
    ExpenseCategory.COMPUTER_RENTAL: "computer rental",
    ExpenseCategory.CONTRACT_RESEARCH: "contract research",
}


class Decision(enum.StrEnum):
    QUALIFIED = "qualified"
    NOT_QUALIFIED = "not_qualified"
    UNDECIDED = "undecided"


@dataclass(frozen=True)
class DecisionInput:
    """A decision as a form or a script gives it (text); :func:`validate_decision` checks it."""

    decision: str
    category: str = ""
    share: str = ""
    project_id: str | int | None = None
    country: str = ""  # where the research was done; blank: US


@dataclass(frozen=True)
class ValidDecision:
    decision: Decision
    category: ExpenseCategory | None = None
    share: Decimal | None = None
    project_id: int | None = None
    country: str | None = None


class DecisionError(ValueError):
    """A decision that cannot be applied; ``errors`` maps each field at fault to what is wrong."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{field}: {reason}" for field, reason in errors.items()))


def validate_decision(session: Session, study_id: int, given: DecisionInput) -> ValidDecision:
    errors: dict[str, str] = {}
    decision = _decision(given.decision, errors)
    if decision is not Decision.QUALIFIED:
        if errors:
            raise DecisionError(errors)
        return ValidDecision(decision or Decision.UNDECIDED)
    category = _category(given.category, errors)
    share = _share(given.share, errors)
    project_id = _project(session, study_id, given.project_id, errors)
    country = _country(given.country, errors)
    if errors:
        raise DecisionError(errors)
    return ValidDecision(decision, category, share, project_id, country)


def decide_lines(session: Session, study_id: int, line_ids: Sequence[int], given: DecisionInput, *,
                 user_id: int) -> list[GLExpense]:
    """Apply one decision to every line named (all of this study), or raise DecisionError and change none."""
    decision = validate_decision(session, study_id, given)
    lines = _lines(session, study_id, line_ids)
    if decision.decision is Decision.QUALIFIED:
        _refuse_non_expenses(lines)
    decided_at = utcnow()
    for line in lines:
        _apply(line, decision, user_id, decided_at)
    session.flush()
    sync_qualified_expenses(session, lines)
    return lines


def decide_line(session: Session, study_id: int, line_id: int, given: DecisionInput, *,
                user_id: int) -> GLExpense:
    return decide_lines(session, study_id, [line_id], given, user_id=user_id)[0]


def _apply(line: GLExpense, decision: ValidDecision, user_id: int, decided_at: dt.datetime) -> None:
    qualified = decision.decision is Decision.QUALIFIED
    line.qualified = None if decision.decision is Decision.UNDECIDED else qualified
    line.category = decision.category if qualified else None
    line.qualified_share = decision.share if qualified else None
    line.project_id = decision.project_id if qualified else None
    line.country = decision.country if qualified else None
    undecided = decision.decision is Decision.UNDECIDED
    line.decided_by_id = None if undecided else user_id
    line.decided_at = None if undecided else decided_at


def _lines(session: Session, study_id: int, line_ids: Sequence[int]) -> list[GLExpense]:
    wanted = list(dict.fromkeys(int(line_id) for line_id in line_ids))
    if not wanted:
        raise DecisionError({"lines": "choose at least one line"})
    if len(wanted) > MAX_BULK_LINES:
        raise DecisionError({"lines": f"at most {MAX_BULK_LINES:,} lines at a time (got {len(wanted):,})"})
    found: dict[int, GLExpense] = {}
    for start in range(0, len(wanted), 500):
        query = select(GLExpense).where(GLExpense.study_id == study_id,
                                        GLExpense.id.in_(wanted[start:start + 500]))
        found.update({line.id: line for line in session.scalars(query)})
    missing = [line_id for line_id in wanted if line_id not in found]
    if missing:
        shown = ", ".join(str(line_id) for line_id in missing[:10])
        raise DecisionError({"lines": f"not lines of this study: {shown}"})
    return [found[line_id] for line_id in wanted]


def _refuse_non_expenses(lines: Sequence[GLExpense]) -> None:
    bad = [line for line in lines if line.amount <= 0]
    if bad:
        shown = ", ".join(f"row {line.row_number} ({line.amount:,.2f})" for line in bad[:10])
        raise DecisionError({"lines": f"only expenses (positive amounts) can be qualified: {shown}"})


def _decision(value: str, errors: dict[str, str]) -> Decision | None:
    try:
        return Decision((value or "").strip())
    except ValueError:
        errors["decision"] = "choose qualified, not qualified or undecided"
        return None


def _category(value: str, errors: dict[str, str]) -> ExpenseCategory | None:
    text = (value or "").strip()
    if not text:
        errors["category"] = "choose the QRE category (supplies, computer rental or contract research)"
        return None
    try:
        return ExpenseCategory(text)
    except ValueError:
        errors["category"] = f"{text!r} is not a QRE category (supplies, computer rental, contract research)"
        return None


def _share(value: str, errors: dict[str, str]) -> Decimal | None:
    text = (value or "").strip().removesuffix("%").strip()
    if not text:
        return Decimal("100")
    try:
        share = Decimal(text)
    except InvalidOperation:
        errors["share"] = f"{value!r} is not a percentage"
        return None
    if not share.is_finite() or share <= 0 or share > 100:
        errors["share"] = "the qualified share must be above 0 and at most 100 percent"
        return None
    if share != share.quantize(Decimal("0.01")):
        errors["share"] = "the qualified share takes at most two decimals"
        return None
    return share.quantize(Decimal("0.01"))


def _country(value: str, errors: dict[str, str]) -> str | None:
    text = (value or "").strip().upper() or "US"
    if len(text) != 2 or not text.isalpha():
        errors["country"] = f"{value!r} is not a two-letter country code (US, CA, IN, ...)"
        return None
    return text


def _project(session: Session, study_id: int, value: str | int | None, errors: dict[str, str]) -> int | None:
    text = str(value).strip() if value is not None else ""
    if not text:
        return None
    if not text.isdigit():
        errors["project"] = f"{text!r} is not a project"
        return None
    project = session.get(BusinessComponent, int(text))
    if project is None or project.study_id != study_id:
        errors["project"] = "not a project of this study"
        return None
    return project.id
