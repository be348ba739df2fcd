"""Everything the readiness checks read about a study, loaded once in a few queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from evidence.models import Artifact, ArtifactKind, CommitProject, EvidenceLink, GitCommit, LinkStatus
from narratives.drafting import link_prong
from narratives.models import Interview, Narrative, Prong
from narratives.readiness.evidence_dates import Span, link_spans
from studies.models import (
    BusinessComponent,
    Contractor,
    Experiment,
    LayerKind,
    QualifiedExpense,
    Study,
    UncertaintyStatement,
    WageAllocation,
)


@dataclass(frozen=True)
class LinkedEvidence:
    """One accepted link to a project or one of its records, with the dates of what it points at."""

    link_id: int
    artifact_id: int
    artifact_kind: ArtifactKind
    artifact_title: str
    target_type: str
    target_id: int
    prong: Prong
    span: Span


@dataclass
class ProjectSnapshot:
    project: BusinessComponent
    evidence: list[LinkedEvidence] = field(default_factory=list)
    commit_span: Span = (None, None)
    commit_authors: set[str] = field(default_factory=set)  # lower-cased e-mail addresses
    interviewees: set[str] = field(default_factory=set)  # lower-cased names
    said: set[Prong] = field(default_factory=set)  # prongs an interview answer speaks to
    narratives: dict[Prong, Narrative] = field(default_factory=dict)
    allocations: list[WageAllocation] = field(default_factory=list)
    contractors: list[Contractor] = field(default_factory=list)
    expenses: list[QualifiedExpense] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.project.code

    @property
    def claimed_as_qualifying(self) -> bool:
        """False when the layers recorded say nothing in the project qualifies (a wrapper, say)."""
        kinds = {layer.kind for layer in self.project.layers}
        return not kinds or LayerKind.QUALIFYING_ENGINEERING in kinds

    @property
    def uncertainties(self) -> list[UncertaintyStatement]:
        return sorted(self.project.uncertainties, key=lambda u: (u.identified_on, u.id))

    @property
    def experiments(self) -> list[Experiment]:
        return [e for u in self.uncertainties for e in sorted(u.experiments, key=lambda e: e.id)]

    def evidence_for(self, target_type: str, target_id: int) -> list[LinkedEvidence]:
        return [e for e in self.evidence if e.target_type == target_type and e.target_id == target_id]


@dataclass(frozen=True)
class StudySnapshot:
    study: Study
    projects: list[ProjectSnapshot]

    @property
    def year_start(self) -> dt.date:
        return dt.date(self.study.tax_year, 1, 1)

    @property
    def year_end(self) -> dt.date:
        return dt.date(self.study.tax_year, 12, 31)


def load_snapshot(session: Session, study: Study) -> StudySnapshot:
    projects = list(session.scalars(
        select(BusinessComponent).where(BusinessComponent.study_id == study.id)
        .order_by(BusinessComponent.code)
        .options(selectinload(BusinessComponent.layers),
                 selectinload(BusinessComponent.uncertainties).selectinload(UncertaintyStatement.experiments))))
    snapshots = {project.id: ProjectSnapshot(project) for project in projects}
    _add_evidence(session, study.id, snapshots)
    _add_commits(session, study.id, snapshots)
    _add_interviews(session, study.id, snapshots)
    _add_narratives(session, study.id, snapshots)
    _add_charges(session, study.id, snapshots)
    return StudySnapshot(study, list(snapshots.values()))


def _owners(snapshots: dict[int, ProjectSnapshot]) -> dict[tuple[str, int], int]:
    """Which project each linkable record belongs to."""
    owners: dict[tuple[str, int], int] = {}
    for project_id, snapshot in snapshots.items():
        owners[("project", project_id)] = project_id
        for layer in snapshot.project.layers:
            owners[("layer", layer.id)] = project_id
        for uncertainty in snapshot.project.uncertainties:
            owners[("uncertainty", uncertainty.id)] = project_id
            for experiment in uncertainty.experiments:
                owners[("experiment", experiment.id)] = project_id
    return owners


def _add_evidence(session: Session, study_id: int, snapshots: dict[int, ProjectSnapshot]) -> None:
    links = list(session.scalars(
        select(EvidenceLink).join(Artifact, Artifact.id == EvidenceLink.artifact_id)
        .where(EvidenceLink.study_id == study_id, EvidenceLink.status == LinkStatus.ACCEPTED,
               Artifact.removed_at.is_(None))
        .options(selectinload(EvidenceLink.artifact)).order_by(EvidenceLink.id)))
    spans = link_spans(session, links)
    owners = _owners(snapshots)
    for link in links:
        owner = owners.get((link.target_type, link.target_id))
        if owner is None:
            continue
        snapshots[owner].evidence.append(LinkedEvidence(
            link.id, link.artifact_id, link.artifact.kind, link.artifact.title, link.target_type,
            link.target_id, link_prong(link), spans[link.id]))


def _add_commits(session: Session, study_id: int, snapshots: dict[int, ProjectSnapshot]) -> None:
    """Commits mapped to each project by the repository's rules: their span and their authors."""
    base = (select(CommitProject.project_id).join(GitCommit, GitCommit.id == CommitProject.commit_id)
            .join(Artifact, Artifact.id == GitCommit.artifact_id)
            .where(GitCommit.study_id == study_id, Artifact.removed_at.is_(None)))
    spans = base.add_columns(func.min(GitCommit.authored_at), func.max(GitCommit.authored_at)).group_by(
        CommitProject.project_id)
    for project_id, first, last in session.execute(spans):
        if project_id in snapshots:
            snapshots[project_id].commit_span = (first.date(), last.date())
    authors = base.add_columns(func.lower(GitCommit.author_email)).distinct()
    for project_id, email in session.execute(authors):
        if project_id in snapshots:
            snapshots[project_id].commit_authors.add(email)


