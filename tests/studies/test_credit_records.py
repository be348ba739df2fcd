"""Activity lines, manual expenses and GL decisions reaching the credit, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from core.blobstore import LocalBlobStore
from scoring.imports import GLUpload, import_gl
from scoring.qualified import expense_of_line
from scoring.review import DecisionError, DecisionInput, decide_line
from studies.activities import (
    ActivityInput,
    activity_lines,
    add_activity,
    confirm_activity,
    propose_from_allocations,
    set_basis,
    update_activity,
)
from studies.credit.compute import compute
from studies.credit.from_study import inputs_from_study
from studies.expenses import ExpenseEntry, add_expense, delete_expense
from studies.models import (
    AllocationSource,
    BusinessComponent,
    Employee,
    Experiment,
    Layer,
    LayerKind,
    Outcome,
    UncertaintyKind,
    UncertaintyStatement,
    WageAllocation,
)
from studies.project_checks import InvalidInput
from tests.scoring.gl_helpers import canonical_csv, lines_of


@pytest.fixture
def chat(session, make_study) -> BusinessComponent:
    study = make_study()
    project = BusinessComponent(study_id=study.id, code="chat", name="Chat", sub_sector="x")
    session.add(project)
    session.flush()
    return project


def _layer(session, project, kind: LayerKind, name: str) -> Layer:
    layer = Layer(study_id=project.study_id, project_id=project.id, kind=kind, name=name)
    session.add(layer)
    session.flush()
    return layer


def test_proposed_lines_count_once_confirmed_and_qres_follow_the_claimed_layer(session, chat, make_user):
    user = make_user()
    ana = Employee(study_id=chat.study_id, name="Ana", title="ML engineer", w2_wages=D(120000))
    session.add(ana)
    session.flush()
    session.add(WageAllocation(study_id=chat.study_id, employee_id=ana.id, project_id=chat.id, percent=D(50),
                               source=AllocationSource.TIME_TRACKING))
    uncertainty = UncertaintyStatement(study_id=chat.study_id, project_id=chat.id,
                                       kind=UncertaintyKind.METHOD, statement="?",
                                       identified_on=dt.date(2025, 2, 1))
    session.add(uncertainty)
    session.flush()
    session.add(Experiment(study_id=chat.study_id, uncertainty_id=uncertainty.id, name="hybrid retrieval",
                           outcome=Outcome.FAILED))
    session.flush()
    with pytest.raises(InvalidInput):
        propose_from_allocations(session, chat)  # no cost basis declared yet
    set_basis(chat, "cost")
    # Proposed: Ana 50% of 120,000 = 60,000, experimentation (an evaluated experiment is recorded).
    (proposed,) = propose_from_allocations(session, chat)
    assert (proposed.measure, proposed.experimentation, proposed.confirmed_at) == (D("60000.00"), True, None)
    assert propose_from_allocations(session, chat) == []  # each allocation is proposed once
    session.refresh(chat)
    result = compute(inputs_from_study(session, chat.study))
    test = result.tests[0]
    assert test.status == "not_measured" and test.unconfirmed == 1

    # The interviewer splits Ana's cost by layer: 48,000 experiments in the custom retrieval layer,
    # 12,000 routine prompt configuration on the vendor model; plus 4,000 of routine integration in
    # the custom layer. Whole: 48,000 / 64,000 = 75% fails; custom: 48,000 / 52,000 = 92.31% passes,
    # and is 52,000 / 64,000 = 81.25% of the component: 81.25% of 60,000 wages = 48,750 counts.
    custom = _layer(session, chat, LayerKind.QUALIFYING_ENGINEERING, "custom retrieval")
    vendor = _layer(session, chat, LayerKind.THIRD_PARTY_MODEL, "hosted LLM")
    update_activity(session, proposed, ActivityInput("Ana: retrieval experiments", "48,000", True, custom.id,
                                                     proposed.source), user_id=user.id)
    add_activity(session, chat, ActivityInput("Ana: prompt configuration", "12000", False, vendor.id),
                 user_id=user.id)
    routine = add_activity(session, chat, ActivityInput("Integration", "4000", False, str(custom.id)),
                           user_id=None)
    confirm_activity(routine, user_id=user.id)
    session.commit()
    session.refresh(chat)
    result = compute(inputs_from_study(session, chat.study))
    test = result.tests[0]
    assert test.status == "shrunk_back" and test.whole.share == D("0.7500")
    assert test.claimed.subject == "the qualifying engineering custom retrieval (without hosted LLM)"
    assert test.fraction == D("0.8125") and result.schedule.total == D("48750.00")
    assert [a.confirmed_by_id for a in activity_lines(session, chat)] == [user.id] * 3
    with pytest.raises(InvalidInput) as refused:
        add_activity(session, chat, ActivityInput("", "-5", False, "999999"), user_id=None)
    assert set(refused.value.errors) == {"label", "measure", "layer"}


def test_a_manual_foreign_cloud_expense_is_excluded_and_split_under_174(session, chat, make_user):
    study = chat.study
    user = make_user()
    add_expense(session, study, ExpenseEntry("computer_rental", "GPU Cloud EU", "training cluster", "30,000",
                                             "100", "ie", chat.id, "INV-7"), user_id=user.id)
    us = add_expense(session, study, ExpenseEntry("computer_rental", "AWS", "experiments", "$20,000", "50%",
                                                  "", chat.id, "INV-8"), user_id=user.id)
    session.commit()
    result = compute(inputs_from_study(session, study))
    # US: 20,000 x 50% = 10,000 counts; Ireland: 30,000 excluded, reported as foreign (§174).
    assert result.form.lines["44"] == D("10000.00")
    assert result.schedule.section_174() == {"domestic_174a": D("10000.00"), "foreign_174": D("30000.00")}
    assert "outside the United States (IE)" in result.schedule.excluded[0].excluded_reason
    with pytest.raises(InvalidInput) as refused:
        add_expense(session, study, ExpenseEntry("gpus", "", "", "x", "150", "USA", None, ""), user_id=None)
    assert set(refused.value.errors) == {
        "category", "vendor", "amount", "qualified_share", "country", "reference"}
    delete_expense(session, study, us.id)
    assert compute(inputs_from_study(session, study)).form.lines["44"] == 0


def test_a_gl_decision_carries_where_the_research_was_done(db, session, tmp_path, chat, make_user):
    reviewer = make_user()
    import_id = import_gl(db, LocalBlobStore(tmp_path / "blobs"), chat.study_id, canonical_csv(),
                          GLUpload("ledger.csv", blind_share=0.0))
    line = next(x for x in lines_of(session, import_id) if x.vendor == "Lambda Labs")
    with pytest.raises(DecisionError) as refused:
        decide_line(session, chat.study_id, line.id,
                    DecisionInput("qualified", "computer_rental", "100", chat.id, country="Ireland"),
                    user_id=reviewer.id)
    assert "country" in refused.value.errors
    decide_line(session, chat.study_id, line.id,
                DecisionInput("qualified", "computer_rental", "100", chat.id, country="ie"),
                user_id=reviewer.id)
    session.commit()
    assert expense_of_line(session, line).country == "IE"
    result = compute(inputs_from_study(session, chat.study))
    assert result.form.lines["44"] == 0
    assert result.schedule.section_174()["foreign_174"] == line.amount
