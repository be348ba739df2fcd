"""What a study's front page shows: counts and the next step, per area."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from studies.models import BusinessComponent, Contractor, Employee, Study


@dataclass(frozen=True)
class ProjectRow:
    project: BusinessComponent
    uncertainties: int
    experiments: int
    failed_or_abandoned: int
    layers: int


@dataclass(frozen=True)
class StudyOverview:
    study: Study
    projects: list[ProjectRow]
    employees: int
    contractors: int
    total_wages: Decimal


def _count(session: Session, model: type[Employee] | type[Contractor], study_id: int) -> int:
    query = select(func.count()).select_from(model).where(model.study_id == study_id)
    return session.execute(query).scalar_one()


def _project_row(project: BusinessComponent) -> ProjectRow:
    experiments = [e for u in project.uncertainties for e in u.experiments]
    failed = [e for e in experiments if e.outcome in ("failed", "abandoned")]
    return ProjectRow(project, len(project.uncertainties), len(experiments), len(failed),
                      len(project.layers))


def study_overview(session: Session, study: Study) -> StudyOverview:
    wages = session.scalar(select(func.coalesce(func.sum(Employee.w2_wages), 0)).where(
        Employee.study_id == study.id))
    return StudyOverview(
        study=study,
        projects=[_project_row(p) for p in study.projects],
        employees=_count(session, Employee, study.id),
        contractors=_count(session, Contractor, study.id),
        total_wages=Decimal(wages or 0),
    )


