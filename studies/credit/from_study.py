"""Building the engine's inputs from a study's records (read-only).

Only approved qualified expenses (``approved_by_id`` set) are read, and only confirmed activity
lines feed the "substantially all" test. Fields the schema does not hold yet take safe defaults: no
contractor is marked as doing qualified energy research (so universities and small businesses
count at 65%).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from studies.credit.inputs import (
    Activity,
    ActivityLevel,
    Allocation,
    Component,
    ContractInput,
    CreditInputs,
    Elections,
    EmployeeInput,
    ExpenseInput,
    History,
    OtherAmounts,
)
from studies.credit.levels import LayerKindOf, LayerLine
from studies.credit.levels import activity_levels as levels_of
from studies.models import (
    BusinessComponent,
    ComponentActivity,
    Contractor,
    Employee,
    ExpenseCategory,
    LayerKind,
    QualifiedExpense,
    Study,
    UncertaintyStatement,
)

COMPONENT_TYPES = {"software": "computer software"}


def inputs_from_study(session: Session, study: Study) -> CreditInputs:
    organization = study.organization
    return CreditInputs(
        tax_year=study.tax_year,
        history=_history(study),
        components=_components(session, study),
        employees=tuple(_employee(e) for e in _employees(session, study)),
        contractors=tuple(_contractor(c) for c in _contractors(session, study))
        + _contract_expenses(session, study),
        expenses=_expenses(session, study),
        fixed_base_percentage=study.fixed_base_percentage,
        elections=Elections(
            method=study.credit_method.value,
            reduced_credit=study.reduced_credit_election,
            payroll=study.payroll_election,
            prior_payroll_election_years=study.prior_payroll_election_years,
            payroll_other_ein=study.payroll_tax_other_ein,
        ),
        other=OtherAmounts(credit_carryforward=study.credit_carryforward),
        entity_type=organization.entity_type.value,
        amended_return=study.amended_return,
        controlled_group=organization.controlled_group,
        ein=organization.ein,
        business_activity_code=organization.business_activity_code,
    )


def _history(study: Study) -> History:
    years = study.organization.years
    receipts = {y.year: y.gross_receipts for y in years if y.gross_receipts is not None}
    qres = {y.year: y.qres for y in years if y.qres is not None and y.year < study.tax_year}
    return History(receipts, qres)


def _projects(session: Session, study: Study) -> list[BusinessComponent]:
    query = (
        select(BusinessComponent)
        .where(BusinessComponent.study_id == study.id)
        .options(
            selectinload(BusinessComponent.uncertainties).selectinload(UncertaintyStatement.experiments),
            selectinload(BusinessComponent.layers),
        )
        .order_by(BusinessComponent.code)
    )
    return list(session.scalars(query))


def _components(session: Session, study: Study) -> tuple[Component, ...]:
    activities = _activities(session, study)
    return tuple(_component(p, activities.get(p.id, [])) for p in _projects(session, study))


def _activities(session: Session, study: Study) -> dict[int, list[ComponentActivity]]:
    query = (
        select(ComponentActivity)
        .where(ComponentActivity.study_id == study.id)
        .order_by(ComponentActivity.id)
    )
    found: dict[int, list[ComponentActivity]] = {}
    for activity in session.scalars(query):
        found.setdefault(activity.project_id, []).append(activity)
    return found


def activity_levels(
    project: BusinessComponent, lines: list[ComponentActivity]
) -> tuple[ActivityLevel, ...]:
    """The levels the shrinking-back rule tests, from the confirmed lines only."""
    confirmed = [
        LayerLine(Activity(a.label, a.measure, a.experimentation, a.source),
                  a.layer.name if a.layer else None)
        for a in lines
        if a.confirmed_at is not None
    ]
    layers = [LayerKindOf(layer.name, layer.kind == LayerKind.QUALIFYING_ENGINEERING)
              for layer in project.layers]
    return levels_of(project.name, confirmed, layers)


def _component(project: BusinessComponent, lines: list[ComponentActivity]) -> Component:
    kind = COMPONENT_TYPES.get(project.component_type, project.component_type)
    software = None
    if kind == "computer software":
        software = (
            "internal use software" if project.internal_use_software else "not internal use software"
        )
    activities = tuple(
        f"{e.name} ({e.outcome.value}): {e.method}".rstrip(": ")
        for u in project.uncertainties
        for e in u.experiments
    )
    return Component(
        project.code,
        project.name,
        kind,
        software,
        project.information_sought,
        activities,
        project.funded_reason or None,
        project.activity_basis,
        activity_levels(project, lines) if project.activity_basis else (),
        sum(1 for a in lines if a.confirmed_at is None),
    )


def _employees(session: Session, study: Study) -> list[Employee]:
    query = (
        select(Employee)
        .where(Employee.study_id == study.id)
        .options(selectinload(Employee.allocations))
        .order_by(Employee.name, Employee.id)
    )
    return list(session.scalars(query))


def _employee(employee: Employee) -> EmployeeInput:
    allocations = tuple(
        Allocation(f"#{a.id}", a.project.code, a.percent, a.activity.value, a.source.value)
        for a in sorted(employee.allocations, key=lambda a: a.id)
    )
    return EmployeeInput(
        f"#{employee.id}",
        employee.name,
        employee.w2_wages,
        allocations,
        employee.country,
        employee.is_officer,
    )


def _contractors(session: Session, study: Study) -> list[Contractor]:
    query = (
        select(Contractor)
        .where(Contractor.study_id == study.id)
        .order_by(Contractor.name, Contractor.id)
    )
    return list(session.scalars(query))


def _contractor(contractor: Contractor) -> ContractInput:
    return ContractInput(
        f"#{contractor.id}",
        contractor.name,
        contractor.amount_paid,
        contractor.project.code if contractor.project else None,
        contractor.country,
        contractor.rights_retained,
        contractor.risk_borne,
        contractor.org_type.value,
        excluded_reason=contractor.excluded_reason,
    )


def _approved(session: Session, study: Study) -> list[QualifiedExpense]:
    query = (
        select(QualifiedExpense)
        .where(QualifiedExpense.study_id == study.id, QualifiedExpense.approved_by_id.is_not(None))
        .order_by(QualifiedExpense.id)
    )
    return list(session.scalars(query))


def _project_code(session: Session, project_id: int | None) -> str | None:
    if project_id is None:
        return None
    return session.get_one(BusinessComponent, project_id).code


def _expense_label(expense: QualifiedExpense) -> str:
    return f"{expense.vendor} {expense.description} ({expense.source_kind} {expense.source_ref})".strip()


def _expenses(session: Session, study: Study) -> tuple[ExpenseInput, ...]:
    return tuple(
        ExpenseInput(
            f"#{e.id}",
            e.category.value,
            e.amount,
            _project_code(session, e.project_id),
            e.qualified_share,
            e.country,
            _expense_label(e),
        )
        for e in _approved(session, study)
        if e.category != ExpenseCategory.CONTRACT_RESEARCH
    )


def _contract_expenses(session: Session, study: Study) -> tuple[ContractInput, ...]:
    """Approved GL lines for contract research: the qualified share of the amount is what was paid."""
    return tuple(
        ContractInput(
            f"expense #{e.id}",
            _expense_label(e),
            e.amount * e.qualified_share / Decimal(100),
            _project_code(session, e.project_id),
            e.country,
        )
        for e in _approved(session, study)
        if e.category == ExpenseCategory.CONTRACT_RESEARCH
    )
