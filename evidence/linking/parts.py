"""The linkable parts of a study's evidence, read from the latest revision of each artifact.

A part is what a link points at inside an artifact: a project's rule-mapped commits of one
repository (``commit_set``), a decision record or one of its considered options, one run,
an ablation table or variant. Documents are linked whole (no part).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, contains_eager, selectinload

from evidence.models import (
    AblationVariant,
    Artifact,
    ArtifactKind,
    ArtifactRevision,
    CommitProject,
    Decision,
    GitCommit,
    Run,
)

COMMIT_SAMPLE = 30  # commit subjects a commit set's text is built from


class PartType(enum.StrEnum):
    COMMIT_SET = "commit_set"
    DECISION = "decision"
    OPTION = "option"
    RUN = "run"
    TABLE = "table"
    VARIANT = "variant"


@dataclass(frozen=True)
class EvidencePart:
    """One linkable part: ``fields`` are the named texts rules search, ``text`` what similarity reads."""

    artifact_id: int
    kind: ArtifactKind
    part_type: PartType | None
    part_ref: str | None
    text: str
    on: dt.date | None
    fields: dict[str, str] = field(default_factory=dict, hash=False)
    project_id: int | None = None  # a commit set belongs to the project its rules mapped it to
    parent_ref: str | None = None  # an option's decision, a variant's table

    @property
    def id(self) -> PartId:
        return (self.artifact_id, self.part_type, self.part_ref)

    @property
    def parent(self) -> PartId | None:
        if self.part_type is PartType.OPTION:
            return (self.artifact_id, PartType.DECISION, self.parent_ref)
        if self.part_type is PartType.VARIANT:
            return (self.artifact_id, PartType.TABLE, self.parent_ref)
        return None


PartId = tuple[int, str | None, str | None]
"""(artifact id, part type, part reference): one part of the current evidence."""


def commit_set_ref(project_id: int, count: int, first: dt.date, last: dt.date) -> str:
    return f"project:{project_id} {count} commits {first.isoformat()}..{last.isoformat()}"


_COMMIT_SET_REF = re.compile(r"^project:(\d+)\b")


def commit_set_project(part_ref: str | None) -> int | None:
    """The project whose mapped commits a ``commit_set`` reference names."""
    match = _COMMIT_SET_REF.match(part_ref or "")
    return int(match.group(1)) if match else None


def part_key(part_type: str | None, part_ref: str | None) -> str | None:
    """What makes two references the same part: a commit set stays itself as commits are added."""
    if part_type == PartType.COMMIT_SET:
        return f"project:{commit_set_project(part_ref)}"
    return part_ref


def latest_revisions(session: Session, study_id: int) -> dict[int, ArtifactRevision]:
    """The newest revision of each artifact of the study that was not removed, by revision id."""
    newest = (select(ArtifactRevision.artifact_id, func.max(ArtifactRevision.number).label("number"))
              .where(ArtifactRevision.study_id == study_id)
              .group_by(ArtifactRevision.artifact_id).subquery())
    query = (select(ArtifactRevision).join(newest, (newest.c.artifact_id == ArtifactRevision.artifact_id)
                                           & (newest.c.number == ArtifactRevision.number))
             .join(Artifact).where(Artifact.removed_at.is_(None))
             .options(contains_eager(ArtifactRevision.artifact)))
    return {revision.id: revision for revision in session.scalars(query)}


def study_parts(session: Session, study_id: int) -> list[EvidencePart]:
    """Every linkable part of the study's current evidence."""
    revisions = latest_revisions(session, study_id)
    return [*commit_sets(session, study_id), *_decision_parts(session, revisions),
            *_run_parts(session, revisions), *_ablation_parts(session, revisions),
            *_document_parts(revisions)]


def commit_sets(session: Session, study_id: int) -> Iterator[EvidencePart]:
    """Per repository and project, the commits the mapping rules gave the project."""
    query = (select(GitCommit.artifact_id, CommitProject.project_id, func.count(),
                    func.min(GitCommit.authored_at), func.max(GitCommit.authored_at))
             .join(CommitProject, CommitProject.commit_id == GitCommit.id)
             .join(Artifact, Artifact.id == GitCommit.artifact_id)
             .where(GitCommit.study_id == study_id, Artifact.removed_at.is_(None))
             .group_by(GitCommit.artifact_id, CommitProject.project_id)
             .order_by(GitCommit.artifact_id, CommitProject.project_id))
    for artifact_id, project_id, count, first, last in session.execute(query).all():
        subjects = _commit_subjects(session, artifact_id, project_id)
        yield EvidencePart(artifact_id, ArtifactKind.GIT_REPOSITORY, PartType.COMMIT_SET,
                           commit_set_ref(project_id, count, first.date(), last.date()),
                           "\n".join(subjects), first.date(), {}, project_id)


