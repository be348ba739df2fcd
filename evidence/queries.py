"""Read-side questions about a study's evidence: the artifact list, one artifact, its revisions.

What each kind extracted (commits, decisions, runs, ablation tables) is read by
:mod:`evidence.fact_queries`; this module only knows artifacts and revisions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from math import ceil
from typing import Any

from sqlalchemy import Select, Subquery, func, or_, select
from sqlalchemy.orm import Session, aliased

from core.users import User
from evidence.models import Artifact, ArtifactKind, ArtifactRevision

PER_PAGE = 50


@dataclass(frozen=True)
class ArtifactFilters:
    """What the list is narrowed to; empty values do not narrow it."""

    kind: ArtifactKind | None = None
    source: str | None = None
    text: str = ""
    content_from: dt.date | None = None
    content_to: dt.date | None = None
    include_removed: bool = False
    page: int = 1


@dataclass(frozen=True)
class ArtifactRow:
    """An artifact with its latest revision, who brought that revision, and how many there are."""

    artifact: Artifact
    latest: ArtifactRevision
    uploaded_by: str | None
    revision_count: int


@dataclass(frozen=True)
class ArtifactPage:
    rows: list[ArtifactRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))


@dataclass(frozen=True)
class RevisionRow:
    revision: ArtifactRevision
    uploaded_by: str | None


def _latest_numbers(study_id: int) -> Subquery:
    """Per artifact of the study: its latest revision number and how many revisions it has."""
    return (select(ArtifactRevision.artifact_id, func.max(ArtifactRevision.number).label("number"),
                   func.count(ArtifactRevision.id).label("count"))
            .where(ArtifactRevision.study_id == study_id)
            .group_by(ArtifactRevision.artifact_id).subquery())


def _filtered(query: Select, filters: ArtifactFilters, latest: type[ArtifactRevision]) -> Select:
    if filters.kind is not None:
        query = query.where(Artifact.kind == filters.kind)
    if filters.source:
        query = query.where(Artifact.source == filters.source)
    if filters.text.strip():
        pattern = f"%{_escape_like(filters.text.strip())}%"
        query = query.where(or_(Artifact.path.ilike(pattern, escape="\\"),
                                Artifact.title.ilike(pattern, escape="\\")))
    if filters.content_from is not None:
        query = query.where(func.coalesce(latest.content_end, latest.content_start) >= filters.content_from)
    if filters.content_to is not None:
        query = query.where(func.coalesce(latest.content_start, latest.content_end) <= filters.content_to)
    if not filters.include_removed:
        query = query.where(Artifact.removed_at.is_(None))
    return query


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_artifacts(session: Session, study_id: int, filters: ArtifactFilters,
                   per_page: int = PER_PAGE) -> ArtifactPage:
    """The study's artifacts matching ``filters``, newest upload first, one page of them."""
    numbers = _latest_numbers(study_id)
    latest = aliased(ArtifactRevision)
    uploader = aliased(User)
    base = (select(Artifact, latest, uploader.name, numbers.c.count)
            .join(numbers, numbers.c.artifact_id == Artifact.id)
            .join(latest, (latest.artifact_id == Artifact.id) & (latest.number == numbers.c.number))
            .outerjoin(uploader, uploader.id == latest.uploaded_by_id)
            .where(Artifact.study_id == study_id))
    base = _filtered(base, filters, latest)
    total = session.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    page = max(1, min(filters.page, max(1, ceil(total / per_page))))
    query = (base.order_by(latest.uploaded_at.desc(), Artifact.id.desc())
             .limit(per_page).offset((page - 1) * per_page))
    rows = [ArtifactRow(artifact, revision, name, count)
            for artifact, revision, name, count in session.execute(query)]
    return ArtifactPage(rows, total, page, per_page)


def artifact_sources(session: Session, study_id: int) -> list[str]:
    """Every source the study's artifacts came from, for the list's filter."""
    query = select(Artifact.source).distinct().where(Artifact.study_id == study_id).order_by(Artifact.source)
    return list(session.scalars(query))


def find_artifact(session: Session, study_id: int, artifact_id: int) -> Artifact | None:
    """The artifact, if it belongs to the study (removed ones included)."""
    artifact = session.get(Artifact, artifact_id)
    return artifact if artifact is not None and artifact.study_id == study_id else None


def revision_history(session: Session, artifact_id: int) -> list[RevisionRow]:
    """Every revision of the artifact, newest first, with who uploaded it."""
    query = (select(ArtifactRevision, User.name)
             .outerjoin(User, User.id == ArtifactRevision.uploaded_by_id)
             .where(ArtifactRevision.artifact_id == artifact_id)
             .order_by(ArtifactRevision.number.desc()))
    return [RevisionRow(revision, name) for revision, name in session.execute(query)]


def find_revision(session: Session, artifact: Artifact, number: int) -> ArtifactRevision | None:
    query = select(ArtifactRevision).where(ArtifactRevision.artifact_id == artifact.id,
                                           ArtifactRevision.number == number)
    return session.scalars(query).first()


@dataclass(frozen=True)
class ArtifactDetail:
    """An artifact, its latest revision (whose facts the page shows) and every revision."""

    artifact: Artifact
    latest: ArtifactRevision
    revisions: list[RevisionRow]
    removed_by: str | None


def artifact_detail(session: Session, artifact: Artifact) -> ArtifactDetail | None:
    revisions = revision_history(session, artifact.id)
    if not revisions:
        return None
    remover = session.get(User, artifact.removed_by_id) if artifact.removed_by_id else None
    return ArtifactDetail(artifact, revisions[0].revision, revisions, remover.name if remover else None)


COUNT_NAMES = (("commits", "commit"), ("branches", "branch"), ("tags", "tag"), ("decisions", "decision"),
               ("options", "option"), ("runs", "run"), ("tables", "table"), ("variants", "variant"),
               ("metrics", "metric"))


def describe_counts(summary: dict[str, Any] | None) -> str:
    """What a revision's summary says was extracted, as "412 commits · 3 branches"."""
    summary = summary or {}
    counts = dict(summary.get("counts") or {})
    for key in ("commits", "branches", "tags"):  # git keeps its counts at the top of the summary
        if isinstance(summary.get(key), int):
            counts.setdefault(key, summary[key])
    parts = [_count_text(key, singular, counts) for key, singular in COUNT_NAMES
             if isinstance(counts.get(key), int) and counts[key]]
    return " · ".join(parts)


def _count_text(key: str, singular: str, counts: dict[str, Any]) -> str:
    value = counts[key]
    text = f"{value:,} {singular if value == 1 else key}"
    if key == "runs":
        by_status = counts.get("runs_by_status") or {}
        ended_badly = [f"{by_status[s]} {s}" for s in ("failed", "killed") if by_status.get(s)]
        text += f" ({', '.join(ended_badly)})" if ended_badly else ""
    return text
