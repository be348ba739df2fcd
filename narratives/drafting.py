"""Deterministic first drafts of the four prong narratives of a project, in Markdown.

Only recorded facts go in: the interview answers and quotes (attributed to who said them,
in which role, on which date), the project's uncertainties, experiments and layers, and
the evidence people accepted as support, cited as ``[EX-12](exhibit:12)`` by artifact id.
Templates, no language model: the same facts always give the same text. A fact the
narrative needs but the record lacks becomes a visible ``TODO:`` line, never a guess.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from evidence.linking.describe import describe_parts
from evidence.models import Artifact, EvidenceLink, LinkStatus
from narratives.guides import Guide, all_questions, guide_for, prong_info
from narratives.interviews import project_interviews
from narratives.models import Prong
from studies.models import BusinessComponent, Experiment, Layer, LayerKind, Outcome, UncertaintyStatement
from studies.sectors import sub_sector_label

TODO = "TODO:"
NOT_SUCCEEDED = (Outcome.FAILED, Outcome.ABANDONED, Outcome.INCONCLUSIVE)
_SUPPORTS = {Prong.PERMITTED_PURPOSE: "the project's permitted purpose",
             Prong.TECHNOLOGICAL: "that the work relied on computer science or engineering",
             Prong.UNCERTAINTY: "the technical uncertainty and when it was identified",
             Prong.EXPERIMENTATION: "the alternatives evaluated and their outcomes"}
# The prong a link supports when the person who accepted it did not say: by what it is linked to.
_DEFAULT_PRONG = {"project": Prong.PERMITTED_PURPOSE, "uncertainty": Prong.UNCERTAINTY,
                  "experiment": Prong.EXPERIMENTATION, "layer": Prong.TECHNOLOGICAL}


@dataclass(frozen=True)
class Exhibit:
    """One accepted evidence link: which artifact, which part of it, for what."""

    artifact_id: int
    words: str
    prong: Prong
    target_type: str
    target_id: int

    @property
    def reference(self) -> str:
        return f"[EX-{self.artifact_id}](exhibit:{self.artifact_id})"


@dataclass(frozen=True)
class Said:
    """An answer to a guide question, with who said it, in which role, and when."""

    question_key: str
    question: str
    prong: Prong
    answer: str
    quote: str
    name: str
    role: str
    held_on: str

    @property
    def attribution(self) -> str:
        return f"{self.name}, {self.role}, interviewed {self.held_on}"


@dataclass(frozen=True)
class ProjectFacts:
    project: BusinessComponent
    guide: Guide
    interview_count: int
    said: tuple[Said, ...]
    exhibits: tuple[Exhibit, ...]

    def exhibits_for(self, target_type: str, target_id: int) -> list[Exhibit]:
        return [e for e in self.exhibits if e.target_type == target_type and e.target_id == target_id]


def gather_facts(session: Session, project: BusinessComponent) -> ProjectFacts:
    interviews = project_interviews(session, project)
    questions = {q.key: q.text for q in all_questions()}
    said = tuple(Said(a.question_key, questions.get(a.question_key, a.question_key), a.prong, a.answer,
                      a.quote, i.interviewee_name, i.interviewee_role, i.held_on.isoformat())
                 for i in interviews for a in sorted(i.answers, key=lambda a: a.id) if a.answer or a.quote)
    return ProjectFacts(project, guide_for(project.sub_sector), len(interviews), said,
                        tuple(accepted_exhibits(session, project)))


def accepted_exhibits(session: Session, project: BusinessComponent) -> list[Exhibit]:
    """Accepted links to the project, its uncertainties, experiments and layers; removed evidence left out."""
    targets = {"project": [project.id],
               "uncertainty": [u.id for u in project.uncertainties],
               "experiment": [e.id for u in project.uncertainties for e in u.experiments],
               "layer": [layer.id for layer in project.layers]}
    wanted = or_(*(((EvidenceLink.target_type == kind) & EvidenceLink.target_id.in_(ids))
                   for kind, ids in targets.items() if ids))
    links = list(session.scalars(
        select(EvidenceLink).join(Artifact, Artifact.id == EvidenceLink.artifact_id)
        .where(EvidenceLink.study_id == project.study_id, EvidenceLink.status == LinkStatus.ACCEPTED,
               Artifact.removed_at.is_(None), wanted)
        .options(selectinload(EvidenceLink.artifact)).order_by(EvidenceLink.artifact_id, EvidenceLink.id)))
    words = describe_parts(session, links)
    return [Exhibit(link.artifact_id, words[link.id], link_prong(link), link.target_type, link.target_id)
            for link in links]


def link_prong(link: EvidenceLink) -> Prong:
    """The prong a link supports: the one chosen when it was accepted, else by what it is linked to."""
    if link.prong in {p.value for p in Prong}:
        return Prong(str(link.prong))
    return _DEFAULT_PRONG.get(link.target_type, Prong.PERMITTED_PURPOSE)


# --- Markdown pieces -------------------------------------------------------------------------

def _uncertainties(project: BusinessComponent) -> list[UncertaintyStatement]:
    return sorted(project.uncertainties, key=lambda u: (u.identified_on, u.id))


def _experiments_of(item: UncertaintyStatement) -> list[Experiment]:
    # In Python, so both databases agree on where undated experiments go: last.
    return sorted(item.experiments, key=lambda e: (e.started_on is None, e.started_on, e.id))


def _todo(text: str) -> str:
    return f"{TODO} {text}"


def _cite(exhibits: Iterable[Exhibit]) -> str:
    refs = list(dict.fromkeys(e.reference for e in exhibits))
    return f" Evidence: {', '.join(refs)}." if refs else ""


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.splitlines())


def _dates(start: dt.date | None, end: dt.date | None) -> str:
    return f"{start or '?'} to {end or '?'}"


def _interview_section(facts: ProjectFacts, prong: Prong) -> list[str]:
    lines = ["### What the team said", ""]
    said = [s for s in facts.said if s.prong == prong]
    for question, group in _grouped(said):
        lines += [f"**{question}**", ""]
        for item in group:
            if item.answer:
                lines += [f"{item.answer}", "", f"*({item.attribution}.)*", ""]
            if item.quote:
                lines += [_quoted(f"\u201c{item.quote}\u201d"), ">", f"> \u2014 {item.attribution}", ""]
    answered = {s.question_key for s in said}
    section = next(s for s in facts.guide.sections if s.info.prong == prong)
    open_questions = [q for q in section.questions if q.key not in answered]
    if not facts.interview_count:
        lines += [_todo("interview the people who did the work; no interview is recorded."), ""]
    for open_question in open_questions:
        lines += [_todo(f"ask \u201c{open_question.text}\u201d"), ""]
    return lines


def _grouped(said: list[Said]) -> list[tuple[str, list[Said]]]:
    groups: dict[str, list[Said]] = {}
    for item in said:
        groups.setdefault(item.question, []).append(item)
    return list(groups.items())


def _evidence_section(facts: ProjectFacts, prong: Prong) -> list[str]:
    lines = ["### Exhibits", ""]
    by_artifact: dict[int, list[Exhibit]] = {}
    for exhibit in facts.exhibits:
        if exhibit.prong == prong:
            by_artifact.setdefault(exhibit.artifact_id, []).append(exhibit)
    if not by_artifact:
        return [*lines, _todo(f"link and accept evidence that supports {_SUPPORTS[prong]}."), ""]
    for artifact_id in sorted(by_artifact):
        group = by_artifact[artifact_id]
        parts = "; ".join(dict.fromkeys(e.words for e in group))
        lines.append(f"- {group[0].reference}: {parts}")
    return [*lines, ""]


def _header(facts: ProjectFacts, prong: Prong) -> list[str]:
    info = prong_info(prong)
    sources = f"{facts.interview_count} interview{'s' if facts.interview_count != 1 else ''}"
    return [f"## {info.label}: {facts.project.name}", "",
            f"*{info.citation}. {info.summary} Drafted by Fourpart from {sources} and the project record; "
            "each line starting with TODO marks a fact still to be recorded.*", ""]


# --- One section per prong ---------------------------------------------------------------------

def _permitted_purpose(facts: ProjectFacts) -> list[str]:
    project = facts.project
    worked = _dates(project.start_date, project.end_date)
    lines = [f"**Business component.** {project.name} ({project.component_type}, "
             f"{sub_sector_label(project.sub_sector)}), worked on from {worked}."
             + _cite(facts.exhibits_for("project", project.id)), ""]
    if not (project.start_date and project.end_date):
        lines += [_todo("record the project's start and end dates."), ""]
    lines += [project.description or _todo("describe the business component (the project description)."), ""]
    lines += ["**Purpose.** " + (project.permitted_purpose or _todo(
        "state the new or improved function, performance, reliability or quality the work aimed at "
        "(the project's permitted purpose).")), ""]
    lines += ["**Information sought.** " + (project.information_sought or _todo(
        "state the information the work sought to discover (Form 6765, line 49(f)).")), ""]
    return lines


def _technological(facts: ProjectFacts) -> list[str]:
    layers = facts.project.layers
    lines = ["### Where the line runs", ""]
    kinds = ((LayerKind.QUALIFYING_ENGINEERING, "Engineered by the company (claimed)"),
             (LayerKind.THIRD_PARTY_MODEL, "Third-party models used as shipped (not claimed)"),
             (LayerKind.EXCLUDED_ACTIVITY, "Excluded activities (not claimed)"))
    for kind, title in kinds:
        chosen = [layer for layer in layers if layer.kind == kind]
        if chosen:
            lines += [f"**{title}:**", ""]
            lines += [_layer_line(facts, layer) for layer in chosen] + [""]
    if not any(layer.kind == LayerKind.QUALIFYING_ENGINEERING for layer in layers):
        lines += [_todo("record the qualifying engineering layer: what the company built and on which "
                        "principles of computer science or engineering it relied."), ""]
    return lines


def _layer_line(facts: ProjectFacts, layer: Layer) -> str:
    vendor = " \u00b7 ".join(part for part in (layer.vendor, layer.model) if part)
    shown = f"{layer.name} ({vendor})" if vendor else layer.name
    reason = f": {layer.reason}" if layer.reason else ""
    return f"- {shown}{reason}" + _cite(facts.exhibits_for("layer", layer.id))


def _uncertainty(facts: ProjectFacts) -> list[str]:
    uncertainties = _uncertainties(facts.project)
    if not uncertainties:
        return [_todo("record the technical uncertainty: what the team did not know at the start "
                      "(capability, method or appropriate design) and the date it was identified."), ""]
    lines = ["### Uncertainties at the start", ""]
    for number, item in enumerate(uncertainties, start=1):
        kind = item.kind.value.replace("_", " ")
        lines += [f"{number}. **{kind.capitalize()} uncertainty**, identified {item.identified_on}: "
                  f"{item.statement}" + _cite(facts.exhibits_for("uncertainty", item.id)),
                  f"   {_resolution(item)}", ""]
    return lines


def _resolution(item: UncertaintyStatement) -> str:
    experiments = _experiments_of(item)
    if not experiments:
        return _todo("record the alternatives evaluated to resolve this uncertainty.")
    succeeded = [e for e in experiments if e.outcome == Outcome.SUCCEEDED]
    if succeeded:
        names = ", ".join(f"{e.name} (ended {e.ended_on or '?'})" for e in succeeded)
        count = f"{len(experiments)} alternative{'s' if len(experiments) != 1 else ''}"
        return f"Resolved by: {names}; {count} recorded."
    outcomes = ", ".join(f"{e.name}: {e.outcome.value}" for e in experiments)
    return f"Not resolved by a succeeding alternative; outcomes so far: {outcomes}."


def _experimentation(facts: ProjectFacts) -> list[str]:
    uncertainties = _uncertainties(facts.project)
    experiments = [e for u in uncertainties for e in _experiments_of(u)]
    if not experiments:
        return [_todo("record the alternatives evaluated (experiments), with hypothesis, method, dates and "
                      "outcome, including those that failed or were abandoned."), ""]
    lines = []
    for item in uncertainties:
        if item.experiments:
            lines += [f"### Alternatives for: {item.statement}", ""]
            lines += [line for e in _experiments_of(item) for line in _experiment_lines(facts, e)]
    failed = [e for e in experiments if e.outcome in NOT_SUCCEEDED]
    if failed:
        names = "; ".join(f"{e.name} ({e.outcome.value})" for e in failed)
        lines += [f"**Alternatives that did not succeed:** {names}.", ""]
    else:
        lines += [_todo("record the alternatives that failed or were abandoned; none is recorded."), ""]
    if len(experiments) < 2:
        lines += [_todo("record the other alternatives considered; only one is recorded."), ""]
    return lines


def _experiment_lines(facts: ProjectFacts, experiment: Experiment) -> list[str]:
    head = (f"- **{experiment.name}**: {experiment.outcome.value}, "
            f"{_dates(experiment.started_on, experiment.ended_on)}."
            + _cite(facts.exhibits_for("experiment", experiment.id)))
    lines = [head]
    name = repr(experiment.name)
    fields = (("Hypothesis", experiment.hypothesis, f"record the hypothesis of {name}."),
              ("Method", experiment.method, f"record how {name} was evaluated."))
    for label, value, missing in fields:
        lines.append(f"  - {label}: {value}" if value else f"  - {_todo(missing)}")
    if experiment.metrics:
        shown = ", ".join(f"{name} = {value}" for name, value in sorted(experiment.metrics.items()))
        lines.append(f"  - Metrics: {shown}")
    if experiment.notes:
        lines.append(f"  - Notes: {experiment.notes}")
    if not (experiment.started_on and experiment.ended_on) and experiment.outcome != Outcome.ONGOING:
        lines.append(f"  - {_todo(f'record when {experiment.name!r} started and ended.')}")
    return [*lines, ""]


_SECTIONS: dict[Prong, Callable[[ProjectFacts], list[str]]] = {
    Prong.PERMITTED_PURPOSE: _permitted_purpose,
    Prong.TECHNOLOGICAL: _technological,
    Prong.UNCERTAINTY: _uncertainty,
    Prong.EXPERIMENTATION: _experimentation,
}


def draft_markdown(facts: ProjectFacts, prong: Prong) -> str:
    lines = (_header(facts, prong) + _SECTIONS[prong](facts) + _interview_section(facts, prong)
             + _evidence_section(facts, prong))
    return "\n".join(lines).rstrip() + "\n"


def draft_all(facts: ProjectFacts) -> dict[Prong, str]:
    return {prong: draft_markdown(facts, prong) for prong in Prong}
