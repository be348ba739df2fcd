"""What reviewers see: a study's imports, accounts by score, an account's lines by score, disagreements.

Scores of accounts flagged for blind review are never handed to a page: their rows carry no score, their
lines are listed in ledger order, and they stay out of the disagreement queue.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, joinedload

from scoring.models import GLAccount, GLExpense, GLImport, ScoringModel

DEFAULT_THRESHOLD = 0.5
LINES_PER_PAGE = 200
EPSILON = 1e-6


@dataclass(frozen=True)
class Thresholds:
    expense: float = DEFAULT_THRESHOLD
    account: float = DEFAULT_THRESHOLD
    version: int | None = None  # the model version the thresholds belong to
    active_version: int | None = None  # the version that scores new imports, when it is another one

    @property
    def outdated(self) -> bool:
        """Whether a newer (or other) pair is active than the one that scored the import."""
        return self.active_version is not None and self.active_version != self.version


def thresholds(session: Session, gl_import: GLImport | None = None) -> Thresholds:
    """The thresholds of the pair that scored ``gl_import`` (its scores were cut with them), else of the
    active pair; 0.5 for a kind with no model. An import scored by another pair than the active one says
    which is active, so the page can offer to score it again."""
    active = _threshold_rows(session, ScoringModel.active.is_(True))
    active_version = active["expense"].version if "expense" in active else None
    model_id = gl_import.scoring_model_id if gl_import is not None else None
    scored_by = session.get(ScoringModel, model_id) if model_id is not None else None
    if scored_by is None:
        return _from_rows(active, active_version, None)
    used = _threshold_rows(session, ScoringModel.version == scored_by.version)
    return _from_rows(used, scored_by.version, active_version)


def _threshold_rows(session: Session, condition: object) -> dict[str, ScoringModel]:
    rows = session.scalars(select(ScoringModel).where(condition).order_by(ScoringModel.version.desc()))
    found: dict[str, ScoringModel] = {}
    for row in rows:
        found.setdefault(row.kind, row)
    return found


def _from_rows(rows: dict[str, ScoringModel], version: int | None, active_version: int | None) -> Thresholds:
    cut = {kind: float(row.card.get("threshold", row.threshold)) for kind, row in rows.items()}
    return Thresholds(cut.get("expense", DEFAULT_THRESHOLD), cut.get("account", DEFAULT_THRESHOLD), version,
                      active_version)


@dataclass(frozen=True)
class ImportSummary:
    gl_import: GLImport
    accounts: int
    lines: int
    decided: int
    qualified: int
    scored: bool


def study_imports(session: Session, study_id: int) -> list[ImportSummary]:
    counts: dict[int, int] = {import_id: count for import_id, count in session.execute(
        select(GLAccount.import_id, func.count()).where(GLAccount.study_id == study_id)
        .group_by(GLAccount.import_id))}
    lines = {row[0]: row[1:] for row in session.execute(select(
        GLExpense.import_id, func.count(), func.count(GLExpense.qualified),
        func.sum(case((GLExpense.qualified.is_(True), 1), else_=0)), func.count(GLExpense.score),
    ).where(GLExpense.study_id == study_id).group_by(GLExpense.import_id))}
    imports = session.scalars(select(GLImport).where(GLImport.study_id == study_id)
                              .order_by(GLImport.imported_at.desc(), GLImport.id.desc()))
    return [ImportSummary(item, counts.get(item.id, 0), *_line_counts(lines.get(item.id)))
            for item in imports]


def _line_counts(row: tuple[int, ...] | None) -> tuple[int, int, int, bool]:
    if row is None:
        return 0, 0, 0, False
    total, decided, qualified, scored = row
    return int(total), int(decided), int(qualified or 0), bool(scored)


def find_import(session: Session, study_id: int, import_id: int) -> GLImport | None:
    gl_import = session.get(GLImport, import_id)
    return gl_import if gl_import is not None and gl_import.study_id == study_id else None


def find_account(session: Session, gl_import: GLImport, account_id: int) -> GLAccount | None:
    account = session.get(GLAccount, account_id)
    return account if account is not None and account.import_id == gl_import.id else None


@dataclass(frozen=True)
class AccountRow:
    account: GLAccount
    score: float | None
    above: bool | None
    lines: int
    expenses: int
    decided: int
    qualified: int
    qualified_amount: Decimal

    @property
    def blind(self) -> bool:
        return self.account.blind_review


def account_rows(session: Session, gl_import: GLImport, cut: Thresholds) -> list[AccountRow]:
    """Scored accounts by score, highest first; then unscored ones; then the blind ones, by number."""
    stats = {row[0]: row[1:] for row in session.execute(select(
        GLExpense.account_id, func.count(), func.sum(case((GLExpense.amount > 0, 1), else_=0)),
        func.count(GLExpense.qualified), func.sum(case((GLExpense.qualified.is_(True), 1), else_=0)),
    ).where(GLExpense.import_id == gl_import.id).group_by(GLExpense.account_id))}
    amounts = _qualified_amounts(session, gl_import)
    rows = []
    for account in session.scalars(select(GLAccount).where(GLAccount.import_id == gl_import.id)):
        total, expenses, decided, qualified = stats.get(account.id, (0, 0, 0, 0))
        score = None if account.blind_review else account.score
        rows.append(AccountRow(account, score, None if score is None else score >= cut.account, int(total),
                               int(expenses or 0), int(decided), int(qualified or 0),
                               amounts.get(account.id, Decimal("0"))))
    return sorted(rows, key=_account_order)


def _account_order(row: AccountRow) -> tuple[int, float, str, str]:
    group = 2 if row.blind else (0 if row.score is not None else 1)
    return group, -(row.score or 0.0), row.account.number, row.account.name


def _qualified_amounts(session: Session, gl_import: GLImport) -> dict[int, Decimal]:
    query = select(GLExpense).where(GLExpense.import_id == gl_import.id, GLExpense.qualified.is_(True))
    amounts: dict[int, Decimal] = {}
    for line in session.scalars(query):
        amounts[line.account_id] = amounts.get(line.account_id, Decimal("0")) + line.qualified_amount
    return amounts


@dataclass(frozen=True)
class LineRow:
    line: GLExpense
    score: float | None
    above: bool | None


@dataclass(frozen=True)
class LinePage:
    rows: list[LineRow]
    page: int
    pages: int
    total: int


def account_lines(session: Session, account: GLAccount, cut: Thresholds, page: int = 1,
                  per_page: int = LINES_PER_PAGE) -> LinePage:
    """The account's lines, highest expense score first (ledger order for a blind account)."""
    total = session.scalar(select(func.count()).where(GLExpense.account_id == account.id)) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    order = ((GLExpense.row_number,) if account.blind_review else
             (GLExpense.score.is_(None), GLExpense.score.desc(), GLExpense.row_number))
    query = (select(GLExpense).where(GLExpense.account_id == account.id).order_by(*order)
             .offset((page - 1) * per_page).limit(per_page))
    rows = [_line_row(line, account.blind_review, cut) for line in session.scalars(query)]
    return LinePage(rows, page, pages, total)


