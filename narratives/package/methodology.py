"""The methodology section's facts: evidence sources, interviews, and how the GL was reviewed."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evidence.models import Artifact
from narratives.models import Interview
from narratives.package.exhibits import user_labels
from scoring.models import ScoringModel
from studies.models import BusinessComponent, QualifiedExpense

MODEL_CARDS = Path(__file__).resolve().parents[2] / "scoring" / "data" / "models"
GL_SOURCE = "gl"


@dataclass(frozen=True)
class SourceCount:
    kind: str
    source: str
    count: int


@dataclass(frozen=True)
class InterviewRow:
    project: str
    held_on: dt.date
    interviewee: str
    role: str
    interviewer: str


@dataclass(frozen=True)
class GlLine:
    project: str
    category: str
    vendor: str
    description: str
    amount: Decimal
    share: Decimal
    qualified: Decimal
    source_ref: str
    approved_by: str
    approved_at: dt.datetime | None


@dataclass(frozen=True)
class ModelCard:
    name: str
    threshold: str
    facts: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class GlReview:
    lines: tuple[GlLine, ...]
    approvers: tuple[tuple[str, int], ...]  # who approved how many lines
    cards: tuple[ModelCard, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.qualified for line in self.lines), Decimal(0))


def evidence_sources(session: Session, study_id: int) -> tuple[SourceCount, ...]:
    rows = session.execute(select(Artifact.kind, Artifact.source).where(
        Artifact.study_id == study_id, Artifact.removed_at.is_(None)))
    counts = Counter((kind.value, source) for kind, source in rows)
    return tuple(SourceCount(kind, source, n) for (kind, source), n in sorted(counts.items()))


def interview_rows(session: Session, study_id: int) -> tuple[InterviewRow, ...]:
    rows = session.execute(select(Interview, BusinessComponent.code).join(
        BusinessComponent, BusinessComponent.id == Interview.project_id)
        .where(Interview.study_id == study_id).order_by(Interview.held_on, Interview.id))
    interviews = [(interview, code) for interview, code in rows]
    names = user_labels(session, {i.interviewer_id for i, _ in interviews if i.interviewer_id})
    return tuple(InterviewRow(code, i.held_on, i.interviewee_name, i.interviewee_role,
                              names.get(i.interviewer_id or 0, "not recorded")) for i, code in interviews)


def gl_review(session: Session, study_id: int) -> GlReview:
    """Approved qualified expenses that came from GL lines, who approved them, and the model cards."""
    rows = session.execute(select(QualifiedExpense, BusinessComponent.code).outerjoin(
        BusinessComponent, BusinessComponent.id == QualifiedExpense.project_id)
        .where(QualifiedExpense.study_id == study_id, QualifiedExpense.source_kind == GL_SOURCE,
               QualifiedExpense.approved_by_id.is_not(None)).order_by(QualifiedExpense.id))
    found = [(expense, code) for expense, code in rows]
    names = user_labels(session, {e.approved_by_id for e, _ in found if e.approved_by_id})
    lines = tuple(_gl_line(e, code, names) for e, code in found)
    approvers = Counter(line.approved_by for line in lines)
    return GlReview(lines, tuple(sorted(approvers.items())), model_cards(session))


def _gl_line(expense: QualifiedExpense, code: str | None, names: dict[int, str]) -> GlLine:
    qualified = (expense.amount * expense.qualified_share / 100).quantize(Decimal("0.01"))
    return GlLine(code or "", expense.category.value.replace("_", " "), expense.vendor, expense.description,
                  expense.amount, expense.qualified_share, qualified, expense.source_ref,
                  names.get(expense.approved_by_id or 0, ""), expense.approved_at)


def model_cards(session: Session, folder: Path = MODEL_CARDS) -> tuple[ModelCard, ...]:
    """The active scoring models' cards; else the cards shipped under scoring/data/models; else none."""
    active = session.scalars(select(ScoringModel).where(ScoringModel.active.is_(True))
                             .order_by(ScoringModel.kind, ScoringModel.version))
    cards = [ModelCard(f"{m.kind} model v{m.version}", f"{m.threshold:g}", _facts(m.card)) for m in active]
    if cards or not folder.is_dir():
        return tuple(cards)
    for path in sorted(folder.glob("*card*.json")):
        try:
            card = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(card, dict):
            cards.append(ModelCard(path.stem, str(card.get("threshold", "not stated")), _facts(card)))
    return tuple(cards)


def _facts(card: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple((str(key), _short(value)) for key, value in sorted(card.items()))


def _short(value: object, limit: int = 600) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= limit else text[:limit] + "…"
