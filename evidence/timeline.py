"""A project's evidence timeline: when its linked evidence was made, against its dates and the tax year.

Commits are bars per month; decision records, runs (failed and killed ones drawn apart),
ablations and documents are markers; the tax year is shaded, the project's start and end are
dashed lines and each uncertainty statement's ``identified_on`` date is a vertical line. An
examiner sees at a glance what was written while the work happened and what came after.

Accepted links only, unless ``include_suggested`` (then open suggestions are drawn faint).
No Flask here: the PDF package draws the same chart. Each drawn item carries an SVG id
(``timeline-run-failed-3``, ``timeline-commits-2025-03``...) so the chart can be checked.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from core.charts import PALETTE, new_figure, styled, svg_text
from evidence.linking.parts import PartType, commit_set_project
from evidence.models import (
    AblationVariant,
    ArtifactKind,
    ArtifactRevision,
    CommitProject,
    Decision,
    DecisionOption,
    EvidenceLink,
    GitCommit,
    LinkStatus,
    Run,
)
from studies.models import BusinessComponent, Experiment, Study, UncertaintyStatement

FAILED_RUN_STATUSES = frozenset({"failed", "killed"})
MARKER_ROWS = ("adr", "run", "ablation", "document")  # top to bottom
ROW_LABELS = {"adr": "Decisions (ADRs)", "run": "Runs", "ablation": "Ablations", "document": "Documents"}
MARKER_STYLE = {"adr": ("D", PALETTE[3]), "run": ("o", PALETTE[0]), "run-failed": ("X", PALETTE[1]),
                "ablation": ("s", PALETTE[4]), "document": ("^", PALETTE[6])}
_KIND_ROW = {ArtifactKind.ADR: "adr", ArtifactKind.RUN_LOG: "run", ArtifactKind.ABLATION: "ablation",
             ArtifactKind.DOCUMENT: "document"}


@dataclass(frozen=True)
class Marker:
    """One dated piece of evidence; ``by_upload``: no content date, drawn at its upload date."""

    on: dt.date
    kind: str  # a MARKER_ROWS entry, or "run-failed"
    label: str
    accepted: bool
    by_upload: bool = False
    thing: tuple[str, int] = ("", 0)  # what is dated: ("run", id), ("decision", id), ("artifact", id)

    @property
    def row(self) -> str:
        return "run" if self.kind == "run-failed" else self.kind


@dataclass(frozen=True)
class ProjectTimeline:
    project: str
    start: dt.date | None
    end: dt.date | None
    tax_year: int
    uncertainties: list[tuple[dt.date, str]]
    commits: dict[dt.date, tuple[int, int]]  # month -> (accepted, suggested only)
    markers: list[Marker] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.commits and not self.markers

    def dates(self) -> list[dt.date]:
        """Every date the chart must show."""
        fixed = [self.start, self.end, dt.date(self.tax_year, 1, 1), dt.date(self.tax_year, 12, 31)]
        return sorted([d for d in fixed if d] + [on for on, _ in self.uncertainties]
                      + list(self.commits) + [marker.on for marker in self.markers])

    def counts(self) -> dict[str, int]:
        """Accepted evidence by kind, for the sentence under the chart."""
        kinds = Counter(marker.kind for marker in self.markers if marker.accepted)
        kinds["commits"] = sum(accepted for accepted, _ in self.commits.values())
        return dict(kinds)

    def before_first_uncertainty(self) -> int:
        """Accepted markers dated before the first uncertainty was written down."""
        if not self.uncertainties:
            return 0
        first = min(on for on, _ in self.uncertainties)
        return sum(1 for marker in self.markers if marker.accepted and marker.on < first)


def project_timeline(session: Session, project_id: int, *,
                     include_suggested: bool = False) -> ProjectTimeline:
    """What the chart of one project shows, read from its links."""
    project = session.get_one(BusinessComponent, project_id)
    study = session.get_one(Study, project.study_id)
    uncertainties = list(session.scalars(select(UncertaintyStatement).where(
        UncertaintyStatement.project_id == project_id).order_by(UncertaintyStatement.identified_on)))
    links = _project_links(session, project, uncertainties, include_suggested)
    accepted = [link for link in links if link.status is LinkStatus.ACCEPTED]
    suggested = [link for link in links if link.status is LinkStatus.SUGGESTED]
    return ProjectTimeline(
        project=project.name, start=project.start_date, end=project.end_date, tax_year=study.tax_year,
        uncertainties=[(u.identified_on, f"U{index}") for index, u in enumerate(uncertainties, start=1)],
        commits=_commit_months(session, project_id, accepted, suggested),
        markers=_markers(session, [*accepted, *suggested]))


def project_timeline_svg(session: Session, project_id: int, *, include_suggested: bool = False) -> str:
    return timeline_svg(project_timeline(session, project_id, include_suggested=include_suggested))


def _project_links(session: Session, project: BusinessComponent,
                   uncertainties: Sequence[UncertaintyStatement],
                   include_suggested: bool) -> list[EvidenceLink]:
    uncertainty_ids = [u.id for u in uncertainties]
    experiment_ids = list(session.scalars(select(Experiment.id).where(
        Experiment.uncertainty_id.in_(uncertainty_ids)))) if uncertainty_ids else []
    statuses = [LinkStatus.ACCEPTED, *([LinkStatus.SUGGESTED] if include_suggested else [])]
    targets = [("project", [project.id]), ("uncertainty", uncertainty_ids), ("experiment", experiment_ids)]
    aimed = or_(*(and_(EvidenceLink.target_type == kind, EvidenceLink.target_id.in_(ids))
                  for kind, ids in targets if ids))
    query = (select(EvidenceLink).where(EvidenceLink.study_id == project.study_id,
                                        EvidenceLink.status.in_(statuses), aimed)
             .options(selectinload(EvidenceLink.artifact)).order_by(EvidenceLink.id))
    return list(session.scalars(query))


def _commit_months(session: Session, project_id: int, accepted: Sequence[EvidenceLink],
                   suggested: Sequence[EvidenceLink]) -> dict[dt.date, tuple[int, int]]:
    accepted_ids = _commit_ids(session, project_id, accepted)
    suggested_ids = _commit_ids(session, project_id, suggested) - accepted_ids
    months: dict[dt.date, list[int]] = {}
    for index, ids in enumerate((accepted_ids, suggested_ids)):
        for month, count in _per_month(session, ids).items():
            months.setdefault(month, [0, 0])[index] += count
    return {month: (counts[0], counts[1]) for month, counts in sorted(months.items())}


def _commit_ids(session: Session, project_id: int, links: Iterable[EvidenceLink]) -> set[int]:
    ids: set[int] = set()
    for link in links:
        if link.part_type == PartType.COMMIT_SET:
            mapped = commit_set_project(link.part_ref) or project_id
            ids.update(session.scalars(
                select(GitCommit.id).join(CommitProject, CommitProject.commit_id == GitCommit.id)
                .where(GitCommit.artifact_id == link.artifact_id, CommitProject.project_id == mapped)))
        elif link.part_type is None and link.artifact.kind is ArtifactKind.GIT_REPOSITORY:
            ids.update(session.scalars(select(GitCommit.id).where(GitCommit.artifact_id == link.artifact_id)))
    return ids


def _per_month(session: Session, ids: set[int]) -> Counter[dt.date]:
    months: Counter[dt.date] = Counter()
    ordered = sorted(ids)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start:start + 500]
        for authored_at in session.scalars(select(GitCommit.authored_at).where(GitCommit.id.in_(chunk))):
            months[authored_at.date().replace(day=1)] += 1
    return months


def _markers(session: Session, links: Sequence[EvidenceLink]) -> list[Marker]:
    """One marker per dated thing, even when several links point at it (an ADR and its options);
    an accepted link comes first in ``links``, so the thing is drawn as accepted."""
    found: dict[tuple[str, int], Marker] = {}
    for link in links:
        if link.part_type == PartType.COMMIT_SET or (
                link.part_type is None and link.artifact.kind is ArtifactKind.GIT_REPOSITORY):
            continue
        marker = _marker(session, link, link.status is LinkStatus.ACCEPTED)
        if marker is not None and marker.thing not in found:
            found[marker.thing] = marker
    return sorted(found.values(), key=lambda m: (m.on, m.kind, m.label))


def _marker(session: Session, link: EvidenceLink, accepted: bool) -> Marker | None:
    ref = int(link.part_ref) if link.part_ref and link.part_ref.isdigit() else -1
    if link.part_type == PartType.RUN:
        run = session.get(Run, ref)
        if run is None:
            return None
        on, by_upload = ((run.started_at.date(), False) if run.started_at
                         else _revision_date(session, run.revision_id))
        kind = "run-failed" if run.status in FAILED_RUN_STATUSES else "run"
        return Marker(on, kind, f"{run.name or run.external_id} ({run.status})", accepted, by_upload,
                      ("run", run.id))
    if link.part_type in (PartType.DECISION, PartType.OPTION):
        decision = _decision(session, link.part_type, ref)
        if decision is None:
            return None
        on, by_upload = ((decision.decided_on, False) if decision.decided_on
                         else _revision_date(session, decision.revision_id))
        return Marker(on, "adr", decision.title, accepted, by_upload, ("decision", decision.id))
    return _artifact_marker(session, link, accepted)


def _decision(session: Session, part_type: str, ref: int) -> Decision | None:
    if part_type == PartType.DECISION:
        return session.get(Decision, ref)
    option = session.get(DecisionOption, ref)
    return option.decision if option else None


def _artifact_marker(session: Session, link: EvidenceLink, accepted: bool) -> Marker | None:
    row = _KIND_ROW.get(link.artifact.kind)
    if row is None:
        return None
    revision_id = _revision_of(session, link)
    if revision_id is None:
        return None
    on, by_upload = _revision_date(session, revision_id)
    return Marker(on, row, link.artifact.title, accepted, by_upload, ("artifact", link.artifact_id))


def _revision_of(session: Session, link: EvidenceLink) -> int | None:
    if link.part_type == PartType.VARIANT and (link.part_ref or "").isdigit():
        variant = session.get(AblationVariant, int(link.part_ref or 0))
        if variant is not None:
            return variant.revision_id
    return session.scalar(select(func.max(ArtifactRevision.id)).where(
        ArtifactRevision.artifact_id == link.artifact_id))


def _revision_date(session: Session, revision_id: int) -> tuple[dt.date, bool]:
    revision = session.get_one(ArtifactRevision, revision_id)
    if revision.content_start is not None:
        return revision.content_start, False
    return revision.uploaded_at.date(), True


# Drawing ---------------------------------------------------------------------------------

def timeline_svg(timeline: ProjectTimeline) -> str:
    """The chart as an inline ``<svg>`` element."""
    return svg_text(timeline_figure(timeline), title=f"Evidence timeline of {timeline.project}")


def timeline_figure(timeline: ProjectTimeline) -> Figure:
    figure = new_figure(7.5, 3.6)
    with styled():
        top, bottom = figure.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [1.1, 1.0]})
        _backdrop(top, timeline, labelled=True)
        _backdrop(bottom, timeline, labelled=False)
        _draw_markers(top, timeline.markers)
        _draw_commits(bottom, timeline.commits)
        _label_uncertainties(top, timeline.uncertainties)
        _frame(top, bottom, timeline)
        handles, labels = top.get_legend_handles_labels()
        more_handles, more_labels = bottom.get_legend_handles_labels()
        figure.legend(handles + more_handles, labels + more_labels, loc="outside lower center", ncol=4,
                      fontsize=7, frameon=False)
    return figure


def _backdrop(axes: Axes, timeline: ProjectTimeline, *, labelled: bool) -> None:
    """Tax year, project dates and uncertainty lines; ``labelled`` on one axes only (legend, ids)."""
    first = labelled
    year_start, year_end = dt.date(timeline.tax_year, 1, 1), dt.date(timeline.tax_year + 1, 1, 1)
    axes.axvspan(_x(year_start), _x(year_end), color="#94a3b8", alpha=0.15, lw=0,
                 label=f"Tax year {timeline.tax_year}" if first else None,
                 gid="timeline-tax-year" if first else None)
    for name, day in (("start", timeline.start), ("end", timeline.end)):
        if day is not None:
            axes.axvline(_x(day), color=PALETTE[2], ls="--" if name == "start" else "-.", lw=1.2,
                         label=f"Project {name}" if first else None,
                         gid=f"timeline-project-{name}" if first else None)
    for index, (on, _label) in enumerate(timeline.uncertainties, start=1):
        axes.axvline(_x(on), color=PALETTE[7], lw=1.2,
                     label="Uncertainty identified" if first and index == 1 else None,
                     gid=f"timeline-uncertainty-{index}" if first else None)


def _draw_markers(axes: Axes, markers: Sequence[Marker]) -> None:
    """One line of points per kind, state and dating: a study's 100 markers a chart drawn one by one
    took most of a package's study-reading time. Each group has its own SVG id."""
    groups: dict[tuple[str, bool, bool], list[Marker]] = {}
    for marker in markers:
        groups.setdefault((marker.kind, not marker.accepted, marker.by_upload), []).append(marker)
    legend_done: set[str] = set()
    for (kind, suggested, by_upload), members in sorted(groups.items()):
        symbol, color = MARKER_STYLE[kind]
        label = None
        if not suggested and kind not in legend_done:
            label = _legend_label(members[0])
            legend_done.add(kind)
        rows = [len(MARKER_ROWS) - 1 - MARKER_ROWS.index(marker.row) for marker in members]
        gid = f"timeline-{kind}{'-suggested' if suggested else ''}{'-at-upload' if by_upload else ''}"
        axes.plot([_x(marker.on) for marker in members], rows, linestyle="none", marker=symbol,
                  markersize=7, markerfacecolor="none" if by_upload else color, markeredgecolor=color,
                  alpha=0.3 if suggested else 1.0, label=label, gid=gid)
    if any(marker.by_upload for marker in markers):
        axes.plot([], [], linestyle="none", marker="o", markerfacecolor="none", markeredgecolor=PALETTE[6],
                  label="No content date: at upload")
    axes.set_yticks(range(len(MARKER_ROWS)), [ROW_LABELS[row] for row in reversed(MARKER_ROWS)])
    axes.set_ylim(-0.7, len(MARKER_ROWS) - 0.3)
    axes.grid(axis="y", visible=False)


