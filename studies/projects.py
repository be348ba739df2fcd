"""Creating and editing projects and what they must show: uncertainties, experiments, layers.

Every function checks all of its input before it changes anything and refuses with
:class:`InvalidInput`, whose ``errors`` name each bad field. A record named by id (the
project of an uncertainty or layer, the uncertainty of an experiment) must belong to the
study the caller acts in, or the field is refused. Functions flush but never commit: the
caller's transaction is the action, committed once or rolled back whole.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from evidence.models import EvidenceLink
from studies.models import (
    BusinessComponent,
    Experiment,
    Layer,
    LayerKind,
    Outcome,
    Study,
    UncertaintyKind,
    UncertaintyStatement,
)
from studies.project_checks import (
    CODE_LIMIT,
    NAME_LIMIT,
    VENDOR_LIMIT,
    Checks,
    InvalidInput,
    checked_metrics,
)
from studies.sectors import sub_sectors

__all__ = ["COMPONENT_TYPES", "ExperimentInput", "InvalidInput", "LayerInput", "ProjectInput",
           "UncertaintyInput", "add_experiment", "add_layer", "add_uncertainty", "create_project",
           "delete_experiment", "delete_layer", "delete_uncertainty", "find_experiment", "find_layer",
           "find_uncertainty", "update_experiment", "update_layer", "update_project",
           "update_uncertainty"]

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
RESERVED_CODES = frozenset({"new"})  # /projects/new is the page that creates one
# What a business component can be under §41(d)(2)(B).
COMPONENT_TYPES = ("software", "product", "process", "technique", "formula", "invention")


@dataclass(frozen=True)
class ProjectInput:
    code: str
    name: str
    sub_sector: str
    component_type: str = "software"
    description: str = ""
    information_sought: str = ""
    permitted_purpose: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    internal_use_software: bool = False
    hti_innovative: str = ""
    hti_economic_risk: str = ""
    hti_not_commercially_available: str = ""


@dataclass(frozen=True)
class UncertaintyInput:
    kind: str
    statement: str
    identified_on: dt.date | None


@dataclass(frozen=True)
class ExperimentInput:
    name: str
    hypothesis: str = ""
    method: str = ""
    started_on: dt.date | None = None
    ended_on: dt.date | None = None
    outcome: str = Outcome.ONGOING.value
    metrics: dict[str, Any] = field(default_factory=dict)
    notes: str = ""


@dataclass(frozen=True)
class LayerInput:
    kind: str
    name: str
    vendor: str = ""
    model: str = ""
    reason: str = ""


# --- projects -----------------------------------------------------------------------------


def create_project(session: Session, study: Study, data: ProjectInput) -> BusinessComponent:
    values = _project_values(session, study, data, None)
    project = BusinessComponent(study_id=study.id, **values)
    session.add(project)
    session.flush()
    return project


def update_project(session: Session, study: Study, project: BusinessComponent,
                   data: ProjectInput) -> BusinessComponent:
    _own(study, project)
    return _assign(session, project, _project_values(session, study, data, project))


def _project_values(session: Session, study: Study, data: ProjectInput,
                    current: BusinessComponent | None) -> dict[str, Any]:
    checks = Checks()
    code = checks.text("code", data.code, "Code", required=True, limit=CODE_LIMIT)
    if code and "code" not in checks.errors:
        _check_code(session, study, code, current, checks)
    values: dict[str, Any] = {
        "code": code,
        "name": checks.text("name", data.name, "Name", required=True, limit=NAME_LIMIT),
        "sub_sector": data.sub_sector,
        "component_type": data.component_type,
        "description": checks.text("description", data.description, "Description"),
        "information_sought": checks.text("information_sought", data.information_sought,
                                          "Information sought"),
        "permitted_purpose": checks.text("permitted_purpose", data.permitted_purpose, "Permitted purpose"),
        "start_date": checks.date("start_date", data.start_date, "Start date"),
        "end_date": checks.date("end_date", data.end_date, "End date"),
        "internal_use_software": bool(data.internal_use_software),
        "hti_innovative": checks.text("hti_innovative", data.hti_innovative, "Innovative"),
        "hti_economic_risk": checks.text("hti_economic_risk", data.hti_economic_risk,
                                         "Significant economic risk"),
        "hti_not_commercially_available": checks.text("hti_not_commercially_available",
                                                      data.hti_not_commercially_available,
                                                      "Not commercially available"),
    }
    if data.sub_sector not in sub_sectors():
        known = ", ".join(sub_sectors())
        checks.fail("sub_sector", f"Sub-sector {data.sub_sector!r} is not one of: {known}.")
    if data.component_type not in COMPONENT_TYPES:
        checks.fail("component_type", f"Component type {data.component_type!r} is not one of: "
                                      f"{', '.join(COMPONENT_TYPES)}.")
    checks.in_order(values["start_date"], values["end_date"], "end_date", "End date", "start date")
    checks.done()
    return values


def _check_code(session: Session, study: Study, code: str, current: BusinessComponent | None,
                checks: Checks) -> None:
    if not CODE_PATTERN.match(code):
        checks.fail("code", "Code: use letters, digits, dots, dashes and underscores, starting with a "
                            "letter or digit (it appears in links and in commit rules).")
        return
    if code.lower() in RESERVED_CODES:
        checks.fail("code", f"Code {code!r} is reserved; choose another.")
        return
    query = select(BusinessComponent.id).where(BusinessComponent.study_id == study.id,
                                               BusinessComponent.code == code)
    taken = session.scalars(query).first()
    if taken is not None and (current is None or taken != current.id):
        checks.fail("code", f"Code {code!r} is already used by another project of this study.")


# --- uncertainties ------------------------------------------------------------------------


def add_uncertainty(session: Session, study: Study, project_id: int,
                    data: UncertaintyInput) -> UncertaintyStatement:
    checks = Checks()
    project = _linked(session, study, BusinessComponent, project_id, "project", "project", checks)
    values = _uncertainty_values(data, checks)
    checks.done()
    assert project is not None
    uncertainty = UncertaintyStatement(study_id=study.id, project_id=project.id, **values)
    session.add(uncertainty)
    session.flush()
    return uncertainty


def update_uncertainty(session: Session, study: Study, uncertainty: UncertaintyStatement,
                       data: UncertaintyInput) -> UncertaintyStatement:
    _own(study, uncertainty)
    checks = Checks()
    values = _uncertainty_values(data, checks)
    checks.done()
    return _assign(session, uncertainty, values)


def _uncertainty_values(data: UncertaintyInput, checks: Checks) -> dict[str, Any]:
    return {
        "kind": checks.choice("kind", data.kind, UncertaintyKind, "Kind"),
        "statement": checks.text("statement", data.statement, "Statement", required=True),
        "identified_on": checks.date("identified_on", data.identified_on, "Date identified", required=True),
    }


def delete_uncertainty(session: Session, study: Study, uncertainty: UncertaintyStatement) -> None:
    """Delete the statement, its experiments, and the evidence links pointing at any of them."""
    _own(study, uncertainty)
    experiments = list(uncertainty.experiments)
    _drop_links(session, study, "experiment", [e.id for e in experiments])
    _drop_links(session, study, "uncertainty", [uncertainty.id])
    for experiment in experiments:
        session.delete(experiment)
    session.flush()
    session.delete(uncertainty)
    session.flush()


# --- experiments --------------------------------------------------------------------------


def add_experiment(session: Session, study: Study, uncertainty_id: int, data: ExperimentInput) -> Experiment:
    checks = Checks()
    uncertainty = _linked(session, study, UncertaintyStatement, uncertainty_id, "uncertainty",
                          "uncertainty statement", checks)
    values = _experiment_values(data, checks)
    checks.done()
    assert uncertainty is not None
    experiment = Experiment(study_id=study.id, uncertainty_id=uncertainty.id, **values)
    session.add(experiment)
    session.flush()
    return experiment


def update_experiment(session: Session, study: Study, experiment: Experiment, uncertainty_id: int,
                      data: ExperimentInput) -> Experiment:
    """Change an experiment, and the uncertainty it addressed (one of the same project)."""
    _own(study, experiment)
    checks = Checks()
    uncertainty = _linked(session, study, UncertaintyStatement, uncertainty_id, "uncertainty",
                          "uncertainty statement", checks)
    if uncertainty is not None and uncertainty.project_id != experiment.uncertainty.project_id:
        checks.fail("uncertainty", "The uncertainty must be one of this experiment's project.")
    values = _experiment_values(data, checks)
    checks.done()
    assert uncertainty is not None
    experiment.uncertainty_id = uncertainty.id
    return _assign(session, experiment, values)


def _experiment_values(data: ExperimentInput, checks: Checks) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": checks.text("name", data.name, "Alternative", required=True, limit=NAME_LIMIT),
        "hypothesis": checks.text("hypothesis", data.hypothesis, "Hypothesis"),
        "method": checks.text("method", data.method, "Method"),
        "started_on": checks.date("started_on", data.started_on, "Start date"),
        "ended_on": checks.date("ended_on", data.ended_on, "End date"),
        "outcome": checks.choice("outcome", data.outcome, Outcome, "Outcome"),
        "metrics": checked_metrics(checks, "metrics", data.metrics),
        "notes": checks.text("notes", data.notes, "Notes"),
    }
    checks.in_order(values["started_on"], values["ended_on"], "ended_on", "End date", "start date")
    return values


def delete_experiment(session: Session, study: Study, experiment: Experiment) -> None:
    _own(study, experiment)
    _drop_links(session, study, "experiment", [experiment.id])
    session.delete(experiment)
    session.flush()


# --- layers -------------------------------------------------------------------------------


def add_layer(session: Session, study: Study, project_id: int, data: LayerInput) -> Layer:
    checks = Checks()
    project = _linked(session, study, BusinessComponent, project_id, "project", "project", checks)
    values = _layer_values(data, checks)
    checks.done()
    assert project is not None
    layer = Layer(study_id=study.id, project_id=project.id, **values)
    session.add(layer)
    session.flush()
    return layer


def update_layer(session: Session, study: Study, layer: Layer, data: LayerInput) -> Layer:
    _own(study, layer)
    checks = Checks()
    values = _layer_values(data, checks)
    checks.done()
    return _assign(session, layer, values)


def _layer_values(data: LayerInput, checks: Checks) -> dict[str, Any]:
    values = {
        "kind": checks.choice("kind", data.kind, LayerKind, "Kind"),
        "name": checks.text("name", data.name, "Name", required=True, limit=NAME_LIMIT),
        "vendor": checks.optional_text("vendor", data.vendor, "Vendor", limit=VENDOR_LIMIT),
        "model": checks.optional_text("model", data.model, "Model", limit=VENDOR_LIMIT),
        "reason": checks.text("reason", data.reason, "Reason"),
    }
    if values["kind"] is LayerKind.THIRD_PARTY_MODEL and not values["vendor"]:
        checks.fail("vendor", "A third-party model layer names its vendor "
                              "(OpenAI, Anthropic, Hugging Face ...).")
    return values


def delete_layer(session: Session, study: Study, layer: Layer) -> None:
    _own(study, layer)
    _drop_links(session, study, "layer", [layer.id])
    session.delete(layer)
    session.flush()


# --- finding records of one study ---------------------------------------------------------


def find_uncertainty(session: Session, study: Study, uncertainty_id: int) -> UncertaintyStatement | None:
    return _of_study(session, study, UncertaintyStatement, uncertainty_id)


def find_experiment(session: Session, study: Study, experiment_id: int) -> Experiment | None:
    return _of_study(session, study, Experiment, experiment_id)


def find_layer(session: Session, study: Study, layer_id: int) -> Layer | None:
    return _of_study(session, study, Layer, layer_id)


Record = BusinessComponent | UncertaintyStatement | Experiment | Layer
R = TypeVar("R", BusinessComponent, UncertaintyStatement, Experiment, Layer)


def _of_study(session: Session, study: Study, model: type[R], record_id: Any) -> R | None:
    if not isinstance(record_id, int) or isinstance(record_id, bool):
        return None
    record = session.get(model, record_id)
    return record if record is not None and record.study_id == study.id else None


def _linked(session: Session, study: Study, model: type[R], record_id: Any, field_name: str,
                       noun: str, checks: Checks) -> R | None:
    record = _of_study(session, study, model, record_id)
    if record is None:
        checks.fail(field_name, f"The {noun} {record_id!r} is not a record of this study.")
    return record


def _assign(session: Session, record: R, values: dict[str, Any]) -> R:
    """Set the checked values on an existing record and write them."""
    for name, value in values.items():
        setattr(record, name, value)
    session.flush()
    return record


def _own(study: Study, record: Record) -> None:
    if record.study_id != study.id:
        raise InvalidInput({"study": f"This {record.__tablename__} record belongs to another study."})


def _drop_links(session: Session, study: Study, target_type: str, ids: list[int]) -> None:
    """Links to deleted records go too, one by one so the audit trail records each."""
    if not ids:
        return
    query = select(EvidenceLink).where(EvidenceLink.study_id == study.id,
                                       EvidenceLink.target_type == target_type,
                                       EvidenceLink.target_id.in_(ids))
    for link in session.scalars(query):
        session.delete(link)
