"""Tables owned by ``narratives``: interviews, versioned narratives, export packages."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.audit import Audited
from core.db import Base, utcnow
from core.types import ShortText, enum_column
from core.users import User


class Prong(enum.StrEnum):
    PERMITTED_PURPOSE = "permitted_purpose"
    TECHNOLOGICAL = "technological_in_nature"
    UNCERTAINTY = "elimination_of_uncertainty"
    EXPERIMENTATION = "process_of_experimentation"


class NarrativeState(enum.StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"


class Interview(Audited, Base):
    __tablename__ = "interviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("business_components.id"), index=True)
    interviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    interviewee_name: Mapped[ShortText]
    interviewee_role: Mapped[ShortText]
    held_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    answers: Mapped[list[InterviewAnswer]] = relationship(back_populates="interview")
    interviewer: Mapped[User | None] = relationship()


class InterviewAnswer(Audited, Base):
    __tablename__ = "interview_answers"
    __table_args__ = (UniqueConstraint("interview_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interviews.id"), index=True)
    question_key: Mapped[str] = mapped_column(String(80))
    prong: Mapped[Prong] = mapped_column(enum_column(Prong))
    answer: Mapped[str] = mapped_column(Text, default="")
    quote: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    interview: Mapped[Interview] = relationship(back_populates="answers")


class Narrative(Audited, Base):
    """The story of one prong of one project; its text lives in versions."""

    __tablename__ = "narratives"
    __table_args__ = (UniqueConstraint("project_id", "prong"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("business_components.id"), index=True)
    prong: Mapped[Prong] = mapped_column(enum_column(Prong))
    state: Mapped[NarrativeState] = mapped_column(
        enum_column(NarrativeState), default=NarrativeState.DRAFT)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[dt.datetime | None]

    versions: Mapped[list[NarrativeVersion]] = relationship(
        back_populates="narrative", order_by="NarrativeVersion.number")
    submitted_by: Mapped[User | None] = relationship()


class VersionOrigin(enum.StrEnum):
    DRAFTED = "drafted"  # generated from the interview answers and the project's facts
    EDITED = "edited"  # written by a person


class NarrativeVersion(Audited, Base):
    """One saved text of a narrative; never changed after it is written, except its approval."""

    __tablename__ = "narrative_versions"
    __table_args__ = (UniqueConstraint("narrative_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    narrative_id: Mapped[int] = mapped_column(ForeignKey("narratives.id"), index=True)
    number: Mapped[int]
    markdown: Mapped[str] = mapped_column(Text)
    origin: Mapped[VersionOrigin] = mapped_column(
        enum_column(VersionOrigin), default=VersionOrigin.EDITED, server_default=VersionOrigin.EDITED.value)
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[dt.datetime | None]

    narrative: Mapped[Narrative] = relationship(back_populates="versions")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])


class ExportPackage(Audited, Base):
    """One rendered audit-defense package: its inputs digest, manifest and blobs."""

    __tablename__ = "export_packages"
    __table_args__ = (UniqueConstraint("study_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    version: Mapped[int]
    is_final: Mapped[bool] = mapped_column(default=False)
    inputs_digest: Mapped[str] = mapped_column(String(64))
    manifest_digest: Mapped[str | None] = mapped_column(String(64))
    manifest: Mapped[dict[str, Any]] = mapped_column(default=dict)
    pdf_sha256: Mapped[str | None] = mapped_column(ForeignKey("blobs.sha256"))
    zip_sha256: Mapped[str | None] = mapped_column(ForeignKey("blobs.sha256"))
    override_reason: Mapped[str | None] = mapped_column(Text)
    sealed_by: Mapped[str | None] = mapped_column(String(500))  # the sealing certificate's subject
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class FrozenVersionError(RuntimeError):
    """A saved narrative version was about to change: versions are written once."""


_FROZEN_COLUMNS = ("narrative_id", "number", "markdown", "origin", "note", "author_id", "created_at")


@event.listens_for(NarrativeVersion, "before_update")
def _versions_are_frozen(_mapper: Any, _connection: Any, version: NarrativeVersion) -> None:
    state = inspect(version)
    changed = [name for name in _FROZEN_COLUMNS if state.attrs[name].history.has_changes()]
    if changed:
        raise FrozenVersionError(
            f"narrative version {version.id} is frozen; tried to change {', '.join(changed)}")
    approval = state.attrs["approved_by_id"].history
    if approval.has_changes() and approval.deleted and approval.deleted[0] is not None:
        raise FrozenVersionError(f"narrative version {version.id} is approved; its approval cannot change")
