"""A project with the facts narratives are drafted from, built with the real models."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from core.users import User
from evidence.models import Artifact, ArtifactKind, EvidenceLink, LinkStatus
from studies.models import (
    BusinessComponent,
    Experiment,
    Layer,
    LayerKind,
    Outcome,
    Role,
    Study,
    UncertaintyKind,
    UncertaintyStatement,
)

D = dt.date


@dataclass
class World:
    study: Study
    project: BusinessComponent
    interviewer: User
    reviewer: User
    uncertainty: UncertaintyStatement
    experiments: dict[str, Experiment]
    artifacts: dict[str, Artifact]
    users: dict[str, User]


def add_artifact(session: Session, study: Study, title: str,
                 kind: ArtifactKind = ArtifactKind.DOCUMENT) -> Artifact:
    artifact = Artifact(study_id=study.id, kind=kind, source="upload", path=f"{title}.md", title=title)
    session.add(artifact)
    session.flush()
    return artifact


def link(session: Session, artifact: Artifact, target_type: str, target_id: int, *, prong: str | None = None,
         status: LinkStatus = LinkStatus.ACCEPTED) -> EvidenceLink:
    row = EvidenceLink(study_id=artifact.study_id, artifact_id=artifact.id, target_type=target_type,
                       target_id=target_id, prong=prong, suggested_by="manual", status=status)
    session.add(row)
    session.flush()
    return row


def add_project(session: Session, study: Study, code: str = "citerag",
                sub_sector: str = "ai_native_product_engineering", **fields: object) -> BusinessComponent:
    project = BusinessComponent(study_id=study.id, code=code, name=fields.pop("name", "CiteRAG retrieval"),
                                sub_sector=sub_sector, **fields)
    session.add(project)
    session.flush()
    return project


@pytest.fixture
def world(session: Session, make_user: Callable[..., User], make_study: Callable[..., Study]) -> World:
    return build_world(session, make_user, make_study)


def build_world(session: Session, make_user: Callable[..., User], make_study: Callable[..., Study],
                members: dict[str, Role] | None = None) -> World:
    """Two interviewers (one reviews) of a study whose project has facts, layers and evidence.

    ``members`` adds more users by name, with their role (the users are reachable by name via
    ``World.users``).
    """
    interviewer, reviewer = make_user(name="Irene Interviewer"), make_user(name="Rita Reviewer")
    extra = {make_user(name=name): role for name, role in (members or {}).items()}
    study = make_study(members={interviewer: Role.INTERVIEWER, reviewer: Role.INTERVIEWER, **extra})
    project = add_project(session, study, description="Hybrid retrieval over case law.",
                          permitted_purpose="Cited answers with statute recall@10 of 0.85.",
                          start_date=D(2025, 1, 13), end_date=D(2025, 10, 31))
    uncertainty = UncertaintyStatement(study_id=study.id, project_id=project.id,
                                       kind=UncertaintyKind.CAPABILITY,
                                       statement="Whether any retrieval design reaches recall@10 of 0.85.",
                                       identified_on=D(2025, 1, 10))
    session.add(uncertainty)
    session.flush()
    experiments = {
        "dense": Experiment(study_id=study.id, uncertainty_id=uncertainty.id, name="Dense only",
                            hypothesis="Dense embeddings find paraphrased holdings.", method="Offline eval.",
                            started_on=D(2025, 1, 20), ended_on=D(2025, 2, 28), outcome=Outcome.FAILED,
                            metrics={"recall@10": 0.61}),
        "hybrid": Experiment(study_id=study.id, uncertainty_id=uncertainty.id, name="Hybrid RRF",
                             hypothesis="Fusion beats both.", method="Offline eval.",
                             started_on=D(2025, 3, 1), ended_on=D(2025, 5, 1), outcome=Outcome.SUCCEEDED),
        "colbert": Experiment(study_id=study.id, uncertainty_id=uncertainty.id, name="ColBERT",
                              started_on=D(2025, 5, 2), outcome=Outcome.ABANDONED),
    }
    session.add_all(experiments.values())
    session.add(Layer(study_id=study.id, project_id=project.id, kind=LayerKind.QUALIFYING_ENGINEERING,
                      name="Hybrid retrieval", reason="Custom retrieval evaluated against a recall bar."))
    session.add(Layer(study_id=study.id, project_id=project.id, kind=LayerKind.THIRD_PARTY_MODEL,
                      name="Answer generation", vendor="OpenAI", model="GPT-4.1 (API)"))
    session.flush()
    artifacts = {"adr": add_artifact(session, study, "Use hybrid retrieval", ArtifactKind.ADR),
                 "runs": add_artifact(session, study, "Retrieval runs", ArtifactKind.RUN_LOG),
                 "rejected": add_artifact(session, study, "Unrelated notes")}
    link(session, artifacts["adr"], "uncertainty", uncertainty.id, prong="elimination_of_uncertainty")
    link(session, artifacts["runs"], "experiment", experiments["dense"].id)
    link(session, artifacts["rejected"], "project", project.id, status=LinkStatus.REJECTED)
    session.commit()
    session.refresh(project)
    return World(study, project, interviewer, reviewer, uncertainty, experiments, artifacts,
                 {user.name: user for user in extra})
