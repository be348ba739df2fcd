"""What evidence can be linked to: a study's projects, uncertainty statements and experiments."""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from studies.models import BusinessComponent, Experiment, Layer, UncertaintyStatement


class TargetType(enum.StrEnum):
    PROJECT = "project"
    UNCERTAINTY = "uncertainty"
    EXPERIMENT = "experiment"
    LAYER = "layer"  # proposed by third-party model detection; not a target of suggestions


@dataclass(frozen=True)
class Target:
    """One linkable record, the text similarity reads, and its project's dates (``start``, ``end``)."""

    type: TargetType
    id: int
    project_id: int
    project_code: str
    label: str
    text: str
    start: dt.date | None
    end: dt.date | None
    names: tuple[str, ...] = ()  # what documents call a project; empty for other targets

    @property
    def key(self) -> tuple[str, int]:
        return (self.type.value, self.id)


def project_names(project: BusinessComponent) -> tuple[str, ...]:
    """The names a document would call the project by: its code, full name, and short name.

    "CiteRAG — citation-aware retrieval" is also called "CiteRAG"; names shorter than three
    characters are left out, they match too much.
    """
    short = re.split(r"\s+[—–:-]\s+|\s*\(", project.name, maxsplit=1)[0]
    spaced = re.sub(r"[-_]+", " ", project.code)
    names = (project.code, spaced, project.name, short)
    return tuple(dict.fromkeys(name.strip() for name in names if len(name.strip()) >= 3))


def study_targets(session: Session, study_id: int) -> list[Target]:
    """Every project, uncertainty and experiment of the study, projects first."""
    projects = list(session.scalars(select(BusinessComponent).where(
        BusinessComponent.study_id == study_id).order_by(BusinessComponent.code)))
    by_id = {project.id: project for project in projects}
    uncertainties = list(session.scalars(select(UncertaintyStatement).where(
        UncertaintyStatement.study_id == study_id).order_by(UncertaintyStatement.id)))
    experiments = list(session.scalars(select(Experiment).where(
        Experiment.study_id == study_id).order_by(Experiment.id)))
    uncertainty_project = {u.id: by_id[u.project_id] for u in uncertainties}
    return ([project_target(p) for p in projects]
            + [uncertainty_target(u, by_id[u.project_id]) for u in uncertainties]
            + [experiment_target(e, uncertainty_project[e.uncertainty_id]) for e in experiments])


def listed_targets(session: Session, study_id: int) -> list[Target]:
    """Every target a link may point at: the study's targets, then its projects' layers."""
    projects = {p.id: p for p in session.scalars(select(BusinessComponent).where(
        BusinessComponent.study_id == study_id))}
    layers = session.scalars(select(Layer).where(Layer.study_id == study_id).order_by(Layer.id))
    return study_targets(session, study_id) + [layer_target(layer, projects[layer.project_id])
                                               for layer in layers]


def layer_target(layer: Layer, project: BusinessComponent) -> Target:
    vendor = " ".join(part for part in (layer.vendor, layer.model) if part)
    label = f"Layer: {layer.name}" + (f" ({vendor})" if vendor else "")
    return Target(TargetType.LAYER, layer.id, project.id, project.code, label,
                  " ".join(part for part in (layer.name, layer.reason) if part), project.start_date,
                  project.end_date)


def project_target(project: BusinessComponent) -> Target:
    text = " ".join(part for part in (f"{project.name}.", project.description,
                                      project.information_sought) if part)
    return Target(TargetType.PROJECT, project.id, project.id, project.code, project.name, text,
                  project.start_date, project.end_date, project_names(project))


def uncertainty_target(uncertainty: UncertaintyStatement, project: BusinessComponent) -> Target:
    return Target(TargetType.UNCERTAINTY, uncertainty.id, project.id, project.code,
                  _clipped(uncertainty.statement, 100), uncertainty.statement,
                  project.start_date, project.end_date)


def experiment_target(experiment: Experiment, project: BusinessComponent) -> Target:
    text = " ".join(part for part in (f"{experiment.name}.", experiment.hypothesis,
                                      experiment.method) if part)
    return Target(TargetType.EXPERIMENT, experiment.id, project.id, project.code, experiment.name, text,
                  project.start_date, project.end_date)


def _clipped(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