def _legend_label(marker: Marker) -> str:
    return {"run-failed": "Failed or killed run", "run": "Run", "adr": "ADR", "ablation": "Ablation",
            "document": "Document"}[marker.kind]


def _draw_commits(axes: Axes, commits: dict[dt.date, tuple[int, int]]) -> None:
    months = list(commits)
    accepted = [commits[month][0] for month in months]
    suggested = [commits[month][1] for month in months]
    centers = [_x(month + dt.timedelta(days=14)) for month in months]
    if any(accepted):
        bars = axes.bar(centers, accepted, width=24, color=PALETTE[0], label="Commits per month")
        for month, bar in zip(months, bars, strict=True):
            bar.set_gid(f"timeline-commits-{month:%Y-%m}")
    if any(suggested):
        bars = axes.bar(centers, suggested, bottom=accepted, width=24, color=PALETTE[0], alpha=0.25,
                        label="Commits (suggested links)")
        for month, bar in zip(months, bars, strict=True):
            bar.set_gid(f"timeline-commits-suggested-{month:%Y-%m}")
    axes.set_ylabel("Commits")
    if not commits:
        axes.text(0.5, 0.5, "No commits linked", transform=axes.transAxes, ha="center", va="center",
                  color="#52606d")


def _label_uncertainties(axes: Axes, uncertainties: Sequence[tuple[dt.date, str]]) -> None:
    for on, label in uncertainties:
        axes.annotate(label, (_x(on), 1.0), xycoords=("data", "axes fraction"),
                      xytext=(2, 2), textcoords="offset points", fontsize=7, color=PALETTE[7])


def _x(day: dt.date) -> float:
    """A date as matplotlib's x coordinate (days since its epoch)."""
    return float(mdates.date2num(day))


def _frame(top: Axes, bottom: Axes, timeline: ProjectTimeline) -> None:
    dates = timeline.dates()
    pad = dt.timedelta(days=20)
    bottom.set_xlim(_x(dates[0] - pad), _x(dates[-1] + pad))
    locator = mdates.AutoDateLocator(maxticks=10)
    bottom.xaxis.set_major_locator(locator)
    bottom.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    if timeline.is_empty:
        top.text(0.5, 0.5, "No accepted evidence is linked to this project yet", transform=top.transAxes,
                 ha="center", va="center", color="#52606d")
