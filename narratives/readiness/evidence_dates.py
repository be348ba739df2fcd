"""When linked evidence is dated: the span of the part a link points at, not the upload date.

A commit set spans its project's mapped commits, a run its start and end, a decision record
its decision date; anything else the content dates read from the artifact itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evidence.linking.parts import PartType, commit_set_project
from evidence.models import (
    ArtifactRevision,
    CommitProject,
    Decision,
    DecisionOption,
    EvidenceLink,
    GitCommit,
    Run,
)

Span = tuple[dt.date | None, dt.date | None]


def link_spans(session: Session, links: Sequence[EvidenceLink]) -> dict[int, Span]:
    """The dates of what each link points at, by link id; ``(None, None)`` when nothing is dated."""
    runs = _run_spans(session, _refs(links, PartType.RUN))
    decisions = _decision_dates(session, _refs(links, PartType.DECISION))
    options = _option_dates(session, _refs(links, PartType.OPTION))
    commit_sets = _commit_spans(session, links)
    contents = _content_spans(session, {link.artifact_id for link in links})
    spans: dict[int, Span] = {}
    for link in links:
        ref = int(link.part_ref) if link.part_ref and link.part_ref.isdigit() else -1
        if link.part_type == PartType.RUN:
            spans[link.id] = runs.get(ref, (None, None))
        elif link.part_type == PartType.DECISION:
            spans[link.id] = (decisions.get(ref),) * 2
        elif link.part_type == PartType.OPTION:
            spans[link.id] = (options.get(ref),) * 2
        elif link.part_type == PartType.COMMIT_SET:
            key = (link.artifact_id, commit_set_project(link.part_ref) or -1)
            spans[link.id] = commit_sets.get(key, (None, None))
        else:
            spans[link.id] = contents.get(link.artifact_id, (None, None))
        if spans[link.id] == (None, None):
            spans[link.id] = contents.get(link.artifact_id, (None, None))
    return spans


def overlaps(span: Span, start: dt.date, end: dt.date) -> bool:
    first, last = span
    if first is None and last is None:
        return False
    return (first or last) <= end and (last or first) >= start  # type: ignore[operator]


def _refs(links: Sequence[EvidenceLink], part: PartType) -> set[int]:
    return {int(link.part_ref) for link in links
            if link.part_type == part and link.part_ref and link.part_ref.isdigit()}


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


def _run_spans(session: Session, ids: set[int]) -> dict[int, Span]:
    if not ids:
        return {}
    rows = session.execute(select(Run.id, Run.started_at, Run.ended_at).where(Run.id.in_(ids)))
    return {run_id: (_day(started), _day(ended or started)) for run_id, started, ended in rows}


def _decision_dates(session: Session, ids: set[int]) -> dict[int, dt.date | None]:
    if not ids:
        return {}
    query = select(Decision.id, Decision.decided_on).where(Decision.id.in_(ids))
    return {key: value for key, value in session.execute(query)}


def _option_dates(session: Session, ids: set[int]) -> dict[int, dt.date | None]:
    if not ids:
        return {}
    query = (select(DecisionOption.id, Decision.decided_on)
             .join(Decision, Decision.id == DecisionOption.decision_id).where(DecisionOption.id.in_(ids)))
    return {key: value for key, value in session.execute(query)}


def _commit_spans(session: Session, links: Sequence[EvidenceLink]) -> dict[tuple[int, int], Span]:
    wanted = {(link.artifact_id, commit_set_project(link.part_ref) or -1)
              for link in links if link.part_type == PartType.COMMIT_SET}
    if not wanted:
        return {}
    query = (select(GitCommit.artifact_id, CommitProject.project_id, func.min(GitCommit.authored_at),
                    func.max(GitCommit.authored_at))
             .join(CommitProject, CommitProject.commit_id == GitCommit.id)
             .where(GitCommit.artifact_id.in_({artifact for artifact, _ in wanted}),
                    CommitProject.project_id.in_({project for _, project in wanted}))
             .group_by(GitCommit.artifact_id, CommitProject.project_id))
    return {(artifact, project): (_day(first), _day(last))
            for artifact, project, first, last in session.execute(query)}


def _content_spans(session: Session, artifact_ids: set[int]) -> dict[int, Span]:
    """The widest content span over an artifact's revisions."""
    if not artifact_ids:
        return {}
    query = (select(ArtifactRevision.artifact_id, func.min(ArtifactRevision.content_start),
                    func.max(ArtifactRevision.content_end))
             .where(ArtifactRevision.artifact_id.in_(artifact_ids)).group_by(ArtifactRevision.artifact_id))
    return {artifact: (first, last or first) for artifact, first, last in session.execute(query)}
