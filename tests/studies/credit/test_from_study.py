"""Engine inputs built from a study's records, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from studies.credit.compute import compute
from studies.credit.from_study import inputs_from_study
from studies.models import (
    AllocationSource,
    BusinessComponent,
    Contractor,
    Employee,
    ExpenseCategory,
    OrganizationYear,
    QualifiedExpense,
    WageActivity,
    WageAllocation,
)


def _project(session, study, code: str) -> BusinessComponent:
    project = BusinessComponent(
        study=study,
        code=code,
        name=code.upper(),
        sub_sector="x",
        information_sought=f"What {code} can reach",
    )
    session.add(project)
    session.flush()
    return project


def test_inputs_and_credit_from_a_study(session, make_study, make_user) -> None:
    study = make_study(tax_year=2025)
    reviewer = make_user()
    study.credit_method = study.credit_method.ASC
    for year, receipts, qres in (
        (2022, 100000, 200000),
        (2023, 300000, 300000),
        (2024, 600000, 400000),
        (2025, 900000, None),
    ):
        session.add(
            OrganizationYear(
                organization=study.organization,
                year=year,
                gross_receipts=D(receipts),
                qres=None if qres is None else D(qres),
            )
        )
    rag, bare = _project(session, study, "rag"), _project(session, study, "bare")
    ana = Employee(
        study_id=study.id, name="Ana", title="ML engineer", w2_wages=D(100000), is_officer=True
    )
    session.add(ana)
    session.flush()
    session.add(
        WageAllocation(
            study_id=study.id,
            employee_id=ana.id,
            project_id=rag.id,
            percent=D(85),
            activity=WageActivity.DIRECT_RESEARCH,
            source=AllocationSource.TIME_TRACKING,
        )
    )
    session.add(Contractor(study_id=study.id, project_id=rag.id, name="Labelers", amount_paid=D(20000)))
    session.add(
        Contractor(
            study_id=study.id,
            project_id=rag.id,
            name="Kept IP",
            amount_paid=D(50000),
            rights_retained=False,
        )
    )
    approved = dict(
        study_id=study.id,
        source_kind="gl_line",
        source_ref="GL-1",
        approved_by_id=reviewer.id,
        approved_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
    )
    session.add(
        QualifiedExpense(
            **approved,
            project_id=bare.id,
            category=ExpenseCategory.COMPUTER_RENTAL,
            vendor="GPU cloud",
            amount=D(10000),
            qualified_share=D(50),
        )
    )
    session.add(
        QualifiedExpense(
            **approved,
            project_id=rag.id,
            category=ExpenseCategory.CONTRACT_RESEARCH,
            vendor="Consultant",
            amount=D(1000),
        )
    )
    session.add(
        QualifiedExpense(
            study_id=study.id,
            project_id=rag.id,
            category=ExpenseCategory.SUPPLIES,
            amount=D(777),
            source_kind="gl_line",
            source_ref="GL-2",
        )
    )  # not approved
    session.commit()

    inputs = inputs_from_study(session, study)
    assert inputs.history.qres == {2022: D(200000), 2023: D(300000), 2024: D(400000)}
    assert inputs.history.gross_receipts[2025] == D(900000)
    assert [c.code for c in inputs.components] == ["bare", "rag"]

    result = compute(inputs)
    schedule = result.schedule
    # Ana 85% >= 80%: 100,000; Labelers 65% of 20,000 = 13,000; Kept IP excluded; GPU 50% of 10,000
    # = 5,000; consultant GL line 65% of 1,000 = 650; the unapproved supply is not read.
    assert schedule.category("wages") == D(100000) and schedule.officer_wages == D(100000)
    assert schedule.category("contract_research") == D("13650.00")
    assert schedule.category("computer_rental") == D("5000.00") and schedule.category("supplies") == 0
    assert "does not keep substantial rights" in (schedule.excluded[0].excluded_reason or "")
    bare_row = next(c for c in schedule.components if c.code == "bare")
    assert bare_row.category("wages") == 0 and bare_row.total == D("5000.00")  # a project with no wages
    # ASC: (200k + 300k + 400k) / 6 = 150,000; (118,650 - 150,000) < 0, so no ASC credit.
    assert result.choice.method == "asc" and result.choice.credit == 0
    assert result.tie_out.ok, result.tie_out.problems
    wage_item = next(i for i in schedule.items if i.category == "wages")
    assert wage_item.sources == (
        f"employee #{ana.id} Ana",
        f"allocation #{ana.allocations[0].id} rag direct_research 85.00% (time_tracking)",
    )