def _commit_subjects(session: Session, artifact_id: int, project_id: int) -> list[str]:
    """First lines of commits spread evenly over the set (ids first: a set can be huge)."""
    ids = list(session.scalars(
        select(GitCommit.id).join(CommitProject, CommitProject.commit_id == GitCommit.id)
        .where(GitCommit.artifact_id == artifact_id, CommitProject.project_id == project_id)
        .order_by(GitCommit.authored_at, GitCommit.id)))
    step = max(len(ids) / COMMIT_SAMPLE, 1.0)
    sample = sorted({ids[int(index * step)] for index in range(min(COMMIT_SAMPLE, len(ids)))})
    messages = session.scalars(select(GitCommit.message).where(GitCommit.id.in_(sample))
                               .order_by(GitCommit.authored_at, GitCommit.id))
    return list(dict.fromkeys(message.strip().splitlines()[0] for message in messages if message.strip()))


def _decision_parts(session: Session, revisions: dict[int, ArtifactRevision]) -> Iterator[EvidencePart]:
    query = (select(Decision).where(Decision.revision_id.in_(revisions)).order_by(Decision.id)
             .options(selectinload(Decision.options)))
    for decision in session.scalars(query):
        revision = revisions[decision.revision_id]
        on = decision.decided_on or revision.content_start
        option_names = "; ".join(option.name for option in decision.options)
        text = _joined(decision.title, decision.context, option_names and f"Options: {option_names}")
        fields = {"title": decision.title, "context": decision.context,
                  "drivers": " ".join(str(d) for d in decision.drivers), "outcome": decision.outcome}
        yield EvidencePart(revision.artifact_id, ArtifactKind.ADR, PartType.DECISION, str(decision.id),
                           text, on, fields)
        for option in sorted(decision.options, key=lambda o: o.id):
            text = _joined(option.name, option.description, *map(str, option.pros), *map(str, option.cons))
            yield EvidencePart(revision.artifact_id, ArtifactKind.ADR, PartType.OPTION, str(option.id),
                               text, on, {"name": option.name, "description": option.description},
                               parent_ref=str(decision.id))


def _run_parts(session: Session, revisions: dict[int, ArtifactRevision]) -> Iterator[EvidencePart]:
    query = select(Run).where(Run.revision_id.in_(revisions)).order_by(Run.id)
    for run in session.scalars(query):
        params = " ".join(f"{key}={value}" for key, value in sorted(run.params.items()))
        tags = " ".join(str(value) for _key, value in sorted(run.tags.items()))
        fields = {"experiment": run.experiment_name, "name": run.name, "params": params, "tags": tags}
        text = _joined(run.experiment_name, run.name, params)
        on = run.started_at.date() if run.started_at else revisions[run.revision_id].content_start
        yield EvidencePart(revisions[run.revision_id].artifact_id, ArtifactKind.RUN_LOG, PartType.RUN,
                           str(run.id), text, on, fields)


def _ablation_parts(session: Session, revisions: dict[int, ArtifactRevision]) -> Iterator[EvidencePart]:
    query = select(AblationVariant).where(AblationVariant.revision_id.in_(revisions)).order_by(
        AblationVariant.revision_id, AblationVariant.sheet, AblationVariant.row, AblationVariant.id)
    by_sheet: dict[tuple[int, str], list[AblationVariant]] = defaultdict(list)
    for variant in session.scalars(query):
        by_sheet[(variant.revision_id, variant.sheet)].append(variant)
    for (revision_id, sheet), variants in by_sheet.items():
        revision = revisions[revision_id]
        title = revision.artifact.title
        names = "; ".join(variant.name for variant in variants)
        yield EvidencePart(revision.artifact_id, ArtifactKind.ABLATION, PartType.TABLE, sheet[:120],
                           _joined(f"{title}, sheet {sheet}", f"Variants: {names}"), revision.content_start,
                           {"title": title, "sheet": sheet})
        for variant in variants:
            factors = ", ".join(f"{key} {value}" for key, value in variant.factors.items())
            yield EvidencePart(revision.artifact_id, ArtifactKind.ABLATION, PartType.VARIANT,
                               str(variant.id), _joined(variant.name, factors, f"({sheet})"),
                               revision.content_start, {"name": variant.name}, parent_ref=sheet[:120])


def _document_parts(revisions: dict[int, ArtifactRevision]) -> Iterator[EvidencePart]:
    for revision in revisions.values():
        artifact = revision.artifact
        if artifact.kind is ArtifactKind.DOCUMENT:
            yield EvidencePart(artifact.id, artifact.kind, None, None, artifact.title,
                               revision.content_start, {"title": artifact.title, "path": artifact.path})


def _joined(*texts: str | None) -> str:
    return "\n".join(text.strip() for text in texts if text and text.strip())

