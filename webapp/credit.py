"""The credit page: QREs by category and project, both methods side by side, Form 6765 by line.

Every figure opens onto the records it came from (people and allocations, contracts, approved
GL lines); the computation itself lives in ``studies.credit``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as WerkzeugResponse

from studies.activities import (
    ActivityInput,
    activity_lines,
    add_activity,
    confirm_activity,
    delete_activity,
    find_activity,
    propose_from_allocations,
    set_basis,
    update_activity,
)
from studies.credit.component_tests import component_test
from studies.credit.compute import compute
from studies.credit.estimate import ScopingEstimate, scoping_estimate, scoping_ratios
from studies.credit.form6765 import LINE_TEXT, SECTIONS
from studies.credit.four_years import four_year_view
from studies.credit.from_study import activity_levels, inputs_from_study
from studies.credit.inputs import Component, InvalidCreditInput
from studies.credit.money import dollars
from studies.credit.qres import CATEGORIES
from studies.credit.substantially_all import measure_label
from studies.credit_details import FormDetails, save_form_details, save_funded_reason
from studies.expenses import ExpenseEntry, add_expense, delete_expense, study_expenses
from studies.models import BusinessComponent, Employee, ExpenseCategory, Study
from studies.permissions import Permission
from studies.project_checks import InvalidInput
from studies.sectors import sub_sectors
from studies.services import find_project
from webapp.access import study_view
from webapp.context import db_session
from webapp.forms import ConfirmForm

bp = Blueprint("credit", __name__)


@bp.app_template_filter("dollars")
def dollars_filter(value: object) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return dollars(value) if isinstance(value, Decimal) else str(value)


@bp.app_template_filter("measure")
def measure_filter(value: Decimal, basis: str | None) -> str:
    return measure_label(value, basis)


@bp.app_template_filter("sentence")
def sentence_filter(text: str) -> str:
    """The first letter upper case, the rest as written (Jinja's ``capitalize`` lowers "Form 8974")."""
    return text[:1].upper() + text[1:]


CATEGORY_LABELS = {"wages": "Wages", "supplies": "Supplies", "computer_rental": "Computer rental",
                   "contract_research": "Contract research"}


@bp.route("/studies/<slug>/credit", methods=["GET", "POST"])
@study_view(Permission.COMPUTE_CREDIT)
def index() -> str | WerkzeugResponse:
    session = db_session()
    form = ConfirmForm()
    saved, errors = _submitted(form, session, _save_form_details)
    if saved:
        return redirect(url_for("credit.index", slug=g.study.slug) + "#form-details")
    try:
        result = compute(inputs_from_study(session, g.study))
    except InvalidCreditInput as exc:
        return render_template("studies/credit.html", result=None, error=str(exc))
    return render_template("studies/credit.html", result=result, error=None, categories=CATEGORIES,
                           category_labels=CATEGORY_LABELS, sections=SECTIONS, line_text=LINE_TEXT,
                           shown_lines=[n for n, v in result.form.lines.items() if v is not None],
                           years=four_year_view(result.inputs, result.schedule.total),
                           estimate=_estimate(session) if result.schedule.total == 0 else None,
                           questions=scoping_ratios().quick_check, sectors=sub_sectors(),
                           form=form, errors=errors, given=request.form if errors else {})


def _submitted(form: ConfirmForm, session: Session, action: Callable[[], str]) -> tuple[bool, dict[str, str]]:
    """Run a posted form's action: committed with its message flashed (the caller redirects), or
    rolled back with the errors per field to show next to them."""
    if request.method != "POST" or not form.validate_on_submit():
        return False, {}
    try:
        message = action()
    except InvalidInput as exc:
        session.rollback()
        return False, exc.errors
    session.commit()
    flash(message, "success")
    return True, {}


def _save_form_details() -> str:
    save_form_details(db_session(), g.study, _form_details())
    return "Form details saved."


def _form_details() -> FormDetails:
    data = request.form
    return FormDetails(bool(data.get("controlled_group")), data.get("business_activity_code", ""),
                       data.get("prior_payroll_election_years", ""), bool(data.get("payroll_tax_other_ein")),
                       data.get("credit_carryforward", ""))


def _estimate(session: Session) -> ScopingEstimate | None:
    """Seed 000's scoping estimate from the query (or the study's own wages and sub-sector)."""
    organization = g.study.organization
    wages = request.args.get("wages", "").replace(",", "").strip()
    try:
        amount = Decimal(wages) if wages else study_wages(session, g.study)
    except InvalidOperation:
        return None
    answers = {q.key: {"yes": True, "no": False}.get(request.args.get(q.key, ""))
               for q in scoping_ratios().quick_check}
    try:
        return scoping_estimate(request.args.get("sub_sector") or organization.sub_sector, amount,
                                organization.entity_type.value, answers)
    except InvalidCreditInput:
        return None


@bp.route("/studies/<slug>/credit/form-6765.<fmt>")
@study_view(Permission.COMPUTE_CREDIT)
def form(fmt: str) -> Response:
    result = compute(inputs_from_study(db_session(), g.study))
    name = f"{g.study.slug}-form-6765-{g.study.tax_year}"
    if fmt == "csv":
        body, mimetype = result.form.to_csv(), "text/csv"
    elif fmt == "json":
        body, mimetype = json.dumps(result.as_json(), indent=2, default=str), "application/json"
    else:
        return Response("Use form-6765.csv or form-6765.json.", status=404, mimetype="text/plain")
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


@bp.route("/studies/<slug>/credit/refund-statement")
@study_view(Permission.COMPUTE_CREDIT)
def refund_statement() -> Response:
    """The amended return's research credit statement, as Markdown (default) or ``?format=txt``."""
    fmt = "txt" if request.args.get("format") == "txt" else "md"
    result = compute(inputs_from_study(db_session(), g.study))
    if result.statement is None:
        return Response("The refund-claim statement is for amended returns; this study is an original one.",
                        status=409, mimetype="text/plain")
    name = f"{g.study.slug}-refund-statement-{g.study.tax_year}.{fmt}"
    mimetype = "text/markdown" if fmt == "md" else "text/plain"
    return Response(result.statement.as_markdown(), mimetype=f"{mimetype}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# --- the "substantially all" activity lines of one project ------------------------------------


@bp.route("/studies/<slug>/credit/components/<code>", methods=["GET", "POST"])
@study_view(Permission.COMPUTE_CREDIT)
def activities(code: str) -> str | WerkzeugResponse:
    session = db_session()
    project = find_project(session, g.study, code)
    if project is None:
        abort(404)
    form = ConfirmForm()
    action = request.form.get("action", "")
    saved, errors = _submitted(form, session, lambda: _act_on_lines(session, project, action))
    if saved:
        return redirect(url_for("credit.activities", slug=g.study.slug, code=code))
    lines = activity_lines(session, project)
    test = component_test(Component(project.code, project.name, activity_basis=project.activity_basis,
                                    activity_levels=activity_levels(project, lines)))
    return render_template("studies/credit_activities.html", project=project, lines=lines, test=test,
                           form=form, errors=errors, given=request.form if errors else {})


def _act_on_lines(session: Session, project: BusinessComponent, action: str) -> str:
    verb, _, line_id = action.partition(":")
    user_id = current_user.id
    if verb == "basis":
        set_basis(project, request.form.get("basis") or None)
        return "Basis saved."
    if verb == "funded":
        save_funded_reason(session, project, request.form.get("funded_reason", ""))
        return "Funded-research reason saved." if project.funded_reason else "Funded-research reason cleared."
    if verb == "propose":
        return f"{len(propose_from_allocations(session, project))} lines proposed from wage allocations."
    if verb == "add":
        add_activity(session, project, _activity_input(""), user_id=user_id)
        return "Activity added."
    line = find_activity(session, project, int(line_id)) if line_id.isdigit() else None
    if line is None:
        raise InvalidInput({"line": "Not an activity line of this project."})
    if verb == "save":
        update_activity(session, line, _activity_input(f"-{line.id}"), user_id=user_id)
        return "Activity saved and confirmed."
    if verb == "confirm":
        confirm_activity(line, user_id=user_id)
        return "Activity confirmed."
    if verb == "delete":
        delete_activity(session, line)
        return "Activity deleted."
    raise InvalidInput({"line": f"Unknown action {action!r}."})


def _activity_input(suffix: str) -> ActivityInput:
    form = request.form
    return ActivityInput(form.get(f"label{suffix}", ""), form.get(f"measure{suffix}", ""),
                         bool(form.get(f"experimentation{suffix}")), form.get(f"layer_id{suffix}") or None,
                         form.get(f"source{suffix}", ""))


# --- qualified expenses entered by hand ----------------------------------------------------------


@bp.route("/studies/<slug>/credit/expenses", methods=["GET", "POST"])
@study_view(Permission.COMPUTE_CREDIT)
def expenses() -> str | WerkzeugResponse:
    session = db_session()
    form = ConfirmForm()
    action = request.form.get("action", "")
    saved, errors = _submitted(form, session, lambda: _act_on_expenses(session, action))
    if saved:
        return redirect(url_for("credit.expenses", slug=g.study.slug))
    return render_template("studies/credit_expenses.html", expenses=study_expenses(session, g.study),
                           projects=g.study.projects, categories=list(ExpenseCategory),
                           category_labels=CATEGORY_LABELS, form=form, errors=errors,
                           given=request.form if errors else {})


def _act_on_expenses(session: Session, action: str) -> str:
    verb, _, expense_id = action.partition(":")
    if verb == "delete" and expense_id.isdigit():
        delete_expense(session, g.study, int(expense_id))
        return "Expense deleted."
    form = request.form
    entry = ExpenseEntry(form.get("category", ""), form.get("vendor", ""), form.get("description", ""),
                         form.get("amount", ""), form.get("qualified_share", ""), form.get("country", ""),
                         form.get("project_id") or None, form.get("reference", ""))
    add_expense(session, g.study, entry, user_id=current_user.id)
    return "Expense added and approved."


def study_wages(session: Session, study: Study) -> Decimal:
    total = session.scalar(select(func.coalesce(func.sum(Employee.w2_wages), 0)).where(
        Employee.study_id == study.id))
    return Decimal(total or 0)
