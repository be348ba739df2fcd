"""Similarity suggestions: evidence whose text reads like a target's, by sentence embeddings.

Scores are cosine similarities of unit vectors. Per part and kind of target only the best
few above :data:`SIMILARITY_THRESHOLD` are proposed, so one generic sentence does not link a
part to everything.

Evidence of one project supports that project's uncertainties and experiments, not another's:
a part's *home* projects are those a rule linked it (or its ADR, or its ablation table) to,
and the project its text is most like (when above the threshold). Uncertainties and
experiments are only proposed from home projects. On the demo, this is what keeps a citation
re-ranking run away from Verdict's "exact-match citation check" experiment (0.57 by text alone).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from evidence.linking.candidates import SIMILARITY, Candidate
from evidence.linking.parts import EvidencePart, PartId, PartType
from evidence.linking.targets import Target, TargetType

# Chosen on the demo study (all-MiniLM-L6-v2): right pairs (an ADR and the project it decides,
# a run and the alternative it tried) mostly score 0.45-0.80; a wrong project never reached
# 0.45, and wrong experiments inside the right project stay under it too.
SIMILARITY_THRESHOLD = 0.45
BEST_PER_TARGET_TYPE = 2


def home_projects(candidates: Iterable[Candidate]) -> dict[PartId, set[int]]:
    """The projects each part is linked to by a rule."""
    homes: dict[PartId, set[int]] = {}
    for candidate in candidates:
        if candidate.target.type is TargetType.PROJECT:
            homes.setdefault(candidate.part.id, set()).add(candidate.target.id)
    return homes


def similarity_candidates(parts: Sequence[EvidencePart], part_vectors: np.ndarray,
                          targets: Sequence[Target], target_vectors: np.ndarray, *,
                          rule_homes: Mapping[PartId, set[int]] | None = None,
                          threshold: float = SIMILARITY_THRESHOLD,
                          best: int = BEST_PER_TARGET_TYPE) -> list[Candidate]:
    """Pairs above ``threshold``, the ``best`` per part and target type; vectors are unit rows."""
    if not parts or not targets:
        return []
    scores = part_vectors @ target_vectors.T
    homes = _homes(parts, scores, targets, rule_homes or {}, threshold)
    candidates: list[Candidate] = []
    for row, part in enumerate(parts):
        for target_type in TargetType:
            columns = [column for column, target in enumerate(targets)
                       if target.type is target_type and scores[row, column] >= threshold
                       and _comparable(part, target, homes[part.id])]
            columns.sort(key=lambda c: (-scores[row, c], targets[c].id))
            candidates.extend(Candidate(part, targets[c], round(float(scores[row, c]), 3), SIMILARITY)
                              for c in columns[:best])
    return candidates


def _homes(parts: Sequence[EvidencePart], scores: np.ndarray, targets: Sequence[Target],
           rule_homes: Mapping[PartId, set[int]], threshold: float) -> dict[PartId, set[int]]:
    projects = [column for column, target in enumerate(targets) if target.type is TargetType.PROJECT]
    by_text: dict[PartId, set[int]] = {}
    for row, part in enumerate(parts):
        best = max(projects, key=lambda c: scores[row, c], default=None)
        by_text[part.id] = set()
        if best is not None and scores[row, best] >= threshold:
            by_text[part.id].add(targets[best].id)
    homes: dict[PartId, set[int]] = {}
    for part in parts:
        by_rule = rule_homes.get(part.id, set()) | _of(rule_homes, part.parent)
        homes[part.id] = by_rule | (by_text[part.id] or _of(by_text, part.parent))
        if part.part_type is PartType.COMMIT_SET and part.project_id is not None:
            homes[part.id] = {part.project_id}
    return homes


def _of(homes: Mapping[PartId, set[int]], part_id: PartId | None) -> set[int]:
    return homes.get(part_id, set()) if part_id is not None else set()


def _comparable(part: EvidencePart, target: Target, homes: set[int]) -> bool:
    if target.type is TargetType.PROJECT:
        return part.part_type is not PartType.COMMIT_SET  # its project link is the mapping rule's
    return not homes or target.project_id in homes
