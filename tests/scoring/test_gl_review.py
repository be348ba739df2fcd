"""Reviewing GL lines: decisions and their checks, bulk, qualified expenses for the credit, the lists."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.audit import Actor, AuditEvent, acting_as
from core.blobstore import LocalBlobStore
from scoring.imports import GLUpload, import_gl
from scoring.models import ScoringModel
from scoring.qualified import expense_of_line
from scoring.review import DecisionError, DecisionInput, decide_line, decide_lines
from scoring.review_lists import (
    account_lines,
    account_rows,
    disagreements,
    log_loss,
    study_imports,
    thresholds,
)
from studies.credit.from_study import inputs_from_study
from studies.models import BusinessComponent, ExpenseCategory, QualifiedExpense
from tests.scoring.gl_helpers import accounts_of, canonical_csv, lines_of, set_scores

EXPENSE_SCORES = {"Amazon Web Services": 0.94, "Lambda Labs": 0.81, "Digi-Key": 0.66,
                  "Quantile Labs LLC": 0.58, "Slack": 0.07, "1Password": 0.04, "Staples": 0.12}
ACCOUNT_SCORES = {"6120": 0.97, "6150": 0.71, "6300": 0.62, "6400": 0.2, "6500": 0.15, "4000": 0.01}
QUALIFY = DecisionInput("qualified", category="computer_rental", share="100")


@pytest.fixture
def reviewer(make_user):
    return make_user(name="Casey CPA")


@pytest.fixture
def study(make_study, reviewer):
    return make_study()


@pytest.fixture
def project(session, study) -> BusinessComponent:
    component = BusinessComponent(study_id=study.id, code="rag", name="Retrieval",
                                  sub_sector="ai_native_product_engineering")
    session.add(component)
    session.commit()
    return component


@pytest.fixture
def gl(db, session, tmp_path, study) -> int:
    import_id = import_gl(db, LocalBlobStore(tmp_path / "blobs"), study.id, canonical_csv(),
                          GLUpload("ledger.csv", blind_share=0.0))
    set_scores(session, import_id, EXPENSE_SCORES, ACCOUNT_SCORES)
    session.commit()
    return import_id


def _line(session, import_id: int, vendor: str):
    return next(line for line in lines_of(session, import_id) if line.vendor == vendor)


def test_qualifying_a_line_records_who_and_when_and_creates_its_qualified_expense(session, study, gl, project,
                                                                                  reviewer) -> None:
    line = _line(session, gl, "Amazon Web Services")
    with acting_as(Actor(f"user:{reviewer.email}", reviewer.id)):
        decide_line(session, study.id, line.id, DecisionInput("qualified", category="computer_rental",
                                                              share="80", project_id=str(project.id)),
                    user_id=reviewer.id)
        session.commit()
    assert (line.qualified, line.category, line.qualified_share, line.project_id) == (
        True, ExpenseCategory.COMPUTER_RENTAL, Decimal("80.00"), project.id)
    assert line.decided_by_id == reviewer.id and line.decided_at is not None
    expense = expense_of_line(session, line)
    assert expense is not None
    assert (expense.source_kind, expense.source_ref, expense.amount, expense.qualified_share) == (
        "gl", str(line.id), Decimal("14210.44"), Decimal("80.00"))
    assert (expense.approved_by_id, expense.approved_at, expense.project_id) == (reviewer.id, line.decided_at,
                                                                                 project.id)
    assert "GL row 2" in expense.description and expense.vendor == "Amazon Web Services"
    trail = session.scalars(select(AuditEvent).where(AuditEvent.record_type == "gl_expenses",
                                                     AuditEvent.record_id == str(line.id))
                            .order_by(AuditEvent.id)).all()
    decision = trail[-1]  # the one before is the scores being set
    assert (decision.action, decision.actor_user_id) == ("update", reviewer.id)
    assert decision.changes["qualified"] == [None, True]


def test_approved_lines_feed_the_credit_engine(session, study, gl, project, reviewer) -> None:
    decide_line(session, study.id, _line(session, gl, "Amazon Web Services").id, QUALIFY, user_id=reviewer.id)
    decide_line(session, study.id, _line(session, gl, "Quantile Labs LLC").id,
                DecisionInput("qualified", category="contract_research", project_id=project.id),
                user_id=reviewer.id)
    session.commit()
    inputs = inputs_from_study(session, study)
    assert [(e.category, e.amount, e.component) for e in inputs.expenses] == [
        ("computer_rental", Decimal("14210.44"), None)]
    assert [(c.amount_paid, c.component) for c in inputs.contractors if "Quantile" in c.name] == [
        (Decimal("5400.00"), "rag")]


def test_changing_and_withdrawing_a_decision_updates_then_removes_the_qualified_expense(session, study, gl,
                                                                                        reviewer) -> None:
    line = _line(session, gl, "Digi-Key")
    decide_line(session, study.id, line.id, DecisionInput("qualified", category="supplies"),
                user_id=reviewer.id)
    first = expense_of_line(session, line)
    assert first is not None and first.qualified_share == Decimal("100")
    decide_line(session, study.id, line.id, DecisionInput("qualified", category="supplies", share="50%"),
                user_id=reviewer.id)
    second = expense_of_line(session, line)
    assert second is not None and second.id == first.id and second.qualified_share == Decimal("50.00")
    assert line.qualified_amount == Decimal("1198.00")
    decide_line(session, study.id, line.id, DecisionInput("not_qualified", category="supplies"),
                user_id=reviewer.id)
    assert (line.qualified, line.category, line.qualified_share) == (False, None, None)
    assert line.decided_by_id == reviewer.id
    assert expense_of_line(session, line) is None
    decide_line(session, study.id, line.id, QUALIFY, user_id=reviewer.id)
    decide_line(session, study.id, line.id, DecisionInput("undecided"), user_id=reviewer.id)
    assert (line.qualified, line.decided_by_id, line.decided_at) == (None, None, None)
    assert session.scalars(select(QualifiedExpense).where(QualifiedExpense.source_kind == "gl")).all() == []


@pytest.mark.parametrize(("given", "errors"), [
    (DecisionInput("maybe"), {"decision"}),
    (DecisionInput("qualified"), {"category"}),
    (DecisionInput("qualified", category="wages"), {"category"}),
    (DecisionInput("qualified", category="supplies", share="abc"), {"share"}),
    (DecisionInput("qualified", category="supplies", share="0"), {"share"}),
    (DecisionInput("qualified", category="supplies", share="100.5"), {"share"}),
    (DecisionInput("qualified", category="supplies", share="33.333"), {"share"}),
    (DecisionInput("qualified", category="", share="-5", project_id="x"), {"category", "share", "project"}),
])
def test_a_bad_decision_names_each_field_and_changes_nothing(session, study, gl, reviewer, given,
                                                             errors) -> None:
    line = _line(session, gl, "Digi-Key")
    with pytest.raises(DecisionError) as excinfo:
        decide_line(session, study.id, line.id, given, user_id=reviewer.id)
    assert set(excinfo.value.errors) == errors
    assert line.qualified is None and expense_of_line(session, line) is None


def test_a_project_or_a_line_of_another_study_is_refused(session, study, gl, reviewer, make_study) -> None:
    other = make_study()
    foreign = BusinessComponent(study_id=other.id, code="x", name="Other client's project",
                                sub_sector="ai_native_product_engineering")
    session.add(foreign)
    session.flush()
    line = _line(session, gl, "Amazon Web Services")
    with pytest.raises(DecisionError) as excinfo:
        decide_line(session, study.id, line.id, DecisionInput("qualified", category="computer_rental",
                                                              project_id=foreign.id), user_id=reviewer.id)
    assert excinfo.value.errors == {"project": "not a project of this study"}
    with pytest.raises(DecisionError) as excinfo:
        decide_line(session, other.id, line.id, DecisionInput("not_qualified"), user_id=reviewer.id)
    assert excinfo.value.errors["lines"].startswith("not lines of this study")
    assert line.qualified is None


def test_bulk_decisions_apply_to_all_lines_or_none(session, study, gl, reviewer) -> None:
    lines = lines_of(session, gl)
    chosen = [line for line in lines if line.vendor in ("Slack", "1Password", "Staples")]
    decided = decide_lines(session, study.id, [line.id for line in chosen], DecisionInput("not_qualified"),
                           user_id=reviewer.id)
    assert [line.qualified for line in decided] == [False, False, False]
    assert len({line.decided_at for line in decided}) == 1
    revenue = next(line for line in lines if line.amount < 0)
    cloud = [line for line in lines if line.vendor in ("Amazon Web Services", "Lambda Labs")]
    with pytest.raises(DecisionError) as excinfo:
        decide_lines(session, study.id, [cloud[0].id, revenue.id, cloud[1].id], QUALIFY, user_id=reviewer.id)
    assert "row 9 (-25,000.00)" in excinfo.value.errors["lines"]
    assert [line.qualified for line in cloud] == [None, None]  # none of the three changed
    with pytest.raises(DecisionError, match="choose at least one line"):
        decide_lines(session, study.id, [], QUALIFY, user_id=reviewer.id)


def test_accounts_by_score_with_the_threshold_of_the_active_model_card(session, study, gl) -> None:
    from scoring.models import GLImport
    gl_import = session.get_one(GLImport, gl)
    assert thresholds(session).account == 0.5  # no model yet
    rows = account_rows(session, gl_import, thresholds(session))
    assert [row.account.number for row in rows] == ["6120", "6150", "6300", "6400", "6500", "4000"]
    assert [row.above for row in rows] == [True, True, True, False, False, False]
    _model(session, "account", 0.65, active=True)
    _model(session, "expense", 0.6, active=True, version=1)
    _model(session, "expense", 0.2, active=False, version=2)
    cut = thresholds(session)
    assert (cut.account, cut.expense) == (0.65, 0.6)
    assert [row.above for row in account_rows(session, gl_import, cut)][:3] == [True, True, False]
    cloud = accounts_of(session, gl)["6120"]
    page = account_lines(session, cloud, cut)
    assert [(row.line.vendor, row.above) for row in page.rows] == [("Amazon Web Services", True),
                                                                    ("Lambda Labs", True)]


def _model(session, kind: str, threshold: float, *, active: bool, version: int = 1) -> ScoringModel:
    from core.blobs import register_blob
    sha = f"{kind}{version}".ljust(64, "0")
    register_blob(session, sha, 1, "application/json")
    row = ScoringModel(kind=kind, version=version, blob_sha256=sha, threshold=threshold, active=active,
                       card={"threshold": threshold})
    session.add(row)
    session.flush()
    return row


def test_an_import_is_cut_with_the_thresholds_of_the_pair_that_scored_it(session, study, gl) -> None:
    from scoring.models import GLImport
    gl_import = session.get_one(GLImport, gl)
    older = _model(session, "expense", 0.3, active=False, version=1)
    _model(session, "account", 0.4, active=False, version=1)
    _model(session, "expense", 0.6, active=True, version=2)
    _model(session, "account", 0.7, active=True, version=2)
    gl_import.scoring_model_id = older.id
    cut = thresholds(session, gl_import)
    assert (cut.expense, cut.account, cut.version, cut.active_version, cut.outdated) == (0.3, 0.4, 1, 2, True)
    assert thresholds(session) == thresholds(session, None)
    assert (thresholds(session).expense, thresholds(session).outdated) == (0.6, False)
    gl_import.scoring_model_id = session.scalars(select(ScoringModel).where(
        ScoringModel.version == 2, ScoringModel.kind == "expense")).one().id
    again = thresholds(session, gl_import)
    assert (again.account, again.version, again.outdated) == (0.7, 2, False)


def test_the_disagreement_queue_puts_the_worst_log_loss_first(session, study, gl, reviewer) -> None:
    from scoring.models import GLImport
    gl_import = session.get_one(GLImport, gl)
    by_vendor = {line.vendor: line for line in lines_of(session, gl)}
    decide_line(session, study.id, by_vendor["Amazon Web Services"].id, DecisionInput("not_qualified"),
                user_id=reviewer.id)  # model 0.94, label no: loss 2.81
    decide_line(session, study.id, by_vendor["Slack"].id, DecisionInput("not_qualified"),
                user_id=reviewer.id)  # agrees: loss 0.07
    decide_line(session, study.id, by_vendor["Staples"].id, DecisionInput("qualified", category="supplies"),
                user_id=reviewer.id)  # model 0.12, label yes: loss 2.12
    decide_line(session, study.id, by_vendor["Lambda Labs"].id, QUALIFY, user_id=reviewer.id)  # loss 0.21
    queue = disagreements(session, gl_import, thresholds(session))
    assert [item.line.vendor for item in queue] == ["Amazon Web Services", "Staples", "Lambda Labs", "Slack"]
    assert queue[0].log_loss == pytest.approx(-math.log(1 - 0.94))
    assert queue[1].log_loss == pytest.approx(-math.log(0.12))
    assert [item.log_loss for item in queue] == sorted((item.log_loss for item in queue), reverse=True)
    assert log_loss(1.0, False) == pytest.approx(-math.log(1e-6))  # a certain mistake stays finite


def test_blind_accounts_hide_their_scores_and_leave_the_queue(session, study, gl, reviewer) -> None:
    from scoring.models import GLImport
    gl_import = session.get_one(GLImport, gl)
    cloud = accounts_of(session, gl)["6120"]
    cloud.blind_review = True
    session.flush()
    rows = account_rows(session, gl_import, thresholds(session))
    blind = rows[-1]
    assert blind.account.number == "6120" and (blind.score, blind.above, blind.blind) == (None, None, True)
    assert rows[0].account.number == "6150"
    page = account_lines(session, cloud, thresholds(session))
    assert [(row.line.row_number, row.score, row.above) for row in page.rows] == [(2, None, None),
                                                                                  (3, None, None)]
    decide_line(session, study.id, page.rows[0].line.id, DecisionInput("not_qualified"), user_id=reviewer.id)
    assert disagreements(session, gl_import, thresholds(session)) == []


def test_the_imports_of_a_study_with_their_progress(session, study, gl, reviewer) -> None:
    decide_line(session, study.id, _line(session, gl, "Digi-Key").id, DecisionInput("qualified",
                                                                                   category="supplies"),
                user_id=reviewer.id)
    decide_line(session, study.id, _line(session, gl, "Slack").id, DecisionInput("not_qualified"),
                user_id=reviewer.id)
    [summary] = study_imports(session, study.id)
    assert (summary.lines, summary.accounts, summary.decided, summary.qualified, summary.scored) == (
        8, 6, 2, 1, True)
