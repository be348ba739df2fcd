"""The demo's accepted evidence links, as an interviewer would have made them: which commit set,
decision record, run or ablation row shows each project, uncertainty and experiment.

Planted on purpose for the readiness checks: nothing shows Verdict's permitted purpose (the
interview speaks to it, no record does).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evidence.linking.decisions import add_manual_link
from evidence.linking.parts import PartType, commit_set_ref
from evidence.models import AblationVariant, ArtifactRevision, CommitProject, Decision, GitCommit, Run
from studies.models import BusinessComponent, Experiment, UncertaintyStatement


@dataclass(frozen=True)
class Link:
    """``target`` is ``project``, ``uncertainty:<index>`` (by date) or ``experiment:<name>``;
    ``part`` names the evidence: ``commits``, ``decision:<title>``, ``run:<name>``,
    ``table:<sheet>`` or ``variant:<name>``."""

    project: str
    target: str
    part: str
    prong: str | None = None


HYBRID_ADR = "decision:Use hybrid retrieval with reciprocal rank fusion"
CODEX_ADR = "decision:Run the Verdict lawyer agreement study with Stanford Law CodeX"
FSDP_ADR = "decision:Use FSDP with activation checkpointing for re-ranker fine-tuning"
QUICKBRIEF_ADR = "decision:Call the OpenAI API directly for QuickBrief contract summaries"

LINKS: tuple[Link, ...] = (
    Link("citerag", "project", "commits", "technological_in_nature"),
    Link("citerag", "project", HYBRID_ADR, "permitted_purpose"),
    Link("citerag", "uncertainty:0", "table:Retrieval ablation"),
    Link("citerag", "uncertainty:1", "decision:Add citation-aware re-ranking after fusion"),
    Link("citerag", "experiment:BM25 only", "variant:BM25 (baseline)"),
    Link("citerag", "experiment:BM25 only", "run:bm25-baseline"),
    Link("citerag", "experiment:Dense only", "variant:Dense only (e5-large-v2)"),
    Link("citerag", "experiment:Dense only", "run:dense-only-bge-legal-ft-hardneg"),
    Link("citerag", "experiment:Hybrid with reciprocal-rank fusion", "run:hybrid-rrf-k60"),
    Link("citerag", "experiment:Hybrid with reciprocal-rank fusion",
         HYBRID_ADR),
    Link("citerag", "experiment:ColBERT late interaction", "run:colbert-v2-full-4.1M-eval"),
    Link("citerag", "experiment:ColBERT late interaction",
         "decision:Abandon ColBERT and keep the hybrid RRF index"),
    Link("citerag", "experiment:Cross-encoder re-ranking after fusion", "run:rerank-msmarco-minilm"),
    Link("citerag", "experiment:Cross-encoder re-ranking after fusion",
         "variant:cross-encoder ms-marco (fine-tuned)"),
    Link("citerag", "experiment:Citation-aware re-ranking after fusion", "run:rerank-citation-aware-v2-7b"),
    Link("citerag", "experiment:Citation-aware re-ranking after fusion",
         "decision:Add citation-aware re-ranking after fusion"),
    Link("verdict", "project", "commits", "technological_in_nature"),
    Link("verdict", "uncertainty:0", CODEX_ADR),
    Link("verdict", "experiment:Exact-match citation check", "run:exact-match-citation"),
    Link("verdict", "experiment:LLM-as-judge with vendor model", "run:llm-judge-gpt4o-prompt-v4"),
    Link("verdict", "experiment:NLI-based faithfulness scorer", "run:nli-legal-ft-v2"),
    Link("verdict", "experiment:NLI-based faithfulness scorer",
         "decision:Use an NLI-based faithfulness scorer in Verdict"),
    Link("forge", "project", "commits", "technological_in_nature"),
    Link("forge", "project", FSDP_ADR, "permitted_purpose"),
    Link("forge", "uncertainty:0", FSDP_ADR),
    Link("forge", "experiment:FSDP with activation checkpointing", "run:fsdp-7b-final"),
    Link("forge", "experiment:DeepSpeed ZeRO-3 with CPU offload", "run:zero3-offload-7b"),
    Link("forge", "experiment:Pipeline parallel (4 stages)", "run:pipeline-4stage-7b"),
    Link("quickbrief", "project", "commits", "technological_in_nature"),
    Link("quickbrief", "project", QUICKBRIEF_ADR, "permitted_purpose"),
)


class DemoLinkError(RuntimeError):
    """A curated link names evidence the generated material does not have: the two drifted apart."""


def link_demo_evidence(session: Session, study_id: int, *, user_id: int) -> int:
    projects = {p.code: p for p in session.scalars(
        select(BusinessComponent).where(BusinessComponent.study_id == study_id))}
    for link in LINKS:
        project = projects[link.project]
        target_type, target_id = _target(project, link.target)
        artifact_id, part_type, part_ref = _part(session, study_id, project, link.part)
        add_manual_link(session, study_id, artifact_id=artifact_id, target_type=target_type,
                        target_id=target_id, user_id=user_id, part_type=part_type, part_ref=part_ref,
                        prong=link.prong)
    return len(LINKS)


def _target(project: BusinessComponent, spec: str) -> tuple[str, int]:
    kind, _, name = spec.partition(":")
    if kind == "project":
        return "project", project.id
    uncertainties: list[UncertaintyStatement] = sorted(project.uncertainties,
                                                       key=lambda u: (u.identified_on, u.id))
    if kind == "uncertainty":
        return "uncertainty", uncertainties[int(name)].id
    experiments: list[Experiment] = [e for u in uncertainties for e in u.experiments]
    for experiment in experiments:
        if experiment.name == name:
            return "experiment", experiment.id
    raise DemoLinkError(f"{project.code} has no experiment {name!r}")


def _part(session: Session, study_id: int, project: BusinessComponent,
          spec: str) -> tuple[int, str, str]:
    kind, _, name = spec.partition(":")
    if kind == "commits":
        row = session.execute(
            select(GitCommit.artifact_id, func.count(), func.min(GitCommit.authored_at),
                   func.max(GitCommit.authored_at))
            .join(CommitProject, CommitProject.commit_id == GitCommit.id)
            .where(GitCommit.study_id == study_id, CommitProject.project_id == project.id)
            .group_by(GitCommit.artifact_id)).first()
        if row is None:
            raise DemoLinkError(f"no commits of the demo repository are mapped to {project.code}")
        artifact_id, count, first, last = row
        ref = commit_set_ref(project.id, count, first.date(), last.date())
        return artifact_id, PartType.COMMIT_SET.value, ref
    found: Any
    if kind == "decision":
        found = session.execute(
            select(ArtifactRevision.artifact_id, Decision.id)
            .join(Decision, Decision.revision_id == ArtifactRevision.id)
            .where(Decision.study_id == study_id, Decision.title == name)).first()
        return _found(found, spec, PartType.DECISION)
    if kind == "run":
        found = session.execute(
            select(ArtifactRevision.artifact_id, Run.id).join(Run, Run.revision_id == ArtifactRevision.id)
            .where(Run.study_id == study_id, Run.name == name)).first()
        return _found(found, spec, PartType.RUN)
    if kind == "table":
        found = session.execute(
            select(ArtifactRevision.artifact_id, AblationVariant.sheet)
            .join(AblationVariant, AblationVariant.revision_id == ArtifactRevision.id)
            .where(AblationVariant.study_id == study_id, AblationVariant.sheet == name)).first()
        return _found(found, spec, PartType.TABLE)
    found = session.execute(
        select(ArtifactRevision.artifact_id, AblationVariant.id)
        .join(AblationVariant, AblationVariant.revision_id == ArtifactRevision.id)
        .where(AblationVariant.study_id == study_id, AblationVariant.name == name)).first()
    return _found(found, spec, PartType.VARIANT)


def _found(row: Any, spec: str, part: PartType) -> tuple[int, str, str]:
    if row is None:
        raise DemoLinkError(f"the demo evidence has no {spec!r}")
    return int(row[0]), part.value, str(row[1])
