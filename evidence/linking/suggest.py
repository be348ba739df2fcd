"""Making suggestions for a whole study: read, propose by rules and similarity, then store.

Re-running is safe: a link that exists (same artifact, part and target) is never added again,
and one a person accepted or rejected is never changed. A still-open suggestion is refreshed
when its score, source or part reference moved (a commit set grows with new commits).

The work is split so SQLite's write lock is held only for the final insert: the evidence is
read in a reading session and the model runs outside any transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import Database
from core.embeddings import Embedder
from evidence.linking.candidates import Candidate, LinkKey, link_key, merged
from evidence.linking.parts import EvidencePart, study_parts
from evidence.linking.rules import rule_candidates
from evidence.linking.similarity import SIMILARITY_THRESHOLD, home_projects, similarity_candidates
from evidence.linking.targets import Target, study_targets
from evidence.models import EvidenceLink, LinkStatus

Progress = Callable[[float, str], None]


def _silent(_fraction: float, _message: str) -> None:
    return None


@dataclass(frozen=True)
class SuggestionReport:
    """What one run did: candidates found, links created or refreshed, and what it left alone."""

    candidates: int
    created: int
    refreshed: int
    unchanged: int
    decided: int
    by_source: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"candidates": self.candidates, "created": self.created, "refreshed": self.refreshed,
                "unchanged": self.unchanged, "left_as_decided": self.decided,
                "created_by_source": dict(sorted(self.by_source.items()))}


def suggest_links(db: Database, study_id: int, *, embedder: Embedder | None,
                  threshold: float = SIMILARITY_THRESHOLD, progress: Progress = _silent) -> SuggestionReport:
    """Suggest links for every part of the study's evidence; ``embedder=None`` runs the rules only."""
    progress(0.0, "reading the evidence and the projects")
    with db.session(reading=True) as session:
        parts, targets = study_parts(session, study_id), study_targets(session, study_id)
    candidates = propose(db, parts, targets, embedder=embedder, threshold=threshold, progress=progress)
    progress(0.9, f"storing {len(candidates)} suggestion(s)")
    with db.transaction() as session:
        report = store_candidates(session, study_id, candidates)
    progress(1.0, f"{report.created} new suggestion(s), {report.refreshed} refreshed")
    return report


def propose(db: Database, parts: Sequence[EvidencePart], targets: Sequence[Target], *,
            embedder: Embedder | None, threshold: float = SIMILARITY_THRESHOLD,
            progress: Progress = _silent) -> list[Candidate]:
    """Rule and similarity candidates, merged to one per link."""
    rules = rule_candidates(parts, targets)
    if embedder is None or not parts or not targets:
        return merged(rules)
    progress(0.1, f"embedding {len(parts)} evidence part(s) and {len(targets)} target(s)")
    part_vectors = embedder.encode_cached(db, [part.text for part in parts])
    progress(0.7, "comparing evidence with projects, uncertainties and experiments")
    target_vectors = embedder.encode_cached(db, [target.text for target in targets])
    similar = similarity_candidates(parts, part_vectors, targets, target_vectors,
                                    rule_homes=home_projects(rules), threshold=threshold)
    return merged([*rules, *similar])


def store_candidates(session: Session, study_id: int, candidates: Sequence[Candidate]) -> SuggestionReport:
    """Insert new suggestions and refresh open ones; decided links are left exactly as they are."""
    existing = existing_links(session, study_id)
    created, refreshed, unchanged, decided = 0, 0, 0, 0
    by_source: Counter[str] = Counter()
    for candidate in candidates:
        link = existing.get(candidate.key)
        if link is None:
            link = _new_link(study_id, candidate)
            session.add(link)
            existing[candidate.key] = link
            created += 1
            by_source[candidate.source] += 1
        elif link.status is not LinkStatus.SUGGESTED:
            decided += 1
        elif _refresh(link, candidate):
            refreshed += 1
        else:
            unchanged += 1
    session.flush()
    return SuggestionReport(len(candidates), created, refreshed, unchanged, decided, dict(by_source))


def existing_links(session: Session, study_id: int) -> dict[LinkKey, EvidenceLink]:
    """The study's links by what they link; if a key repeats, a decided link wins."""
    links: dict[LinkKey, EvidenceLink] = {}
    query = select(EvidenceLink).where(EvidenceLink.study_id == study_id).order_by(EvidenceLink.id)
    for link in session.scalars(query):
        key = link_key(link.artifact_id, link.part_type, link.part_ref, link.target_type, link.target_id)
        if key not in links or links[key].status is LinkStatus.SUGGESTED:
            links[key] = link
    return links


def _new_link(study_id: int, candidate: Candidate) -> EvidenceLink:
    part, target = candidate.part, candidate.target
    return EvidenceLink(study_id=study_id, artifact_id=part.artifact_id,
                        part_type=part.part_type.value if part.part_type else None,
                        part_ref=part.part_ref, target_type=target.type.value, target_id=target.id,
                        prong=candidate.prong, suggested_by=candidate.source, score=candidate.score,
                        status=LinkStatus.SUGGESTED)


def _refresh(link: EvidenceLink, candidate: Candidate) -> bool:
    fresh = {"part_ref": candidate.part.part_ref, "suggested_by": candidate.source,
             "score": candidate.score, "prong": candidate.prong}
    changed = {name: value for name, value in fresh.items() if getattr(link, name) != value}
    for name, value in changed.items():
        setattr(link, name, value)
    return bool(changed)
