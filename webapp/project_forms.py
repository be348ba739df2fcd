"""Forms of the project pages. They parse what was typed; ``studies.projects`` judges it."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import Optional

from studies.models import (
    BusinessComponent,
    Experiment,
    Layer,
    LayerKind,
    Outcome,
    UncertaintyKind,
    UncertaintyStatement,
)
from studies.project_checks import InvalidInput, format_metrics, parse_metrics
from studies.projects import (
    COMPONENT_TYPES,
    ExperimentInput,
    LayerInput,
    ProjectInput,
    UncertaintyInput,
)
from studies.sectors import sub_sectors

UNCERTAINTY_KINDS = [
    (UncertaintyKind.CAPABILITY.value, "Capability: can it be done at all?"),
    (UncertaintyKind.METHOD.value, "Method: how can it be done?"),
    (UncertaintyKind.APPROPRIATE_DESIGN.value, "Appropriate design: which design is right?"),
]
OUTCOMES = [
    (Outcome.ONGOING.value, "Ongoing"),
    (Outcome.BASELINE.value, "Baseline (the reference others were measured against)"),
    (Outcome.SUCCEEDED.value, "Succeeded"),
    (Outcome.FAILED.value, "Failed"),
    (Outcome.INCONCLUSIVE.value, "Inconclusive"),
    (Outcome.ABANDONED.value, "Abandoned"),
]
LAYER_KINDS = [
    (LayerKind.QUALIFYING_ENGINEERING.value, "Qualifying engineering"),
    (LayerKind.THIRD_PARTY_MODEL.value, "Third-party model (used as shipped)"),
    (LayerKind.EXCLUDED_ACTIVITY.value, "Excluded activity"),
]
LAYER_KIND_LABELS = dict(LAYER_KINDS)


def _choices(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _text(value: str | None) -> str:
    return value or ""


HTI_FIELDS = ("hti_innovative", "hti_economic_risk", "hti_not_commercially_available")


class ProjectForm(FlaskForm):
    code = StringField("Code", description="Short and stable; used in links and commit rules.")
    name = StringField("Name")
    sub_sector = SelectField("Sub-sector", validate_choice=False)
    component_type = SelectField("Business component type", validate_choice=False,
                                 choices=[SelectChoice(t) for t in COMPONENT_TYPES])
    description = TextAreaField("Description")
    information_sought = TextAreaField("Information sought to be discovered",
                                       description="Form 6765, Section G: what the team did not know.")
    permitted_purpose = TextAreaField("Permitted purpose",
                                      description="The new or improved function, performance, reliability "
                                                  "or quality the work aimed at.")
    start_date = DateField("Start date", validators=[Optional()])
    end_date = DateField("End date", validators=[Optional()])
    internal_use_software = BooleanField("Internal-use software (used only inside the company)")
    hti_innovative = TextAreaField("Innovative", description="How the result would be innovative: a "
                                   "substantial, economically significant cut in cost or gain in speed.")
    hti_economic_risk = TextAreaField("Significant economic risk", description="Substantial resources "
                                      "committed with substantial uncertainty of recovering them.")
    hti_not_commercially_available = TextAreaField(
        "Not commercially available", description="Why no software on the market could be bought and used "
                                                  "without significant modification.")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.sub_sector.choices = [SelectChoice(code, sector.label) for code, sector in sub_sectors().items()]

    def fill(self, project: BusinessComponent) -> ProjectForm:
        for name in ("code", "name", "sub_sector", "component_type", "description", "information_sought",
                     "permitted_purpose", "start_date", "end_date", "internal_use_software", *HTI_FIELDS):
            getattr(self, name).data = getattr(project, name)
        return self

    def to_input(self) -> ProjectInput:
        return ProjectInput(
            code=_text(self.code.data), name=_text(self.name.data), sub_sector=_text(self.sub_sector.data),
            component_type=_text(self.component_type.data), description=_text(self.description.data),
            information_sought=_text(self.information_sought.data),
            permitted_purpose=_text(self.permitted_purpose.data), start_date=self.start_date.data,
            end_date=self.end_date.data, internal_use_software=bool(self.internal_use_software.data),
            **{name: _text(getattr(self, name).data) for name in HTI_FIELDS})


class UncertaintyForm(FlaskForm):
    kind = SelectField("Kind of uncertainty", choices=_choices(UNCERTAINTY_KINDS), validate_choice=False)
    statement = TextAreaField("Statement", description="What the team did not know at the start, "
                                                       "stated as a question the work had to answer.")
    identified_on = DateField("Date identified", validators=[Optional()])

    def fill(self, uncertainty: UncertaintyStatement) -> UncertaintyForm:
        self.kind.data = uncertainty.kind.value
        self.statement.data = uncertainty.statement
        self.identified_on.data = uncertainty.identified_on
        return self

    def to_input(self) -> UncertaintyInput:
        return UncertaintyInput(kind=_text(self.kind.data), statement=_text(self.statement.data),
                                identified_on=self.identified_on.data)


class ExperimentForm(FlaskForm):
    uncertainty = SelectField("Uncertainty it addressed", coerce=int, validate_choice=False)
    name = StringField("Alternative evaluated")
    hypothesis = TextAreaField("Hypothesis")
    method = TextAreaField("Method", description="How it was evaluated: data set, metric, bar to meet.")
    started_on = DateField("Start date", validators=[Optional()])
    ended_on = DateField("End date", validators=[Optional()])
    outcome = SelectField("Outcome", choices=_choices(OUTCOMES), validate_choice=False)
    metrics = TextAreaField("Metrics", description="One per line: name = value (recall@10 = 0.82).")
    notes = TextAreaField("Notes")

    def with_uncertainties(self, uncertainties: list[UncertaintyStatement]) -> ExperimentForm:
        self.uncertainty.choices = [SelectChoice(str(u.id), _clip(u.statement)) for u in uncertainties]
        return self

    def fill(self, experiment: Experiment) -> ExperimentForm:
        self.uncertainty.data = experiment.uncertainty_id
        for name in ("name", "hypothesis", "method", "started_on", "ended_on", "notes"):
            getattr(self, name).data = getattr(experiment, name)
        self.outcome.data = experiment.outcome.value
        self.metrics.data = format_metrics(experiment.metrics)
        return self

    def to_input(self) -> ExperimentInput:
        """Raises :class:`InvalidInput` (field ``metrics``) when a metrics line cannot be read."""
        return ExperimentInput(
            name=_text(self.name.data), hypothesis=_text(self.hypothesis.data),
            method=_text(self.method.data), started_on=self.started_on.data, ended_on=self.ended_on.data,
            outcome=_text(self.outcome.data), metrics=parse_metrics(_text(self.metrics.data)),
            notes=_text(self.notes.data))


class LayerForm(FlaskForm):
    kind = SelectField("Kind", choices=_choices(LAYER_KINDS), validate_choice=False)
    name = StringField("Name", description="What this layer is: custom retrieval, answer generation, "
                                           "labeling ...")
    vendor = StringField("Vendor", description="For a third-party model: whose model it is.")
    model = StringField("Model", description="For a third-party model: which model or API.")
    reason = TextAreaField("Why it sits on this side of the line")

    def fill(self, layer: Layer) -> LayerForm:
        self.kind.data = layer.kind.value
        self.name.data, self.vendor.data = layer.name, layer.vendor or ""
        self.model.data, self.reason.data = layer.model or "", layer.reason
        return self

    def to_input(self) -> LayerInput:
        return LayerInput(kind=_text(self.kind.data), name=_text(self.name.data),
                          vendor=_text(self.vendor.data), model=_text(self.model.data),
                          reason=_text(self.reason.data))


def _clip(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def show_errors(form: FlaskForm, error: InvalidInput) -> None:
    """Put each service error next to its field; errors of no field go to the form as a whole."""
    for name, message in error.errors.items():
        field = form._fields.get(name)
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)
