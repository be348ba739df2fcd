"""Tables owned by ``scoring``: imported general ledgers, their scores and reviews, models."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.audit import Audited
from core.db import Base, utcnow
from core.embeddings import EmbeddingCacheEntry  # noqa: F401  (its table moved to core; kept importable here)
from core.types import Money, Percent, ShortText, enum_column
from studies.models import ExpenseCategory


class GLImport(Audited, Base):
    __tablename__ = "gl_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    original_name: Mapped[str] = mapped_column(String(300))
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    source_format: Mapped[str] = mapped_column(String(40))
    row_count: Mapped[int]
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    scoring_model_id: Mapped[int | None] = mapped_column(ForeignKey("scoring_models.id"))
    company: Mapped[str] = mapped_column(String(200), default="")
    industry: Mapped[str] = mapped_column(String(200), default="")
    # How the file was read: header row, sheet, conventions and, for other layouts, the confirmed mapping.
    reading: Mapped[dict[str, Any]] = mapped_column(default=dict)
    blind_share: Mapped[float] = mapped_column(default=0.0)


class GLAccount(Audited, Base):
    __tablename__ = "gl_accounts"
    __table_args__ = (UniqueConstraint("import_id", "number", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("gl_imports.id"), index=True)
    number: Mapped[str] = mapped_column(String(40))
    name: Mapped[ShortText]
    account_type: Mapped[str] = mapped_column(String(80), default="")
    score: Mapped[float | None]
    blind_review: Mapped[bool] = mapped_column(default=False)

    expenses: Mapped[list[GLExpense]] = relationship(back_populates="account")


class GLExpense(Audited, Base):
    """One general-ledger line, its model score and the reviewer's decision."""

    __tablename__ = "gl_expenses"

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("gl_imports.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("gl_accounts.id"), index=True)
    row_number: Mapped[int]
    posted_on: Mapped[dt.date | None] = mapped_column(Date)
    vendor: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    amount: Mapped[Money]
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
    score: Mapped[float | None]
    qualified: Mapped[bool | None]
    category: Mapped[ExpenseCategory | None] = mapped_column(enum_column(ExpenseCategory))
    qualified_share: Mapped[Percent | None]
    project_id: Mapped[int | None] = mapped_column(ForeignKey("business_components.id"))
    country: Mapped[str | None] = mapped_column(String(2))  # where the research it paid for was done
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None]

    account: Mapped[GLAccount] = relationship(back_populates="expenses")

    @property
    def qualified_amount(self) -> Decimal:
        if not self.qualified or self.qualified_share is None:
            return Decimal("0")
        return (self.amount * self.qualified_share / 100).quantize(Decimal("0.01"))


class ScoringModel(Base):
    """A trained expense or account model: XGBoost JSON in a blob, plus its model card."""

    __tablename__ = "scoring_models"
    __table_args__ = (UniqueConstraint("kind", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    version: Mapped[int]
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    card: Mapped[dict[str, Any]] = mapped_column(default=dict)
    threshold: Mapped[float]
    active: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    notes: Mapped[str] = mapped_column(Text, default="")
