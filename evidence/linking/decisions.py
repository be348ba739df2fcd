"""What people do with links: accept or reject a suggestion, or link evidence by hand.

Each decision records who and when on the link; the Audited mixin writes the trail entry.
A person may change their mind (reject what they accepted); the suggestion job never does.
"""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from core.db import utcnow
from evidence.linking.candidates import MANUAL, link_key, prong_for
from evidence.linking.parts import PartType, commit_set_project
from evidence.linking.suggest import existing_links
from evidence.linking.targets import TargetType
from evidence.models import (
    AblationVariant,
    Artifact,
    ArtifactRevision,
    CommitProject,
    Decision,
    DecisionOption,
    EvidenceLink,
    GitCommit,
    LinkStatus,
    Run,
)
from narratives.models import Prong
from studies.models import BusinessComponent, Experiment, Layer, UncertaintyStatement


class LinkError(ValueError):
    """A link request that cannot be carried out; the message says why."""


class LinkNotFound(LookupError):
    """No such link in this study."""


_TARGET_MODELS: dict[TargetType, type[BusinessComponent | UncertaintyStatement | Experiment | Layer]] = {
    TargetType.PROJECT: BusinessComponent, TargetType.UNCERTAINTY: UncertaintyStatement,
    TargetType.EXPERIMENT: Experiment, TargetType.LAYER: Layer}


def decide_link(session: Session, study_id: int, link_id: int, *, accept: bool, user_id: int) -> EvidenceLink:
    """Accept or reject one link of the study, recording who decided and when."""
    link = session.get(EvidenceLink, link_id)
    if link is None or link.study_id != study_id:
        raise LinkNotFound(f"link {link_id} is not a link of this study")
    _decide(link, LinkStatus.ACCEPTED if accept else LinkStatus.REJECTED, user_id)
    session.flush()
    return link


def add_manual_link(session: Session, study_id: int, *, artifact_id: int, target_type: str, target_id: int,
                    user_id: int, part_type: str | None = None, part_ref: str | None = None,
                    prong: str | None = None) -> EvidenceLink:
    """Link evidence to a target by hand; it is accepted at once.

    If the same link was already suggested (or rejected), that link is accepted instead of a
    second one being made.
    """
    kind = _target_type(target_type)
    _check_artifact(session, study_id, artifact_id)
    _check_target(session, study_id, kind, target_id)
    part = PartType(part_type) if part_type else None
    if part is not None:
        _check_part(session, artifact_id, part, part_ref)
    chosen_prong = _prong(prong) or prong_for(kind, part)
    key = link_key(artifact_id, part.value if part else None, part_ref, kind.value, target_id)
    link = existing_links(session, study_id).get(key)
    if link is None:
        link = EvidenceLink(study_id=study_id, artifact_id=artifact_id,
                            part_type=part.value if part else None, part_ref=part_ref if part else None,
                            target_type=kind.value, target_id=target_id, prong=chosen_prong,
                            suggested_by=MANUAL, score=None)
        session.add(link)
    elif prong:
        link.prong = chosen_prong
    _decide(link, LinkStatus.ACCEPTED, user_id)
    session.flush()
    return link


def _decide(link: EvidenceLink, status: LinkStatus, user_id: int) -> None:
    link.status, link.decided_by_id, link.decided_at = status, user_id, utcnow()


def _target_type(value: str) -> TargetType:
    try:
        return TargetType(value)
    except ValueError:
        raise LinkError(f"target type {value!r}: use project, uncertainty, experiment or layer") from None


def _prong(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return Prong(value).value
    except ValueError:
        raise LinkError(f"prong {value!r}: use one of {', '.join(p.value for p in Prong)}") from None


def _check_artifact(session: Session, study_id: int, artifact_id: int) -> None:
    artifact = session.get(Artifact, artifact_id)
    if artifact is None or artifact.study_id != study_id:
        raise LinkError(f"artifact {artifact_id} is not evidence of this study")
    if artifact.removed_at is not None:
        raise LinkError(f"artifact {artifact_id} was removed from the study; it cannot be linked")


def _check_target(session: Session, study_id: int, kind: TargetType, target_id: int) -> None:
    target = session.get(_TARGET_MODELS[kind], target_id)
    if target is None or getattr(target, "study_id", None) != study_id:
        raise LinkError(f"{kind.value} {target_id} is not part of this study")


def _check_part(session: Session, artifact_id: int, part: PartType, part_ref: str | None) -> None:
    """The part must be a fact of this artifact (any revision)."""
    if not part_ref:
        raise LinkError(f"a {part.value} link needs the part's reference")
    found = session.scalar(_part_query(artifact_id, part, part_ref))
    if found is None:
        raise LinkError(f"{part.value} {part_ref!r} is not part of artifact {artifact_id}")


def _part_query(artifact_id: int, part: PartType, ref: str) -> Select[int]:
    revisions = select(ArtifactRevision.id).where(ArtifactRevision.artifact_id == artifact_id)
    number = int(ref) if ref.isdigit() else -1
    if part is PartType.COMMIT_SET:
        return (select(CommitProject.commit_id).join(GitCommit, GitCommit.id == CommitProject.commit_id)
                .where(GitCommit.artifact_id == artifact_id,
                       CommitProject.project_id == (commit_set_project(ref) or -1)).limit(1))
    if part is PartType.DECISION:
        return select(Decision.id).where(Decision.id == number, Decision.revision_id.in_(revisions))
    if part is PartType.OPTION:
        return (select(DecisionOption.id).join(Decision)
                .where(DecisionOption.id == number, Decision.revision_id.in_(revisions)))
    if part is PartType.RUN:
        return select(Run.id).where(Run.id == number, Run.revision_id.in_(revisions))
    if part is PartType.VARIANT:
        return select(AblationVariant.id).where(AblationVariant.id == number,
                                                AblationVariant.revision_id.in_(revisions))
    return (select(AblationVariant.id).where(AblationVariant.sheet.startswith(ref, autoescape=True),
                                             AblationVariant.revision_id.in_(revisions)).limit(1))
