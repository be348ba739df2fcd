"""The credit page: QREs by category and project, both methods side by side, Form 6765 by line.

Every figure opens onto the records it came from (people and allocations, contracts, approved
GL lines); the computation itself lives in ``studies.credit``.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from flask import Blueprint, Response, g, render_template, request
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from studies.credit.compute import compute
from studies.credit.estimate import ScopingEstimate, scoping_estimate, scoping_ratios
from studies.credit.form6765 import LINE_TEXT, SECTIONS
from studies.credit.four_years import four_year_view
from studies.credit.from_study import inputs_from_study
from studies.credit.inputs import InvalidCreditInput
from studies.credit.money import dollars
from studies.credit.qres import CATEGORIES
from studies.models import Employee, Study
from studies.permissions import Permission
from studies.sectors import sub_sectors
from webapp.access import study_view
from webapp.context import db_session

bp = Blueprint("credit", __name__)


@bp.app_template_filter("dollars")
def dollars_filter(value: object) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return dollars(value) if isinstance(value, Decimal) else str(value)

CATEGORY_LABELS = {"wages": "Wages", "supplies": "Supplies", "computer_rental": "Computer rental",
                   "contract_research": "Contract research"}


@bp.route("/studies/<slug>/credit")
@study_view(Permission.COMPUTE_CREDIT)
def index() -> str:
    session = db_session()
    try:
        result = compute(inputs_from_study(session, g.study))
    except InvalidCreditInput as exc:
        return render_template("studies/credit.html", result=None, error=str(exc))
    return render_template("studies/credit.html", result=result, error=None, categories=CATEGORIES,
                           category_labels=CATEGORY_LABELS, sections=SECTIONS, line_text=LINE_TEXT,
                           shown_lines=[n for n, v in result.form.lines.items() if v is not None],
                           years=four_year_view(result.inputs, result.schedule.total),
                           estimate=_estimate(session) if result.schedule.total == 0 else None,
                           questions=scoping_ratios().quick_check, sectors=sub_sectors())


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


def study_wages(session: Session, study: Study) -> Decimal:
    total = session.scalar(select(func.coalesce(func.sum(Employee.w2_wages), 0)).where(
        Employee.study_id == study.id))
    return Decimal(total or 0)
