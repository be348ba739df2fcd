"""Links in words: what part of which evidence, as a reviewer would say it.

"ADR 0002: Use hybrid retrieval with reciprocal rank fusion", "run 'rerank-v3' (failed) in
'citerag-retrieval'", "412 commits 2025-02..2025-09 mapped by rule path citerag/**".
Facts are looked up in batches, one query per kind of part, whatever the number of links.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from evidence.linking.parts import PartType, commit_set_project
from evidence.models import (
    AblationVariant,
    Artifact,
    ArtifactKind,
    CommitProject,
    Decision,
    DecisionOption,
    EvidenceLink,
    GitCommit,
    Run,
)

KIND_WORDS = {ArtifactKind.GIT_REPOSITORY: "repository", ArtifactKind.ADR: "decision record",
              ArtifactKind.RUN_LOG: "run log", ArtifactKind.ABLATION: "ablation spreadsheet",
              ArtifactKind.DOCUMENT: "document"}
RULES_SHOWN = 3
FILE_PART = "file"  # a file (and line) of a repository, as third-party model detection cites it


@dataclass(frozen=True)
class CommitSet:
    """A project's mapped commits of one repository, as they stand now."""

    count: int
    first: dt.date
    last: dt.date
    rules: tuple[str, ...]

    def words(self) -> str:
        # A rule is kept by its name ("retrieval service") or as "rule 2: paths citerag/**".
        named = [rule if rule.startswith("rule ") else f"rule {rule}" for rule in self.rules[:RULES_SHOWN]]
        more = f" and {len(self.rules) - RULES_SHOWN} more" if len(self.rules) > RULES_SHOWN else ""
        rules = f" mapped by {'; '.join(named)}{more}" if self.rules else ""
        return f"{self.count} commits {self.first:%Y-%m}..{self.last:%Y-%m}{rules}"


def decision_words(decision: Decision) -> str:
    number = f" {decision.number:04d}" if decision.number is not None else ""
    return f"ADR{number}: {decision.title}"


def describe_parts(session: Session, links: Sequence[EvidenceLink]) -> dict[int, str]:
    """Each link's evidence part in words, by link id."""
    refs: dict[str | None, set[str]] = defaultdict(set)
    for link in links:
        refs[link.part_type].add(link.part_ref or "")
    words: dict[tuple[str | None, str], str] = {}
    for part_type, lookup in _LOOKUPS.items():
        if part_type in refs:
            found = lookup(session, refs[part_type])
            words.update(((part_type.value, ref), text) for ref, text in found.items())
    commit_sets = _commit_sets(session, links)
    return {link.id: _words(link, words, commit_sets) for link in links}


def _words(link: EvidenceLink, words: dict[tuple[str | None, str], str],
           commit_sets: dict[tuple[int, int], CommitSet]) -> str:
    if link.part_type is None:
        return artifact_words(link.artifact)
    if link.part_type == PartType.COMMIT_SET:
        found = commit_sets.get((link.artifact_id, commit_set_project(link.part_ref) or -1))
        return found.words() if found else f"commits of {link.artifact.title} (no longer mapped)"
    if link.part_type == FILE_PART:
        return f"{link.part_ref} in {link.artifact.title}"
    return words.get((link.part_type, link.part_ref or ""),
                     f"{link.part_type} {link.part_ref} of {link.artifact.title} (no longer found)")


def _ids(refs: Iterable[str]) -> list[int]:
    return [int(ref) for ref in refs if ref.isdigit()]


def _decisions(session: Session, refs: set[str]) -> dict[str, str]:
    rows = session.scalars(select(Decision).where(Decision.id.in_(_ids(refs))))
    return {str(decision.id): decision_words(decision) for decision in rows}


def _options(session: Session, refs: set[str]) -> dict[str, str]:
    rows = session.scalars(select(DecisionOption).where(DecisionOption.id.in_(_ids(refs)))
                           .options(selectinload(DecisionOption.decision)))
    return {str(option.id): f"option '{option.name}'{' (chosen)' if option.chosen else ''} "
                            f"of {decision_words(option.decision)}" for option in rows}


def _runs(session: Session, refs: set[str]) -> dict[str, str]:
    rows = session.scalars(select(Run).where(Run.id.in_(_ids(refs))))
    return {str(run.id): run_words(run) for run in rows}


def run_words(run: Run) -> str:
    where = f" in '{run.experiment_name}'" if run.experiment_name else ""
    return f"run '{run.name or run.external_id}' ({run.status}){where}"


def _variants(session: Session, refs: set[str]) -> dict[str, str]:
    rows = session.scalars(select(AblationVariant).where(AblationVariant.id.in_(_ids(refs))))
    return {str(variant.id): variant_words(variant) for variant in rows}


def variant_words(variant: AblationVariant) -> str:
    baseline = " (baseline)" if variant.is_baseline else ""
    return f"ablation variant '{variant.name}'{baseline} in sheet '{variant.sheet}'"


def _tables(_session: Session, refs: set[str]) -> dict[str, str]:
    return {ref: f"ablation table '{ref}'" for ref in refs}


_LOOKUPS: dict[PartType, Callable[[Session, set[str]], dict[str, str]]] = {
    PartType.DECISION: _decisions, PartType.OPTION: _options, PartType.RUN: _runs,
    PartType.VARIANT: _variants, PartType.TABLE: _tables,
}


def _commit_sets(session: Session, links: Sequence[EvidenceLink]) -> dict[tuple[int, int], CommitSet]:
    wanted = {(link.artifact_id, commit_set_project(link.part_ref) or -1)
              for link in links if link.part_type == PartType.COMMIT_SET}
    return commit_set_facts(session, wanted)


def commit_set_facts(session: Session, wanted: set[tuple[int, int]]) -> dict[tuple[int, int], CommitSet]:
    """Count, first and last date, and mapping rules of each (repository artifact, project)."""
    found: dict[tuple[int, int], CommitSet] = {}
    for artifact_id, project_id in sorted(wanted):
        base = (select(func.count(), func.min(GitCommit.authored_at), func.max(GitCommit.authored_at))
                .join(CommitProject, CommitProject.commit_id == GitCommit.id)
                .where(GitCommit.artifact_id == artifact_id, CommitProject.project_id == project_id))
        count, first, last = session.execute(base).one()
        if not count:
            continue
        rules = session.scalars(select(CommitProject.rule).distinct()
                                .join(GitCommit, GitCommit.id == CommitProject.commit_id)
                                .where(GitCommit.artifact_id == artifact_id,
                                       CommitProject.project_id == project_id)
                                .order_by(CommitProject.rule))
        found[(artifact_id, project_id)] = CommitSet(count, first.date(), last.date(), tuple(rules))
    return found


def artifact_words(artifact: Artifact) -> str:
    return f"{KIND_WORDS.get(artifact.kind, 'evidence')} '{artifact.title}'"
