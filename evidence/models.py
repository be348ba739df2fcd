"""Tables owned by ``evidence``: immutable originals, what was extracted, and links."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import BigInteger, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.audit import Audited
from core.db import Base, utcnow
from core.types import ShortText, enum_column


class ArtifactKind(enum.StrEnum):
    GIT_REPOSITORY = "git_repository"
    ADR = "adr"
    RUN_LOG = "run_log"
    ABLATION = "ablation"
    DOCUMENT = "document"


class Artifact(Audited, Base):
    """A piece of evidence, identified by its source and path; its content lives in revisions."""

    __tablename__ = "artifacts"
    __table_args__ = (UniqueConstraint("study_id", "source", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    kind: Mapped[ArtifactKind] = mapped_column(enum_column(ArtifactKind))
    source: Mapped[str] = mapped_column(String(300))
    path: Mapped[str] = mapped_column(String(500))
    title: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[dt.datetime | None]
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    removed_reason: Mapped[str | None] = mapped_column(Text)

    revisions: Mapped[list[ArtifactRevision]] = relationship(
        back_populates="artifact", order_by="ArtifactRevision.number")


class ArtifactRevision(Audited, Base):
    """One immutable original: its blob, who brought it, and the dates its content spans."""

    __tablename__ = "artifact_revisions"
    __table_args__ = (UniqueConstraint("artifact_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    artifact_id: Mapped[int] = mapped_column(ForeignKey("artifacts.id"), index=True)
    number: Mapped[int]
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(120))
    original_name: Mapped[str] = mapped_column(String(300))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    content_start: Mapped[dt.date | None] = mapped_column(Date)
    content_end: Mapped[dt.date | None] = mapped_column(Date)
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)

    artifact: Mapped[Artifact] = relationship(back_populates="revisions")


class GitCommit(Base):
    """One commit of an ingested repository; ``revision_id`` is the ingest that first saw it."""

    __tablename__ = "git_commits"
    __table_args__ = (UniqueConstraint("artifact_id", "sha"),
                      Index("ix_git_commits_study_sha", "study_id", "sha"))

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    artifact_id: Mapped[int] = mapped_column(ForeignKey("artifacts.id"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("artifact_revisions.id"))
    sha: Mapped[str] = mapped_column(String(64))
    author_name: Mapped[ShortText]
    author_email: Mapped[str] = mapped_column(String(254))
    authored_at: Mapped[dt.datetime]
    committed_at: Mapped[dt.datetime]
    message: Mapped[str] = mapped_column(Text)
    is_merge: Mapped[bool] = mapped_column(default=False)
    insertions: Mapped[int] = mapped_column(default=0)
    deletions: Mapped[int] = mapped_column(default=0)
    files: Mapped[list[Any]] = mapped_column(default=list)


class GitRefKind(enum.StrEnum):
    BRANCH = "branch"
    TAG = "tag"


class GitRef(Base):
    """A branch or tag as it stood at one ingest of the repository."""

    __tablename__ = "git_refs"
    __table_args__ = (UniqueConstraint("revision_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    artifact_id: Mapped[int] = mapped_column(ForeignKey("artifacts.id"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("artifact_revisions.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[GitRefKind] = mapped_column(enum_column(GitRefKind))
    target: Mapped[str] = mapped_column(String(64))


class CommitProject(Base):
    """A commit attributed to a project by a mapping rule (the rule's text is kept)."""

    __tablename__ = "commit_projects"

    commit_id: Mapped[int] = mapped_column(ForeignKey("git_commits.id"), primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("business_components.id"),
                                            primary_key=True, index=True)
    rule: Mapped[str] = mapped_column(String(300))


class Decision(Base):
    """An architecture decision record and what it says."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("artifact_revisions.id"), index=True)
    template: Mapped[str] = mapped_column(String(20))
    number: Mapped[int | None]
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(80), default="")
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    deciders: Mapped[list[Any]] = mapped_column(default=list)
    drivers: Mapped[list[Any]] = mapped_column(default=list)
    context: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    consequences: Mapped[str] = mapped_column(Text, default="")
    links: Mapped[list[Any]] = mapped_column(default=list)
    tags: Mapped[list[Any]] = mapped_column(default=list)

    options: Mapped[list[DecisionOption]] = relationship(back_populates="decision")


class DecisionOption(Base):
    __tablename__ = "decision_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    chosen: Mapped[bool] = mapped_column(default=False)
    pros: Mapped[list[Any]] = mapped_column(default=list)
    cons: Mapped[list[Any]] = mapped_column(default=list)

    decision: Mapped[Decision] = relationship(back_populates="options")


class Run(Base):
    """A training or evaluation run from a tracking store; failed and killed runs included.

    ``metrics`` maps each metric key to ``{"final", "min", "max", "count", "points"}`` where
    ``points`` is the series thinned to at most a few hundred ``[step, value]`` pairs for
    charts; the full series stays in the original. ``source_commit`` joins the run to an
    ingested commit of the same study.
    """

    __tablename__ = "runs"
    __table_args__ = (Index("ix_runs_study_source_commit", "study_id", "source_commit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("artifact_revisions.id"), index=True)
    external_id: Mapped[str] = mapped_column(String(120))
    tracker: Mapped[str] = mapped_column(String(20))
    experiment_name: Mapped[str] = mapped_column(String(300), default="")
    name: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[dt.datetime | None]
    ended_at: Mapped[dt.datetime | None]
    source_commit: Mapped[str | None] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    metrics: Mapped[dict[str, Any]] = mapped_column(default=dict)
    tags: Mapped[dict[str, Any]] = mapped_column(default=dict)


class MetricDirection(enum.StrEnum):
    HIGHER = "higher"
    LOWER = "lower"
    UNKNOWN = "unknown"


class AblationMetric(Audited, Base):
    """A metric column of an ablation table; a person confirms its direction where the parser guessed."""

    __tablename__ = "ablation_metrics"
    __table_args__ = (UniqueConstraint("revision_id", "sheet", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("artifact_revisions.id"), index=True)
    sheet: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str | None] = mapped_column(String(40))
    better: Mapped[MetricDirection] = mapped_column(enum_column(MetricDirection))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[dt.datetime | None]


class AblationVariant(Base):
    __tablename__ = "ablation_variants"

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("artifact_revisions.id"), index=True)
    sheet: Mapped[str] = mapped_column(String(200))
    row: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(300))
    is_baseline: Mapped[bool] = mapped_column(default=False)
    factors: Mapped[dict[str, Any]] = mapped_column(default=dict)
    metrics: Mapped[dict[str, Any]] = mapped_column(default=dict)


class LinkStatus(enum.StrEnum):
    SUGGESTED = "suggested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class EvidenceLink(Audited, Base):
    """Evidence (or a part of it) supporting a project, uncertainty, experiment or layer."""

    __tablename__ = "evidence_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    artifact_id: Mapped[int] = mapped_column(ForeignKey("artifacts.id"), index=True)
    part_type: Mapped[str | None] = mapped_column(String(40))
    part_ref: Mapped[str | None] = mapped_column(String(120))
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int]
    prong: Mapped[str | None] = mapped_column(String(40))
    suggested_by: Mapped[str] = mapped_column(String(40))
    score: Mapped[float | None]
    status: Mapped[LinkStatus] = mapped_column(enum_column(LinkStatus), default=LinkStatus.SUGGESTED)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None]

    artifact: Mapped[Artifact] = relationship()
