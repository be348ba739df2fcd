"""What the package says about each project: narratives, uncertainties, layers, timeline, people, costs."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from evidence.timeline import project_timeline_svg
from narratives.drafting import accepted_exhibits
from narratives.guides import prong_info
from narratives.models import Narrative, Prong
from narratives.package.exhibits import ExhibitEntry, user_labels
from narratives.package.methodology import GL_SOURCE
from narratives.package.references import render_with_exhibits
from narratives.versions import approved_version
from studies.models import (
    BusinessComponent,
    Contractor,
    Experiment,
    QualifiedExpense,
    UncertaintyStatement,
    WageAllocation,
)
from studies.sectors import sub_sector, sub_sector_label

PRONGS = (Prong.PERMITTED_PURPOSE, Prong.TECHNOLOGICAL, Prong.UNCERTAINTY, Prong.EXPERIMENTATION)


@dataclass(frozen=True)
class NarrativeBlock:
    prong: str
    label: str
    citation: str
    html: Markup | None  # None: no approved version
    version: int | None = None
    approved_by: str = ""
    approved_at: dt.datetime | None = None


@dataclass(frozen=True)
class ExperimentRow:
    name: str
    hypothesis: str
    method: str
    started_on: dt.date | None
    ended_on: dt.date | None
    outcome: str
    metrics: str
    notes: str
    exhibits: tuple[int, ...]


@dataclass(frozen=True)
class UncertaintyBlock:
    label: str
    kind: str
    statement: str
    identified_on: dt.date
    experiments: tuple[ExperimentRow, ...]
    exhibits: tuple[int, ...]


@dataclass(frozen=True)
class LayerRow:
    kind: str
    name: str
    vendor: str
    model: str
    reason: str


@dataclass(frozen=True)
class AllocationRow:
    person: str
    title: str
    activity: str
    percent: Decimal
    source: str
    note: str


@dataclass(frozen=True)
class CostRow:
    category: str
    payee: str
    description: str
    amount: Decimal
    share: str
    source: str


@dataclass(frozen=True)
class ProjectSection:
    code: str
    name: str
    component_type: str
    sub_sector: str
    description: str
    information_sought: str
    permitted_purpose: str
    start_date: dt.date | None
    end_date: dt.date | None
    internal_use_software: bool
    narratives: tuple[NarrativeBlock, ...]
    uncertainties: tuple[UncertaintyBlock, ...]
    layers: tuple[LayerRow, ...]
    not_qualifying: tuple[str, ...]
    timeline_svg: Markup
    allocations: tuple[AllocationRow, ...]
    costs: tuple[CostRow, ...]
    exhibits: tuple[int, ...]

    @property
    def anchor(self) -> str:
        return f"project-{self.code}"


def project_sections(session: Session, study_id: int, exhibits: list[ExhibitEntry]) -> list[ProjectSection]:
    numbers = {entry.artifact_id: entry.number for entry in exhibits}
    projects = session.scalars(
        select(BusinessComponent).where(BusinessComponent.study_id == study_id)
        .options(selectinload(BusinessComponent.uncertainties).selectinload(UncertaintyStatement.experiments),
                 selectinload(BusinessComponent.layers))
        .order_by(BusinessComponent.code))
    return [project_section(session, project, numbers) for project in projects]


def project_section(session: Session, project: BusinessComponent, numbers: dict[int, int]) -> ProjectSection:
    linked: dict[tuple[str, int], set[int]] = {}
    for exhibit in accepted_exhibits(session, project):
        if exhibit.artifact_id in numbers:
            target = (exhibit.target_type, exhibit.target_id)
            linked.setdefault(target, set()).add(numbers[exhibit.artifact_id])
    all_linked = tuple(sorted({n for found in linked.values() for n in found}))
    return ProjectSection(
        project.code, project.name, project.component_type, sub_sector_label(project.sub_sector),
        project.description, project.information_sought, project.permitted_purpose, project.start_date,
        project.end_date, project.internal_use_software, _narratives(session, project, numbers),
        _uncertainties(project, linked), _layers(project), _not_qualifying(project.sub_sector),
        _timeline(session, project),
        _allocations(session, project), _costs(session, project), all_linked)


def _timeline(session: Session, project: BusinessComponent) -> Markup:
    """The project's timeline (drawn by core.charts from escaped text), its element ids made unique:
    one document holds every project's timeline."""
    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", project.code)
    svg = project_timeline_svg(session, project.id)
    return Markup(svg.replace('id="timeline-', f'id="{prefix}-timeline-'))


