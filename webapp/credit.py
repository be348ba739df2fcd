"""The credit page: QREs by category and project, both methods side by side, Form 6765 by line.

Every figure opens onto the records it came from (people and allocations, contracts, approved
GL lines); the computation itself lives in ``studies.credit``.
"""

from __future__ import annotations

import json
from decimal import Decimal

from flask import Blueprint, Response, g, render_template

from studies.credit.compute import compute
from studies.credit.form6765 import LINE_TEXT, SECTIONS
from studies.credit.from_study import inputs_from_study
from studies.credit.inputs import InvalidCreditInput
from studies.credit.money import dollars
from studies.credit.qres import CATEGORIES
from studies.permissions import Permission
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
    try:
        result = compute(inputs_from_study(db_session(), g.study))
    except InvalidCreditInput as exc:
        return render_template("studies/credit.html", result=None, error=str(exc))
    return render_template("studies/credit.html", result=result, error=None, categories=CATEGORIES,
                           category_labels=CATEGORY_LABELS, sections=SECTIONS, line_text=LINE_TEXT,
                           shown_lines=[n for n, v in result.form.lines.items() if v is not None])


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
