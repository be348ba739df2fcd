"""Rule suggestions: evidence that names a project, commits its rules mapped, ADR options named
like an experiment. Each rule says how sure it is; a date inside the project's window adds to that.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from difflib import SequenceMatcher

from evidence.linking.candidates import Candidate
from evidence.linking.parts import EvidencePart, PartType
from evidence.linking.targets import Target, TargetType

COMMIT_MAPPING = "rule:commit_mapping"
PROJECT_MENTION = "rule:project_mention"
OPTION_NAME = "rule:option_name"

COMMIT_MAPPING_SCORE = 0.95
# How sure a mention is, by where it is: a title or experiment name is about the project,
# a parameter value or a passing remark in the context less so.
MENTION_SCORES = {"title": 0.85, "experiment": 0.85, "sheet": 0.8, "name": 0.75, "path": 0.7,
                  "tags": 0.65, "params": 0.65, "context": 0.65, "drivers": 0.6, "outcome": 0.6}
IN_WINDOW_BONUS = 0.1
OPTION_NAME_THRESHOLD = 0.6
_MENTION_PARTS = {PartType.DECISION, PartType.RUN, PartType.TABLE, None}


def rule_candidates(parts: Sequence[EvidencePart], targets: Sequence[Target]) -> list[Candidate]:
    """Every rule's candidates."""
    projects = {t.id: t for t in targets if t.type is TargetType.PROJECT}
    experiments = [t for t in targets if t.type is TargetType.EXPERIMENT]
    return [*commit_mapping(parts, projects), *project_mentions(parts, projects.values()),
            *option_names(parts, experiments)]


def commit_mapping(parts: Iterable[EvidencePart], projects: dict[int, Target]) -> Iterator[Candidate]:
    """A project's rule-mapped commits of a repository support that project."""
    for part in parts:
        if part.part_type is PartType.COMMIT_SET and part.project_id in projects:
            yield Candidate(part, projects[part.project_id], COMMIT_MAPPING_SCORE, COMMIT_MAPPING)


def project_mentions(parts: Iterable[EvidencePart], projects: Iterable[Target]) -> Iterator[Candidate]:
    """An ADR, run, ablation table or document that names a project (code, name or short name)."""
    patterns = [(project, mention_pattern(project.names)) for project in projects if project.names]
    for part in parts:
        if part.part_type not in _MENTION_PARTS:
            continue
        for project, pattern in patterns:
            score = _mention_score(part, pattern)
            if score is not None:
                yield Candidate(part, project, _dated(score, part.on, project), PROJECT_MENTION)


def mention_pattern(names: Sequence[str]) -> re.Pattern[str]:
    """Any of ``names`` as whole words, case and spacing aside ("citerag" in "citerag-retrieval")."""
    alternatives = sorted((r"\s+".join(map(re.escape, name.split())) for name in names if name.strip()),
                          key=len, reverse=True)
    return re.compile(rf"(?<![0-9a-z])(?:{'|'.join(alternatives)})(?![0-9a-z])", re.IGNORECASE)


def _mention_score(part: EvidencePart, pattern: re.Pattern[str]) -> float | None:
    scores = [MENTION_SCORES.get(name, 0.6) for name, text in part.fields.items()
              if text and pattern.search(text)]
    return max(scores) if scores else None


def option_names(parts: Iterable[EvidencePart], experiments: Sequence[Target]) -> Iterator[Candidate]:
    """A considered option of an ADR named like an experiment is probably that experiment."""
    for part in parts:
        if part.part_type is not PartType.OPTION:
            continue
        for experiment in experiments:
            ratio = name_similarity(part.fields.get("name", ""), experiment.label)
            if ratio >= OPTION_NAME_THRESHOLD:
                yield Candidate(part, experiment, _dated(ratio, part.on, experiment), OPTION_NAME)


def name_similarity(left: str, right: str) -> float:
    """0..1: how alike two short names are once case and punctuation are set aside."""
    a, b = _normalized(left), _normalized(right)
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _normalized(name: str) -> str:
    return " ".join(re.findall(r"[0-9a-z]+", name.lower()))


def _dated(score: float, on: dt.date | None, target: Target) -> float:
    inside = (on is not None and target.start is not None and target.start <= on
              and (target.end is None or on <= target.end))
    return round(min(1.0, score + (IN_WINDOW_BONUS if inside else 0.0)), 3)
