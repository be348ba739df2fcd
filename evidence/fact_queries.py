"""Read-side questions about what one revision's parser extracted, kind by kind."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from math import ceil
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from core.users import User
from evidence.ingest.git_stats import CommitStats, artifact_commit_stats
from evidence.models import (
    AblationMetric,
    AblationVariant,
    Artifact,
    ArtifactKind,
    ArtifactRevision,
    CommitProject,
    Decision,
    GitCommit,
    GitRef,
    GitRefKind,
    Run,
)
from studies.models import BusinessComponent

COMMITS_PER_PAGE = 50


@dataclass(frozen=True)
class CommitPage:
    commits: list[GitCommit]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))


@dataclass(frozen=True)
class ProjectCommits:
    """How many of a repository's commits a mapping rule gave to one project, and when."""

    project: BusinessComponent
    commits: int
    first: dt.datetime | None
    last: dt.datetime | None


def commit_page(session: Session, artifact_id: int, page: int = 1,
                per_page: int = COMMITS_PER_PAGE) -> CommitPage:
    """One page of the repository's commits, newest first."""
    total = session.execute(select(func.count(GitCommit.id))
                            .where(GitCommit.artifact_id == artifact_id)).scalar_one()
    page = max(1, min(page, max(1, ceil(total / per_page))))
    query = (select(GitCommit).where(GitCommit.artifact_id == artifact_id)
             .order_by(GitCommit.committed_at.desc(), GitCommit.id.desc())
             .limit(per_page).offset((page - 1) * per_page))
    return CommitPage(list(session.scalars(query)), total, page, per_page)


def find_commit(session: Session, artifact_id: int, sha: str) -> GitCommit | None:
    """The repository's commit whose SHA is or starts with ``sha`` (at least 7 hex digits)."""
    sha = sha.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{7,64}", sha):
        return None
    query = (select(GitCommit).where(GitCommit.artifact_id == artifact_id, GitCommit.sha.startswith(sha))
             .order_by(GitCommit.id).limit(2))
    found = list(session.scalars(query))
    return found[0] if len(found) == 1 else None


def refs_of(session: Session, revision_id: int) -> dict[GitRefKind, list[GitRef]]:
    """The branches and tags as they stood at this ingest."""
    query = select(GitRef).where(GitRef.revision_id == revision_id).order_by(GitRef.name)
    refs: dict[GitRefKind, list[GitRef]] = {GitRefKind.BRANCH: [], GitRefKind.TAG: []}
    for ref in session.scalars(query):
        refs[ref.kind].append(ref)
    return refs


def commits_per_project(session: Session, artifact_id: int) -> list[ProjectCommits]:
    query = (select(BusinessComponent, func.count(GitCommit.id), func.min(GitCommit.committed_at),
                    func.max(GitCommit.committed_at))
             .join(CommitProject, CommitProject.project_id == BusinessComponent.id)
             .join(GitCommit, GitCommit.id == CommitProject.commit_id)
             .where(GitCommit.artifact_id == artifact_id)
             .group_by(BusinessComponent.id).order_by(func.count(GitCommit.id).desc()))
    return [ProjectCommits(project, count, _aware(first), _aware(last))
            for project, count, first, last in session.execute(query)]


def _aware(value: Any) -> Any:
    """min()/max() over a datetime column come back naive (and as text on SQLite)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def decision_of(session: Session, revision_id: int) -> Decision | None:
    query = (select(Decision).where(Decision.revision_id == revision_id)
             .options(selectinload(Decision.options)))
    return session.scalars(query).first()


@dataclass(frozen=True)
class ResolvedLink:
    """A link of a decision record, with the study's artifact it points at when one is found."""

    kind: str
    target: str
    artifact_id: int | None

    @property
    def label(self) -> str:
        return self.kind.replace("_", " ")


def resolve_decision_links(session: Session, study_id: int, links: Iterable[Any]) -> list[ResolvedLink]:
    """Match "supersedes 0003-x.md" style links to ADR artifacts of the study by file name or number."""
    adrs = session.execute(
        select(Artifact.id, Artifact.path, Decision.number)
        .join(ArtifactRevision, ArtifactRevision.artifact_id == Artifact.id)
        .join(Decision, Decision.revision_id == ArtifactRevision.id)
        .where(Artifact.study_id == study_id, Artifact.kind == ArtifactKind.ADR)).all()
    resolved = []
    for link in links:
        kind, target = _link_parts(link)
        resolved.append(ResolvedLink(kind, target, _match_adr(adrs, target)))
    return resolved


def _link_parts(link: Any) -> tuple[str, str]:
    if isinstance(link, dict):
        return str(link.get("kind", "link")), str(link.get("target", ""))
    if isinstance(link, list | tuple) and len(link) == 2:
        return str(link[0]), str(link[1])
    return "link", str(link)


def _match_adr(adrs: Iterable[Any], target: str) -> int | None:
    name = PurePosixPath(target.split("#")[0]).name
    number = re.match(r"(?:adr[-_ ]?)?0*(\d+)\b", name, re.IGNORECASE)
    for artifact_id, path, _number in adrs:
        if name and PurePosixPath(path).name == name:
            return int(artifact_id)
    for artifact_id, _path, decision_number in adrs:
        if number and decision_number is not None and decision_number == int(number.group(1)):
            return int(artifact_id)
    return None


def runs_of(session: Session, revision_id: int) -> list[Run]:
    """The revision's runs, in the order they started (runs without a start last)."""
    query = (select(Run).where(Run.revision_id == revision_id)
             .order_by(Run.started_at.is_(None), Run.started_at, Run.id))
    return list(session.scalars(query))


