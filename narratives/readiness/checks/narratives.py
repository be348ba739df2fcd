"""The package carries approved narratives only: each prong of each claimed project needs one."""

from __future__ import annotations

from collections.abc import Iterator

from narratives.guides import prong_info
from narratives.models import Prong
from narratives.readiness.checks.base import Check, claimed, project_ref
from narratives.readiness.findings import RecordRef, Severity, Verdict
from narratives.readiness.snapshot import StudySnapshot
from narratives.versions import approved_version


def narratives_approved(study: StudySnapshot) -> Iterator[Verdict]:
    for project in claimed(study):
        for prong in Prong:
            label = prong_info(prong).label.lower()
            narrative = project.narratives.get(prong)
            if narrative is None:
                yield Verdict(project_ref(project),
                              f"{project.project.name}: no {label} narrative is written.",
                              {"prong": prong.value})
                continue
            record = RecordRef("narrative", narrative.id, f"{project.project.name}: {label}", project.code)
            state = narrative.state.value.replace("_", " ")
            yield Verdict(record, None if approved_version(narrative) is not None else
                          f"{project.project.name}: the {label} narrative is {state}, not approved; "
                          "the package carries approved narratives only.",
                          {"prong": prong.value})


CHECKS = (
    Check("narrative-unapproved", Severity.BLOCKING, "Every prong narrative is approved",
          narratives_approved),
)