def _narratives(session: Session, project: BusinessComponent,
                numbers: dict[int, int]) -> tuple[NarrativeBlock, ...]:
    found = {n.prong: n for n in session.scalars(
        select(Narrative).where(Narrative.project_id == project.id, Narrative.study_id == project.study_id)
        .options(selectinload(Narrative.versions)))}
    versions = {prong: approved_version(n) for prong, n in found.items()}
    approvers = user_labels(session, {v.approved_by_id for v in versions.values() if v and v.approved_by_id})
    blocks = []
    for prong in PRONGS:
        info, version = prong_info(prong), versions.get(prong)
        if version is None:
            blocks.append(NarrativeBlock(prong.value, info.label, info.citation, None))
            continue
        blocks.append(NarrativeBlock(prong.value, info.label, info.citation,
                                     render_with_exhibits(version.markdown, numbers), version.number,
                                     approvers.get(version.approved_by_id or 0, ""), version.approved_at))
    return tuple(blocks)


Linked = dict[tuple[str, int], set[int]]


def _uncertainties(project: BusinessComponent, linked: Linked) -> tuple[UncertaintyBlock, ...]:
    ordered = sorted(project.uncertainties, key=lambda u: (u.identified_on, u.id))
    return tuple(UncertaintyBlock(f"U{index}", u.kind.value.replace("_", " "), u.statement, u.identified_on,
                                  tuple(_experiment(e, linked) for e in _by_start(u.experiments)),
                                  tuple(sorted(linked.get(("uncertainty", u.id), ()))))
                 for index, u in enumerate(ordered, start=1))


def _by_start(experiments: list[Experiment]) -> list[Experiment]:
    return sorted(experiments, key=lambda e: (e.started_on is None, e.started_on, e.id))


def _experiment(experiment: Experiment, linked: dict[tuple[str, int], set[int]]) -> ExperimentRow:
    metrics = "; ".join(f"{key}: {_metric(value)}" for key, value in sorted(experiment.metrics.items()))
    return ExperimentRow(experiment.name, experiment.hypothesis, experiment.method, experiment.started_on,
                         experiment.ended_on, experiment.outcome.value, metrics, experiment.notes,
                         tuple(sorted(linked.get(("experiment", experiment.id), ()))))


def _metric(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def _layers(project: BusinessComponent) -> tuple[LayerRow, ...]:
    return tuple(LayerRow(layer.kind.value, layer.name, layer.vendor or "", layer.model or "", layer.reason)
                 for layer in sorted(project.layers, key=lambda layer: (layer.kind.value, layer.id)))


def _not_qualifying(code: str) -> tuple[str, ...]:
    try:
        return sub_sector(code).exclusions
    except KeyError:
        return ()


def _allocations(session: Session, project: BusinessComponent) -> tuple[AllocationRow, ...]:
    rows = session.scalars(select(WageAllocation).where(WageAllocation.project_id == project.id)
                           .options(selectinload(WageAllocation.employee)))
    return tuple(sorted((AllocationRow(a.employee.name, a.employee.title, a.activity.value.replace("_", " "),
                                       a.percent, a.source.value.replace("_", " "), a.note) for a in rows),
                        key=lambda row: (row.person, row.activity)))


def _costs(session: Session, project: BusinessComponent) -> tuple[CostRow, ...]:
    expenses = session.scalars(select(QualifiedExpense).where(
        QualifiedExpense.project_id == project.id, QualifiedExpense.approved_by_id.is_not(None))
        .order_by(QualifiedExpense.category, QualifiedExpense.id))
    contractors = session.scalars(select(Contractor).where(Contractor.project_id == project.id)
                                  .order_by(Contractor.name, Contractor.id))
    from_gl: dict[str, list[QualifiedExpense]] = {}
    rows = []
    for e in expenses:
        if e.source_kind == GL_SOURCE:
            from_gl.setdefault(e.category.value.replace("_", " "), []).append(e)
        else:
            rows.append(CostRow(e.category.value.replace("_", " "), e.vendor, e.description, e.amount,
                                f"{e.qualified_share.normalize():f}%", f"{e.source_kind} {e.source_ref}"))
    rows += [_gl_cost_row(category, group) for category, group in from_gl.items()]
    rows += [CostRow("contract research", c.name, c.description, c.amount_paid, _contract_terms(c),
                     "contractor record") for c in contractors]
    return tuple(rows)


def _gl_cost_row(category: str, lines: list[QualifiedExpense]) -> CostRow:
    """A component's GL lines of one category as one row: each is printed in the GL schedule."""
    vendors = sorted({e.vendor for e in lines})
    payee = vendors[0] if len(vendors) == 1 else f"{len(vendors)} vendors"
    count = len(lines)
    return CostRow(category, payee, f"{count:,} approved general-ledger line{'' if count == 1 else 's'}",
                   sum((e.amount for e in lines), Decimal(0)), "each line's share",
                   "itemized in the GL schedule")


def _contract_terms(contractor: Contractor) -> str:
    if contractor.excluded_reason:
        return f"excluded: {contractor.excluded_reason}"
    rights, risk = ("yes" if flag else "no" for flag in (contractor.rights_retained, contractor.risk_borne))
    return (f"{contractor.org_type.value.replace('_', ' ')}, {contractor.country}; "
            f"rights retained: {rights}, risk borne: {risk}")