def commits_by_sha(session: Session, study_id: int, shas: Iterable[str | None]) -> dict[str, GitCommit]:
    """The study's ingested commits among ``shas`` (a run's source commit joined to its commit)."""
    wanted = {sha for sha in shas if sha}
    if not wanted:
        return {}
    query = select(GitCommit).where(GitCommit.study_id == study_id, GitCommit.sha.in_(wanted))
    return {commit.sha: commit for commit in session.scalars(query)}


@dataclass(frozen=True)
class AblationTableView:
    """One sheet's ablation table: its layout from the summary, its metrics and its variants."""

    sheet: str
    layout: dict[str, Any]
    metrics: list[AblationMetric]
    variants: list[AblationVariant]

    @property
    def questions(self) -> list[str]:
        return list(self.layout.get("questions") or [])

    @property
    def factor_columns(self) -> list[str]:
        return list(self.layout.get("factor_columns") or [])


def ablation_tables(session: Session, revision: ArtifactRevision) -> list[AblationTableView]:
    metrics = session.scalars(select(AblationMetric).where(AblationMetric.revision_id == revision.id)
                              .order_by(AblationMetric.id)).all()
    variants = session.scalars(select(AblationVariant).where(AblationVariant.revision_id == revision.id)
                               .order_by(AblationVariant.sheet, AblationVariant.row,
                                         AblationVariant.id)).all()
    layouts = {str(t.get("sheet")): t for t in (revision.summary or {}).get("tables") or []}
    sheets = list(dict.fromkeys([*layouts, *(m.sheet for m in metrics), *(v.sheet for v in variants)]))
    return [AblationTableView(sheet, layouts.get(sheet, {}),
                              [m for m in metrics if m.sheet == sheet],
                              [v for v in variants if v.sheet == sheet]) for sheet in sheets]


@dataclass(frozen=True)
class FileTouched:
    path: str
    insertions: int | None
    deletions: int | None


def files_of(commit: GitCommit) -> list[FileTouched]:
    """A commit's files, whether stored as ``{"path", "insertions", "deletions"}`` or as triples."""
    touched = []
    for item in commit.files or []:
        if isinstance(item, dict):
            path = str(item.get("path", ""))
            touched.append(FileTouched(path, item.get("insertions"), item.get("deletions")))
        elif isinstance(item, list | tuple) and item:
            padded = [*item, None, None]
            touched.append(FileTouched(str(padded[0]), padded[1], padded[2]))
        else:
            touched.append(FileTouched(str(item), None, None))
    return touched


@dataclass(frozen=True)
class GitFacts:
    commits: CommitPage
    refs: dict[GitRefKind, list[GitRef]]
    projects: list[ProjectCommits]
    stats: CommitStats
    selected: GitCommit | None

    @property
    def selected_files(self) -> list[FileTouched]:
        return files_of(self.selected) if self.selected else []


@dataclass(frozen=True)
class DecisionFacts:
    decision: Decision | None
    links: list[ResolvedLink]


@dataclass(frozen=True)
class RunFacts:
    runs: list[Run]
    commits: dict[str, GitCommit]

    @property
    def by_status(self) -> list[tuple[str, int]]:
        return sorted(Counter(run.status for run in self.runs).items())

    @property
    def key_params(self) -> list[str]:
        """Up to four parameters worth a column: those that differ between runs, and most often set."""
        counts = Counter(key for run in self.runs for key in run.params)

        def worth(key: str) -> tuple[bool, int, str]:
            varied = len({str(run.params.get(key)) for run in self.runs if key in run.params}) > 1
            return (not varied, -counts[key], key)
        return sorted(counts, key=worth)[:4]

    @property
    def key_metrics(self) -> list[str]:
        """Up to three metrics for the table: those the most runs logged."""
        counts = Counter(key for run in self.runs for key in run.metrics)
        return [key for key, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:3]]


@dataclass(frozen=True)
class AblationFacts:
    tables: list[AblationTableView]
    confirmed_by: dict[int, str]


@dataclass(frozen=True)
class NoFacts:
    """A document: kept as an exhibit, nothing extracted."""


RevisionFacts = GitFacts | DecisionFacts | RunFacts | AblationFacts | NoFacts


def revision_facts(session: Session, artifact: Artifact, revision: ArtifactRevision, *,
                   page: int = 1, commit: str | None = None) -> RevisionFacts:
    """What the artifact page shows of ``revision``; ``page`` pages a repository's commits and
    ``commit`` picks one commit to show whole."""
    if artifact.kind is ArtifactKind.GIT_REPOSITORY:
        return GitFacts(commit_page(session, artifact.id, page), refs_of(session, revision.id),
                        commits_per_project(session, artifact.id),
                        artifact_commit_stats(session, artifact.study_id, artifact.id, top_files=15),
                        find_commit(session, artifact.id, commit) if commit else None)
    if artifact.kind is ArtifactKind.ADR:
        decision = decision_of(session, revision.id)
        links = resolve_decision_links(session, artifact.study_id, decision.links) if decision else []
        return DecisionFacts(decision, links)
    if artifact.kind is ArtifactKind.RUN_LOG:
        runs = runs_of(session, revision.id)
        return RunFacts(runs, commits_by_sha(session, artifact.study_id, (r.source_commit for r in runs)))
    if artifact.kind is ArtifactKind.ABLATION:
        tables = ablation_tables(session, revision)
        ids = {m.confirmed_by_id for table in tables for m in table.metrics if m.confirmed_by_id}
        found = session.execute(select(User.id, User.name).where(User.id.in_(ids)))
        names = {user_id: name for user_id, name in found}
        return AblationFacts(tables, names)
    return NoFacts()
