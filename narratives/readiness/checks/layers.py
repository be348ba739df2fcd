"""Where the line runs: vendor models, wrappers, and internal-use software's higher bar."""

from __future__ import annotations

from collections.abc import Iterator

from narratives.readiness.checks.base import Check, claimed, layer_ref, percent, project_ref
from narratives.readiness.findings import Severity, Verdict
from narratives.readiness.snapshot import ProjectSnapshot, StudySnapshot
from studies.models import LayerKind
from studies.sectors import common_exclusions

HTI_STATEMENTS = {"hti_innovative": "innovative",
                  "hti_economic_risk": "significant economic risk",
                  "hti_not_commercially_available": "not commercially available"}


def _vendors(project: ProjectSnapshot) -> str:
    names = [f"{layer.vendor or layer.name}{f' {layer.model}' if layer.model else ''}"
             for layer in project.project.layers if layer.kind is LayerKind.THIRD_PARTY_MODEL]
    return ", ".join(dict.fromkeys(names))


def third_party_line(study: StudySnapshot) -> Iterator[Verdict]:
    for project in study.projects:
        kinds = {layer.kind for layer in project.project.layers}
        if LayerKind.THIRD_PARTY_MODEL not in kinds:
            continue
        if kinds & {LayerKind.QUALIFYING_ENGINEERING, LayerKind.EXCLUDED_ACTIVITY}:
            yield Verdict(project_ref(project))
            continue
        yield Verdict(project_ref(project),
                      f"{project.project.name} uses {_vendors(project)}, but no layer says what was built on "
                      "top of it (qualifying engineering) or what is excluded: draw the line.")


def layer_reasons(study: StudySnapshot) -> Iterator[Verdict]:
    for project in study.projects:
        for layer in project.project.layers:
            yield Verdict(layer_ref(project, layer), None if layer.reason.strip() else
                          f"{project.project.name}: the layer '{layer.name}' gives no reason for which side "
                          "of the line it is on.")


def _charges(project: ProjectSnapshot) -> list[str]:
    wages = [f"{a.employee.name} {percent(a.percent)}" for a in project.allocations]
    contracts = [c.name for c in project.contractors if not c.excluded_reason]
    parts = []
    if wages:
        parts.append(f"wage allocation{'s' if len(wages) > 1 else ''} ({', '.join(wages)})")
    if contracts:
        parts.append(f"contract research ({', '.join(contracts)})")
    if project.expenses:
        parts.append(f"{len(project.expenses)} approved expense{'s' if len(project.expenses) > 1 else ''}")
    return parts


def wrapper_not_charged(study: StudySnapshot) -> Iterator[Verdict]:
    """A project whose layers are all a vendor's or excluded must not carry qualified costs."""
    wrapper = next(e for e in common_exclusions() if e.code == "api_wrapper")
    for project in study.projects:
        if project.claimed_as_qualifying:
            continue
        charges = _charges(project)
        if not charges:
            yield Verdict(project_ref(project))
            continue
        third_party = any(layer.kind is LayerKind.THIRD_PARTY_MODEL for layer in project.project.layers)
        why = f" ({wrapper.label}, Treas. Reg. §1.41-4(b)(2))" if third_party else ""
        yield Verdict(project_ref(project),
                      f"{project.project.name}: every layer is a vendor model or an excluded activity{why}, "
                      f"yet the claim still charges it with {' and '.join(charges)}. Take them out of the "
                      "claim, or record the qualifying engineering built on top.",
                      {"charges": charges, **({"exclusion": wrapper.reason} if third_party else {})})


def layers_recorded(study: StudySnapshot) -> Iterator[Verdict]:
    for project in claimed(study):
        yield Verdict(project_ref(project), None if project.project.layers else
                      f"{project.project.name}: no layers are recorded; say what is qualifying engineering "
                      "and what is a vendor's model or excluded.")


def internal_use_software(study: StudySnapshot) -> Iterator[Verdict]:
    for project in claimed(study):
        if not project.project.internal_use_software:
            continue
        missing = [label for field, label in HTI_STATEMENTS.items()
                   if not str(getattr(project.project, field) or "").strip()]
        yield Verdict(project_ref(project), None if not missing else
                      f"{project.project.name} is internal-use software, which must also pass the high "
                      f"threshold of innovation; missing: {', '.join(missing)}.",
                      {"missing": missing} if missing else {})


CHECKS = (
    Check("wrapper-charged", Severity.BLOCKING, "No qualified costs on a project nothing qualifies in",
          wrapper_not_charged),
    Check("third-party-no-line", Severity.BLOCKING, "A line is drawn wherever a vendor model is used",
          third_party_line),
    Check("layers-missing", Severity.WARNING, "Each claimed project records its layers", layers_recorded),
    Check("layer-without-reason", Severity.WARNING, "Each layer says why it is on its side of the line",
          layer_reasons),
    Check("ius-without-hti", Severity.BLOCKING, "Internal-use software has the three HTI statements",
          internal_use_software),
)