def _add_interviews(session: Session, study_id: int, snapshots: dict[int, ProjectSnapshot]) -> None:
    interviews = session.scalars(select(Interview).where(Interview.study_id == study_id)
                                 .options(selectinload(Interview.answers)))
    for interview in interviews:
        snapshot = snapshots.get(interview.project_id)
        if snapshot is None:
            continue
        snapshot.interviewees.add(interview.interviewee_name.strip().lower())
        snapshot.said.update(a.prong for a in interview.answers if a.answer.strip() or a.quote.strip())


def _add_narratives(session: Session, study_id: int, snapshots: dict[int, ProjectSnapshot]) -> None:
    narratives = session.scalars(select(Narrative).where(Narrative.study_id == study_id)
                                 .options(selectinload(Narrative.versions)))
    for narrative in narratives:
        if narrative.project_id in snapshots:
            snapshots[narrative.project_id].narratives[narrative.prong] = narrative


def _add_charges(session: Session, study_id: int, snapshots: dict[int, ProjectSnapshot]) -> None:
    """What the credit would claim on each project: wage allocations, contracts and approved expenses."""
    charged: dict[int, list[WageAllocation]] = defaultdict(list)
    allocations = session.scalars(select(WageAllocation).where(WageAllocation.study_id == study_id)
                                  .options(selectinload(WageAllocation.employee)).order_by(WageAllocation.id))
    for allocation in allocations:
        charged[allocation.project_id].append(allocation)
    for project_id, items in charged.items():
        if project_id in snapshots:
            snapshots[project_id].allocations = items
    for contractor in session.scalars(select(Contractor).where(Contractor.study_id == study_id)):
        if contractor.project_id in snapshots:
            snapshots[contractor.project_id].contractors.append(contractor)
    expenses = session.scalars(select(QualifiedExpense).where(QualifiedExpense.study_id == study_id,
                                                               QualifiedExpense.approved_by_id.is_not(None)))
    for expense in expenses:
        if expense.project_id in snapshots:
            snapshots[expense.project_id].expenses.append(expense)
