"""Reading links back for pages and the package: grouped by target, per artifact, per project."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session, selectinload

from core.users import User
from evidence.linking.describe import describe_parts
from evidence.linking.targets import Target, TargetType, listed_targets
from evidence.models import Artifact, EvidenceLink, LinkStatus

MAX_LISTED = 1000
_STATUS_ORDER = case({LinkStatus.SUGGESTED: 0, LinkStatus.ACCEPTED: 1}, value=EvidenceLink.status, else_=2)
_TYPE_ORDER = list(TargetType)


@dataclass(frozen=True)
class LinkRow:
    link: EvidenceLink
    part: str  # the evidence part in words
    target: Target | None  # None: the target was deleted since
    decided_by: str | None = None  # the name of who accepted or rejected it


@dataclass(frozen=True)
class TargetGroup:
    target: Target | None
    rows: list[LinkRow]


@dataclass(frozen=True)
class LinkFilter:
    status: LinkStatus | None = None
    target_type: TargetType | None = None
    project_id: int | None = None


def link_groups(session: Session, study_id: int, wanted: LinkFilter) -> tuple[list[TargetGroup], bool]:
    """The study's links that pass the filter, grouped by target in project order; and whether
    the list was cut at :data:`MAX_LISTED`."""
    targets = {target.key: target for target in listed_targets(session, study_id)}
    query = _links(study_id)
    if wanted.status is not None:
        query = query.where(EvidenceLink.status == wanted.status)
    if wanted.target_type is not None:
        query = query.where(EvidenceLink.target_type == wanted.target_type.value)
    links = list(session.scalars(query.limit(MAX_LISTED + 1)))
    if wanted.project_id is not None:
        links = [link for link in links if _project_of(link, targets) == wanted.project_id]
    rows = _rows(session, links[:MAX_LISTED], targets)
    order = sorted(targets.values(), key=lambda t: (t.project_code, _TYPE_ORDER.index(t.type), t.id))
    return _grouped(rows, [target.key for target in order]), len(links) > MAX_LISTED


def artifact_link_rows(session: Session, study_id: int, artifact_id: int) -> list[LinkRow]:
    """Every link of one artifact, open suggestions first."""
    targets = {target.key: target for target in listed_targets(session, study_id)}
    links = list(session.scalars(_links(study_id).where(EvidenceLink.artifact_id == artifact_id)))
    return _rows(session, links, targets)


@dataclass(frozen=True)
class ProjectLinks:
    accepted: list[LinkRow]
    pending: int


def project_links(session: Session, study_id: int, project_id: int) -> ProjectLinks:
    """A project's accepted links (its own, its uncertainties' and experiments') and how many wait."""
    targets = {key: target for key, target in
               ((t.key, t) for t in listed_targets(session, study_id)) if target.project_id == project_id}
    links = [link for link in session.scalars(_links(study_id).where(
        EvidenceLink.status != LinkStatus.REJECTED, EvidenceLink.target_type.in_([t for t, _ in targets])))
        if (link.target_type, link.target_id) in targets]
    accepted = [link for link in links if link.status is LinkStatus.ACCEPTED]
    return ProjectLinks(_rows(session, accepted, targets), len(links) - len(accepted))


def status_counts(session: Session, study_id: int) -> dict[str, int]:
    query = (select(EvidenceLink.status, func.count()).where(EvidenceLink.study_id == study_id)
             .group_by(EvidenceLink.status))
    counts = {status.value: 0 for status in LinkStatus}
    counts.update((status.value, count) for status, count in session.execute(query).all())
    return counts


def _links(study_id: int) -> Select[EvidenceLink]:
    return (select(EvidenceLink).where(EvidenceLink.study_id == study_id)
            .options(selectinload(EvidenceLink.artifact))
            .order_by(_STATUS_ORDER, EvidenceLink.score.desc(), EvidenceLink.id))


def _rows(session: Session, links: Sequence[EvidenceLink],
          targets: dict[tuple[str, int], Target]) -> list[LinkRow]:
    words = describe_parts(session, links)
    deciders = {link.decided_by_id for link in links if link.decided_by_id is not None}
    names: dict[int, str] = {user_id: name for user_id, name in
                             session.execute(select(User.id, User.name).where(User.id.in_(deciders)))}
    return [LinkRow(link, words[link.id], targets.get((link.target_type, link.target_id)),
                    names.get(link.decided_by_id) if link.decided_by_id is not None else None)
            for link in links]


def linkable_artifacts(session: Session, study_id: int) -> list[Artifact]:
    """The study's artifacts that may be linked (not removed), by kind and title."""
    query = (select(Artifact).where(Artifact.study_id == study_id, Artifact.removed_at.is_(None))
             .order_by(Artifact.kind, Artifact.title, Artifact.id))
    return list(session.scalars(query))


def _project_of(link: EvidenceLink, targets: dict[tuple[str, int], Target]) -> int | None:
    target = targets.get((link.target_type, link.target_id))
    return target.project_id if target else None


def _grouped(rows: Sequence[LinkRow], order: Sequence[tuple[str, int]]) -> list[TargetGroup]:
    position = {key: index for index, key in enumerate(order)}
    groups: dict[tuple[str, int], list[LinkRow]] = {}
    for row in rows:
        groups.setdefault((row.link.target_type, row.link.target_id), []).append(row)
    keys = sorted(groups, key=lambda key: (position.get(key, len(position)), key))
    return [TargetGroup(groups[key][0].target, groups[key]) for key in keys]
