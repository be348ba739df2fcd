"""Small study records the credit tests share: one engineer whose time is allocated to one project."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from studies.models import AllocationSource, BusinessComponent, Employee, Study, WageAllocation


def project_with_engineer(session: Session, study: Study, *, wages: int, percent: int,
                          **project_fields: str) -> BusinessComponent:
    """Project ``chat`` with Ana, an engineer paid ``wages``, spending ``percent`` of her time on it."""
    project = BusinessComponent(study_id=study.id, code="chat", name="Chat", sub_sector="x", **project_fields)
    session.add(project)
    session.flush()
    ana = Employee(study_id=study.id, name="Ana", title="Engineer", w2_wages=Decimal(wages))
    session.add(ana)
    session.flush()
    session.add(WageAllocation(study_id=study.id, employee_id=ana.id, project_id=project.id,
                               percent=Decimal(percent), source=AllocationSource.TIME_SURVEY))
    return project