def _line_row(line: GLExpense, blind: bool, cut: Thresholds) -> LineRow:
    score = None if blind else line.score
    return LineRow(line, score, None if score is None else score >= cut.expense)


@dataclass(frozen=True)
class Disagreement:
    line: GLExpense
    score: float
    label: bool
    log_loss: float
    above: bool


def log_loss(score: float, label: bool) -> float:
    p = min(max(score, EPSILON), 1 - EPSILON)
    return -math.log(p if label else 1 - p)


def disagreements(session: Session, gl_import: GLImport, cut: Thresholds,
                  limit: int = 100) -> list[Disagreement]:
    """Decided, scored lines (outside blind accounts) where model and label disagree most."""
    query = (select(GLExpense).join(GLAccount, GLExpense.account_id == GLAccount.id)
             .where(GLExpense.import_id == gl_import.id, GLExpense.qualified.is_not(None),
                    GLExpense.score.is_not(None), GLAccount.blind_review.is_(False))
             .options(joinedload(GLExpense.account)))
    found = [Disagreement(line, float(line.score), bool(line.qualified),
                          log_loss(float(line.score), bool(line.qualified)), float(line.score) >= cut.expense)
             for line in session.scalars(query) if line.score is not None and line.qualified is not None]
    found.sort(key=lambda item: (-item.log_loss, item.line.row_number))
    return found[:limit]
