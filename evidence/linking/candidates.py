"""A proposed link before it is stored, and how candidates from several sources are merged."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from evidence.linking.parts import EvidencePart, PartType, part_key
from evidence.linking.targets import Target, TargetType
from narratives.models import Prong

SIMILARITY = "similarity"
MANUAL = "manual"

# A link's prong where the kind of target or evidence says it plainly; None where a person must say.
_TARGET_PRONGS = {TargetType.UNCERTAINTY: Prong.UNCERTAINTY, TargetType.EXPERIMENT: Prong.EXPERIMENTATION}
_EXPERIMENT_PARTS = {PartType.RUN, PartType.OPTION, PartType.TABLE, PartType.VARIANT}

LinkKey = tuple[int, str | None, str | None, str, int]
"""(artifact id, part type, part key, target type, target id): one link, whatever its status."""


def link_key(artifact_id: int, part_type: str | None, part_ref: str | None,
             target_type: str, target_id: int) -> LinkKey:
    return (artifact_id, part_type, part_key(part_type, part_ref), target_type, target_id)


def prong_for(target_type: str, part_type: str | None) -> str | None:
    prong = _TARGET_PRONGS.get(TargetType(target_type))
    if prong is None and part_type in _EXPERIMENT_PARTS:
        prong = Prong.EXPERIMENTATION
    return prong.value if prong else None


@dataclass(frozen=True)
class Candidate:
    """A link some source proposes: ``source`` is "rule:<name>" or "similarity"."""

    part: EvidencePart
    target: Target
    score: float
    source: str

    @property
    def key(self) -> LinkKey:
        return link_key(self.part.artifact_id, self.part.part_type, self.part.part_ref,
                        self.target.type.value, self.target.id)

    @property
    def prong(self) -> str | None:
        return prong_for(self.target.type, self.part.part_type)


def merged(candidates: Iterable[Candidate]) -> list[Candidate]:
    """One candidate per link: a rule beats similarity (it can be explained), then the higher score."""
    best: dict[LinkKey, Candidate] = {}
    for candidate in candidates:
        current = best.get(candidate.key)
        if current is None or _rank(candidate) > _rank(current):
            best[candidate.key] = candidate
    return list(best.values())


def _rank(candidate: Candidate) -> tuple[bool, float]:
    return (candidate.source != SIMILARITY, candidate.score)
