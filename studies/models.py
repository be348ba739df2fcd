"""Tables owned by ``studies``: clients, studies, members, projects and the credit inputs."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.audit import Audited
from core.db import Base, utcnow
from core.types import Money, Percent, ShortText, enum_column
from core.users import User


class Role(enum.StrEnum):
    ADMIN = "admin"
    INTERVIEWER = "interviewer"
    ENGINEER = "engineer"
    CPA = "cpa"


class EntityType(enum.StrEnum):
    C_CORP = "c_corp"
    S_CORP = "s_corp"
    PARTNERSHIP = "partnership"
    LLC = "llc"
    SOLE_PROPRIETOR = "sole_proprietor"


class CreditMethod(enum.StrEnum):
    BEST = "best"
    REGULAR = "regular"
    ASC = "asc"


class UncertaintyKind(enum.StrEnum):
    CAPABILITY = "capability"
    METHOD = "method"
    APPROPRIATE_DESIGN = "appropriate_design"


class Outcome(enum.StrEnum):
    ONGOING = "ongoing"
    BASELINE = "baseline"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    INCONCLUSIVE = "inconclusive"
    ABANDONED = "abandoned"


class LayerKind(enum.StrEnum):
    QUALIFYING_ENGINEERING = "qualifying_engineering"
    THIRD_PARTY_MODEL = "third_party_model"
    EXCLUDED_ACTIVITY = "excluded_activity"


class WageActivity(enum.StrEnum):
    DIRECT_RESEARCH = "direct_research"
    DIRECT_SUPERVISION = "direct_supervision"
    DIRECT_SUPPORT = "direct_support"


class AllocationSource(enum.StrEnum):
    INTERVIEW = "interview"
    TIME_SURVEY = "time_survey"
    TIME_TRACKING = "time_tracking"
    GIT_ACTIVITY = "git_activity"


class ResearchOrgType(enum.StrEnum):
    OTHER = "other"
    CONSORTIUM = "qualified_research_consortium"
    SMALL_BUSINESS = "eligible_small_business"
    UNIVERSITY = "university"
    FEDERAL_LAB = "federal_laboratory"


class ExpenseCategory(enum.StrEnum):
    SUPPLIES = "supplies"
    COMPUTER_RENTAL = "computer_rental"
    CONTRACT_RESEARCH = "contract_research"


class Organization(Audited, Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[ShortText]
    ein: Mapped[str | None] = mapped_column(String(20))
    entity_type: Mapped[EntityType] = mapped_column(enum_column(EntityType), default=EntityType.C_CORP)
    sub_sector: Mapped[str] = mapped_column(String(60))
    state: Mapped[str | None] = mapped_column(String(2))
    founded_year: Mapped[int | None]
    # Form 6765 item B and line 49(b): the principal business activity code of the return.
    controlled_group: Mapped[bool] = mapped_column(default=False, server_default="0")
    business_activity_code: Mapped[str | None] = mapped_column(String(6))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    years: Mapped[list[OrganizationYear]] = relationship(
        back_populates="organization", order_by="OrganizationYear.year")


class OrganizationYear(Audited, Base):
    """A client's figures for one tax year: gross receipts and (for prior years) QREs."""

    __tablename__ = "organization_years"
    __table_args__ = (UniqueConstraint("organization_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    year: Mapped[int]
    gross_receipts: Mapped[Money | None]
    qres: Mapped[Money | None]

    organization: Mapped[Organization] = relationship(back_populates="years")


class Study(Audited, Base):
    """One client's credit study for one tax year."""

    __tablename__ = "studies"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[ShortText]
    tax_year: Mapped[int]
    credit_method: Mapped[CreditMethod] = mapped_column(
        enum_column(CreditMethod), default=CreditMethod.BEST)
    reduced_credit_election: Mapped[bool] = mapped_column(default=False)
    payroll_election: Mapped[bool] = mapped_column(default=False)
    # Form 6765 line 33b, and the inputs of the payroll election's limits (lines 33a-36).
    payroll_tax_other_ein: Mapped[bool] = mapped_column(default=False, server_default="0")
    prior_payroll_election_years: Mapped[int] = mapped_column(default=0, server_default="0")
    credit_carryforward: Mapped[Money | None]
    amended_return: Mapped[bool] = mapped_column(default=False)
    fixed_base_percentage: Mapped[Decimal | None] = mapped_column(Numeric(7, 6))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    organization: Mapped[Organization] = relationship()
    memberships: Mapped[list[Membership]] = relationship(back_populates="study")
    projects: Mapped[list[BusinessComponent]] = relationship(
        back_populates="study", order_by="BusinessComponent.name")

    def audit_study_id(self) -> int | None:
        return self.id


class Membership(Audited, Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("study_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    study: Mapped[Study] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()


class ApiToken(Audited, Base):
    """A per-study token for engineers' pipelines; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"
    __audit_exclude__ = ("token_hash",)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[ShortText]
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime | None]
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship()


class BusinessComponent(Audited, Base):
    """A project: the unit the four-part test is applied to (§41(d))."""

    __tablename__ = "business_components"
    __table_args__ = (UniqueConstraint("study_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    code: Mapped[str] = mapped_column(String(60))
    name: Mapped[ShortText]
    component_type: Mapped[str] = mapped_column(String(40), default="software")
    sub_sector: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text, default="")
    information_sought: Mapped[str] = mapped_column(Text, default="")
    permitted_purpose: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    internal_use_software: Mapped[bool] = mapped_column(default=False)
    # Internal-use software must also pass the high threshold of innovation (Treas. Reg. §1.41-4(c)(6)).
    hti_innovative: Mapped[str] = mapped_column(Text, default="", server_default="")
    hti_economic_risk: Mapped[str] = mapped_column(Text, default="", server_default="")
    hti_not_commercially_available: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Funded research is excluded (§41(d)(4)(H)); the reason says who pays and why it is funded.
    funded_reason: Mapped[str | None] = mapped_column(Text)
    # The declared basis of the "substantially all" test (hours or cost); None: not measured yet.
    activity_basis: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    study: Mapped[Study] = relationship(back_populates="projects")
    uncertainties: Mapped[list[UncertaintyStatement]] = relationship(
        back_populates="project", order_by="UncertaintyStatement.identified_on")
    layers: Mapped[list[Layer]] = relationship(back_populates="project")


class UncertaintyStatement(Audited, Base):
    __tablename__ = "uncertainty_statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("business_components.id"), index=True)
    kind: Mapped[UncertaintyKind] = mapped_column(enum_column(UncertaintyKind))
    statement: Mapped[str] = mapped_column(Text)
    identified_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    project: Mapped[BusinessComponent] = relationship(back_populates="uncertainties")
    experiments: Mapped[list[Experiment]] = relationship(
        back_populates="uncertainty", order_by="Experiment.started_on")


class Experiment(Audited, Base):
    """An alternative evaluated to resolve an uncertainty, failures included."""

    __tablename__ = "experiments"

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    uncertainty_id: Mapped[int] = mapped_column(
        ForeignKey("uncertainty_statements.id"), index=True)
    name: Mapped[ShortText]
    hypothesis: Mapped[str] = mapped_column(Text, default="")
    method: Mapped[str] = mapped_column(Text, default="")
    started_on: Mapped[dt.date | None] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome), default=Outcome.ONGOING)
    metrics: Mapped[dict[str, Any]] = mapped_column(default=dict)
    notes: Mapped[str] = mapped_column(Text, default="")

    uncertainty: Mapped[UncertaintyStatement] = relationship(back_populates="experiments")


class Layer(Audited, Base):
    """Where a project's line runs: qualifying engineering, third-party model, or excluded."""

    __tablename__ = "layers"

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("business_components.id"), index=True)
    kind: Mapped[LayerKind] = mapped_column(enum_column(LayerKind))
    name: Mapped[ShortText]
    vendor: Mapped[str | None] = mapped_column(String(120))
    model: Mapped[str | None] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(Text, default="")

    project: Mapped[BusinessComponent] = relationship(back_populates="layers")


class ComponentActivity(Audited, Base):
    """One activity of a project measured on its declared basis, for the "substantially all" test.

    Proposed lines (from wage allocations) count only once someone confirms them; a line in a
    layer lets the shrinking-back rule test that layer on its own.
    """

    __tablename__ = "component_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("business_components.id"), index=True)
    layer_id: Mapped[int | None] = mapped_column(ForeignKey("layers.id", ondelete="SET NULL"))
    label: Mapped[ShortText]
    measure: Mapped[Money]
    experimentation: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(String(200), default="")
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    layer: Mapped[Layer | None] = relationship()


class Employee(Audited, Base):
    __tablename__ = "employees"

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    name: Mapped[ShortText]
    email: Mapped[str | None] = mapped_column(String(254))
    title: Mapped[ShortText]
    w2_wages: Mapped[Money]
    state: Mapped[str | None] = mapped_column(String(2))
    country: Mapped[str] = mapped_column(String(2), default="US")
    is_officer: Mapped[bool] = mapped_column(default=False)

    allocations: Mapped[list[WageAllocation]] = relationship(back_populates="employee")


class WageAllocation(Audited, Base):
    """The share of an employee's time on a project, with the basis it was measured on."""

    __tablename__ = "wage_allocations"
    __table_args__ = (UniqueConstraint("employee_id", "project_id", "activity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("business_components.id"), index=True)
    activity: Mapped[WageActivity] = mapped_column(
        enum_column(WageActivity), default=WageActivity.DIRECT_RESEARCH)
    percent: Mapped[Percent]
    source: Mapped[AllocationSource] = mapped_column(enum_column(AllocationSource))
    note: Mapped[str] = mapped_column(Text, default="")

    employee: Mapped[Employee] = relationship(back_populates="allocations")
    project: Mapped[BusinessComponent] = relationship()


class Contractor(Audited, Base):
    """A contract-research engagement (65% rule, US only, rights and risk tests)."""

    __tablename__ = "contractors"

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("business_components.id"))
    name: Mapped[ShortText]
    country: Mapped[str] = mapped_column(String(2), default="US")
    amount_paid: Mapped[Money]
    rights_retained: Mapped[bool] = mapped_column(default=True)
    risk_borne: Mapped[bool] = mapped_column(default=True)
    org_type: Mapped[ResearchOrgType] = mapped_column(
        enum_column(ResearchOrgType), default=ResearchOrgType.OTHER)
    description: Mapped[str] = mapped_column(Text, default="")
    excluded_reason: Mapped[str | None] = mapped_column(Text)

    project: Mapped[BusinessComponent | None] = relationship()


class QualifiedExpense(Audited, Base):
    """A supply, computer-rental or contract-research amount the credit engine reads."""

    __tablename__ = "qualified_expenses"

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("business_components.id"))
    category: Mapped[ExpenseCategory] = mapped_column(enum_column(ExpenseCategory))
    vendor: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    amount: Mapped[Money]
    qualified_share: Mapped[Percent] = mapped_column(default=Decimal("100"))
    country: Mapped[str] = mapped_column(String(2), default="US")
    source_kind: Mapped[str] = mapped_column(String(40))
    source_ref: Mapped[str] = mapped_column(String(120))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[dt.datetime | None]
