"""Forms of the evidence pages: the list's filters, upload, removal and metric directions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    Field,
    Form,
    IntegerField,
    MultipleFileField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from evidence.models import ArtifactKind, MetricDirection
from evidence.queries import ArtifactFilters

KIND_LABELS = {
    ArtifactKind.GIT_REPOSITORY: "Git repository",
    ArtifactKind.ADR: "Decision record",
    ArtifactKind.RUN_LOG: "Run log",
    ArtifactKind.ABLATION: "Ablation table",
    ArtifactKind.DOCUMENT: "Document",
}


class ArtifactFilterForm(Form):
    """The list's filters, read from the query string (a GET form needs no CSRF token)."""

    kind = SelectField("Kind", choices=[SelectChoice("", "Any kind"),
                                        *(SelectChoice(k.value, v) for k, v in KIND_LABELS.items())],
                       validators=[Optional()])
    source = SelectField("Source", choices=[SelectChoice("", "Any source")], validators=[Optional()],
                         validate_choice=False)
    q = StringField("Path or title", validators=[Optional(), Length(max=200)])
    content_from = DateField("Content from", validators=[Optional()])
    content_to = DateField("Content to", validators=[Optional()])
    removed = BooleanField("Show removed")
    page = IntegerField("Page", default=1, validators=[Optional(), NumberRange(min=1)])

    def with_sources(self, sources: list[str]) -> ArtifactFilterForm:
        self.source.choices = [SelectChoice("", "Any source"), *(SelectChoice(s) for s in sources)]
        return self

    def filters(self) -> ArtifactFilters:
        """The filters the valid fields ask for; a field with an error does not narrow the list."""
        self.validate()

        def valid(field: Field) -> Any:
            return field.data if not field.errors else None

        return ArtifactFilters(
            kind=ArtifactKind(self.kind.data) if valid(self.kind) else None,
            source=valid(self.source) or None, text=valid(self.q) or "",
            content_from=valid(self.content_from), content_to=valid(self.content_to),
            include_removed=bool(self.removed.data), page=valid(self.page) or 1)


def filter_form(args: Mapping[str, str]) -> ArtifactFilterForm:
    return ArtifactFilterForm(MultiDict(args))


class UploadForm(FlaskForm):
    files = MultipleFileField("Files", validators=[Optional()])


class RemoveArtifactForm(FlaskForm):
    reason = StringField("Why is this evidence removed?", validators=[DataRequired(), Length(max=1000)])


DIRECTION_CHOICES = [("", "not sure"), (MetricDirection.HIGHER.value, "higher is better"),
                     (MetricDirection.LOWER.value, "lower is better")]


def metric_directions(form: Mapping[str, str]) -> dict[int, MetricDirection]:
    """``better-<metric id>`` fields with a direction chosen; "not sure" leaves a metric as it is."""
    chosen: dict[int, MetricDirection] = {}
    for name, value in form.items():
        prefix, _, metric_id = name.partition("-")
        if prefix == "better" and metric_id.isdigit() and value in ("higher", "lower"):
            chosen[int(metric_id)] = MetricDirection(value)
    return chosen
