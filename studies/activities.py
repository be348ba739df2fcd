"""A project's activity lines for the "substantially all" test: declared basis, lines, proposals.

A line typed by a person is confirmed by them. Lines proposed from the recorded wage allocations
(cost basis: W-2 wages x the allocated percent) are not, and the test leaves them out until
someone confirms them, so a guessed split never reaches the credit unseen.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import utcnow
from studies.models import (
    BusinessComponent,
    ComponentActivity,
    Experiment,
    Layer,
    Outcome,
    UncertaintyStatement,
    WageAllocation,
)
from studies.project_checks import NAME_LIMIT, Checks, InvalidInput

BASES = ("hours", "cost")
# Outcomes of alternatives actually evaluated; a baseline or an ongoing run evaluates nothing yet.
EVALUATED = (Outcome.SUCCEEDED, Outcome.FAILED, Outcome.INCONCLUSIVE, Outcome.ABANDONED)


@dataclass(frozen=True)
class ActivityInput:
    """An activity line as a form gives it (text)."""

    label: str
    measure: str
    experimentation: bool
    layer_id: str | int | None = None
    source: str = ""


def activity_lines(session: Session, project: BusinessComponent) -> list[ComponentActivity]:
    query = (
        select(ComponentActivity)
        .where(ComponentActivity.project_id == project.id)
        .order_by(ComponentActivity.id)
    )
    return list(session.scalars(query))


def set_basis(project: BusinessComponent, basis: str | None) -> None:
    if basis not in (*BASES, None):
        raise InvalidInput({"basis": f"The basis {basis!r} is not one of: hours, cost."})
    project.activity_basis = basis


def add_activity(session: Session, project: BusinessComponent, data: ActivityInput, *,
                 user_id: int | None) -> ComponentActivity:
    line = ComponentActivity(study_id=project.study_id, project_id=project.id)
    _fill(session, project, line, data)
    _confirm(line, user_id)
    session.add(line)
    session.flush()
    return line


def update_activity(session: Session, line: ComponentActivity, data: ActivityInput, *,
                    user_id: int | None) -> ComponentActivity:
    """Saving a line is confirming it."""
    project = session.get_one(BusinessComponent, line.project_id)
    _fill(session, project, line, data)
    _confirm(line, user_id)
    session.flush()
    return line


def confirm_activity(line: ComponentActivity, *, user_id: int | None) -> None:
    _confirm(line, user_id)


def delete_activity(session: Session, line: ComponentActivity) -> None:
    session.delete(line)
    session.flush()


def find_activity(session: Session, project: BusinessComponent, line_id: int) -> ComponentActivity | None:
    line = session.get(ComponentActivity, line_id)
    return line if line is not None and line.project_id == project.id else None


def propose_from_allocations(session: Session, project: BusinessComponent) -> list[ComponentActivity]:
    """Unconfirmed cost-basis lines, one per wage allocation not proposed before.

    Each is proposed as experimentation when the project records at least one evaluated
    alternative (an experiment that succeeded, failed, was inconclusive or abandoned); the person
    who confirms splits out the routine share.
    """
    if project.activity_basis != "cost":
        raise InvalidInput(
            {"basis": "Proposals from wage allocations are costs: declare the cost basis first."})
    existing = {line.source for line in activity_lines(session, project)}
    evaluated = _evaluated_experiments(session, project)
    proposed = []
    for allocation in _allocations(session, project):
        source = f"wage allocation #{allocation.id} ({allocation.source.value})"
        if source in existing:
            continue
        employee = allocation.employee
        line = ComponentActivity(
            study_id=project.study_id, project_id=project.id,
            label=f"{employee.name}, {allocation.activity.value.replace('_', ' ')} {allocation.percent}%",
            measure=(employee.w2_wages * allocation.percent / 100).quantize(Decimal("0.01")),
            experimentation=evaluated > 0, source=source)
        session.add(line)
        proposed.append(line)
    session.flush()
    return proposed


def _allocations(session: Session, project: BusinessComponent) -> list[WageAllocation]:
    query = select(WageAllocation).where(WageAllocation.project_id == project.id).order_by(WageAllocation.id)
    return list(session.scalars(query))


def _evaluated_experiments(session: Session, project: BusinessComponent) -> int:
    query = (
        select(Experiment.id)
        .join(UncertaintyStatement, Experiment.uncertainty_id == UncertaintyStatement.id)
        .where(UncertaintyStatement.project_id == project.id, Experiment.outcome.in_(EVALUATED))
    )
    return len(list(session.scalars(query)))


def _confirm(line: ComponentActivity, user_id: int | None) -> None:
    line.confirmed_by_id = user_id
    line.confirmed_at = utcnow()


def _fill(session: Session, project: BusinessComponent, line: ComponentActivity, data: ActivityInput) -> None:
    checks = Checks()
    label = checks.text("label", data.label, "The activity", required=True, limit=NAME_LIMIT)
    source = checks.text("source", data.source, "The source", limit=200)
    measure = checks.number("measure", data.measure, "The measure")
    layer_id = _layer(session, project, data.layer_id, checks)
    checks.done()
    assert measure is not None
    line.label, line.measure, line.source = label, measure, source
    line.experimentation, line.layer_id = bool(data.experimentation), layer_id


def _layer(
    session: Session, project: BusinessComponent, value: str | int | None, checks: Checks
) -> int | None:
    text = str(value).strip() if value is not None else ""
    if not text:
        return None
    layer = session.get(Layer, int(text)) if text.isdigit() else None
    if layer is None or layer.project_id != project.id:
        checks.fail("layer", "Not a layer of this project.")
        return None
    return layer.id
