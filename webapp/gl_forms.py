"""Forms of the GL pages: the upload, the column mapping and the review decisions."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import MultiDict
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from scoring.blind import DEFAULT_BLIND_SHARE
from scoring.gl_import import ColumnMapping
from scoring.gl_import.raw import FIELDS
from scoring.review import CATEGORY_LABELS, DecisionInput

FIELD_LABELS = {
    "company": "Company", "industry": "Industry", "date": "Date", "account": "Account (number and name)",
    "account_number": "Account number", "account_name": "Account name", "account_type": "Account type",
    "vendor": "Vendor", "description": "Description", "amount": "Amount (signed)", "debit": "Debit",
    "credit": "Credit",
}
CATEGORY_CHOICES = [(category.value, label) for category, label in CATEGORY_LABELS.items()]


class UploadGLForm(FlaskForm):
    file = FileField("General ledger (CSV or XLSX)", validators=[DataRequired("Choose a GL file to upload.")])
    industry = StringField("Industry, where the file names none", validators=[Optional(), Length(max=200)])
    blind_percent = IntegerField("Accounts reviewed without model help (%)",
                                 default=round(DEFAULT_BLIND_SHARE * 100),
                                 validators=[Optional(), NumberRange(0, 100)])


class MappingForm(FlaskForm):
    """Only the CSRF token and the header row; each GL field's column comes as ``map-<field>``."""

    header_row = IntegerField("Header row", validators=[DataRequired(), NumberRange(1, 1_000_000)])


def mapping_from_form(form: MultiDict[str, str], header_row: int, sheet: str | None) -> ColumnMapping:
    columns = {field: form[f"map-{field}"] for field in FIELDS if form.get(f"map-{field}", "").strip()}
    return ColumnMapping(columns, header_row, sheet or None)


def decision_from_form(form: MultiDict[str, str]) -> DecisionInput:
    """The decision of the bar's buttons, or of a row's button (``row_action`` = ``<line>:<decision>``)."""
    _line, _, row_decision = form.get("row_action", "").partition(":")
    return DecisionInput(decision=row_decision or form.get("decision", ""), category=form.get("category", ""),
                         share=form.get("share", ""), project_id=form.get("project_id") or None,
                         country=form.get("country", ""))


def line_ids_from_form(form: MultiDict[str, str]) -> list[int]:
    """The lines chosen: the one line a row's own button names, else the checked boxes."""
    row_line = form.get("row_action", "").partition(":")[0].strip()
    values = [row_line] if row_line else form.getlist("line_ids")
    return [int(value) for value in values if value.strip().isdigit()]
