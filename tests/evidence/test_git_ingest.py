"""Ingesting git repositories built with real git: history, refs, projects, ADRs, revisions."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.blobstore import LocalBlobStore
from evidence.ingest.git import ingest_git
from evidence.ingest.git_rules import CommitRules, parse_rules
from evidence.ingest.git_stats import artifact_commit_stats, project_commit_stats
from evidence.ingest.limits import IngestLimits
from evidence.ingest.results import IngestFailure, IngestResult
from evidence.models import (
    Artifact,
    ArtifactRevision,
    CommitProject,
    Decision,
    DecisionOption,
    GitCommit,
    GitRef,
)
from studies.models import BusinessComponent, Employee
from tests.evidence.test_gitlog import ADA, BJORN, CI, GRACE, Who, commit, init_repo, run_git, write

LIMITS = IngestLimits()
NYGARD = """# 1. Record architecture decisions

Date: 2024-03-01

## Status

Accepted

## Context

We need to record the architectural decisions made on this project.

## Decision

We will use Architecture Decision Records, as described by Michael Nygard.

## Consequences

Every significant decision gets a record in doc/adr.
"""
MADR = """# Use hybrid retrieval

* Status: accepted

## Context and Problem Statement

Legal queries mix exact citations and paraphrase: which retriever finds both?

## Considered Options

* BM25 only
* Dense only
* Hybrid BM25 + dense

## Decision Outcome

Chosen option: "Hybrid BM25 + dense", because only it finds both kinds of passage.
"""
RULES = """
rules:
  - project: RET
    name: retrieval code
    paths: [src/retrieval/**]
  - project: RRK
    branches: [feature/rerank*]
  - project: DOC
    message: [adr]
"""
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00binary\x00"


def later(who: Who, date: str) -> Who:
    return Who(who.name, who.email, date)


@dataclass(frozen=True)
class Repo:
    path: Path
    shas: dict[str, str]


def build_repo(path: Path) -> Repo:
    """main: 3 commits + a merge of feature/rerank (2 commits); tags v1.0 (annotated) and light."""
    repo, shas = init_repo(path), {}
    write(repo / "README.md", "# LexBridge\n")
    write(repo / "src/retrieval/index.py", "def index():\n    return 1\n")
    write(repo / "doc/adr/0001-record-architecture-decisions.md", NYGARD)
    write(repo / "doc/adr/README.md", "# Decisions\n\nThe index of our records.\n")
    shas["root"] = commit(repo, "Initial commit: retrieval index and the first ADR\n", ADA)
    write(repo / "assets/logo.png", PNG)
    write(repo / "doc/adr/0002-use-hybrid-retrieval.md", MADR)
    write(repo / "doc/adr/notes.md", "# Notes\n\nHow we write decision records.\n")
    shas["adr"] = commit(repo, "docs: ADR 2, hybrid retrieval\n", BJORN)
    run_git(repo, "checkout", "--quiet", "-b", "feature/rerank")
    write(repo / "src/rerank/model.py", "class Reranker:\n    pass\n")
    shas["rerank1"] = commit(repo, "feat: reranker skeleton\n", GRACE)
    write(repo / "src/rerank/model.py", "class Reranker:\n    top_k = 10\n")
    shas["rerank2"] = commit(repo, "feat: reranker top-k\n", later(GRACE, "2024-04-02T10:00:00-03:30"))
    run_git(repo, "checkout", "--quiet", "main")
    write(repo / "src/retrieval/index.py", "def index():\n    return 2\n\n\ndef search():\n    return []\n")
    write(repo / "doc/adr/0002-use-hybrid-retrieval.md", MADR + "\nRevisited after the pilot.\n")
    shas["main3"] = commit(repo, "perf: faster index\n", later(ADA, "2024-04-05T09:00:00+05:30"))
    run_git(repo, "merge", "--quiet", "--no-ff", "--no-edit", "feature/rerank",
            env=_env(later(CI, "2024-04-06T00:00:00+00:00")))
    shas["merge"] = run_git(repo, "rev-parse", "HEAD")
    run_git(repo, "tag", "--annotate", "--message=first release", "v1.0", env=_env(CI))
    run_git(repo, "tag", "light", shas["adr"])
    return Repo(repo, shas)


def _env(who: Who) -> dict[str, str | bytes]:
    from tests.evidence.test_gitlog import git_env
    return git_env(who)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    return build_repo(tmp_path_factory.mktemp("origin") / "lexbridge")


@pytest.fixture
def repo(built: Repo, tmp_path: Path) -> Repo:
    """A private copy, free to gain commits."""
    target = tmp_path / "lexbridge"
    shutil.copytree(built.path, target, symlinks=True)
    return Repo(target, built.shas)


@pytest.fixture
def store(tmp_path: Path) -> LocalBlobStore:
    return LocalBlobStore(tmp_path / "blobs")


@pytest.fixture
def study(session, make_study):
    study = make_study()
    for code in ("RET", "RRK", "DOC"):
        session.add(BusinessComponent(study_id=study.id, code=code, name=f"Project {code}",
                                      sub_sector="ai_native_product_engineering"))
    session.commit()
    return study


def ingest(db, store, study, source: str | Path, tmp_path: Path, *, rules: CommitRules | None = None,
           **options) -> list[IngestResult | IngestFailure]:
    return ingest_git(db, store, study.id, source, uploaded_by_id=None, rules=rules,
                      workdir=tmp_path / "work", limits=LIMITS, **options)


def count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def nothing_stored(session, store: LocalBlobStore) -> bool:
    return (count(session, Artifact) == 0 and count(session, GitCommit) == 0
            and list(store.iter_hashes()) == [])


# --- the first ingest ----------------------------------------------------------------------------


def test_every_commit_ref_and_attribution_in_one_revision(db, session, study, store, repo, tmp_path) -> None:
    results = ingest(db, store, study, repo.path, tmp_path, rules=parse_rules(RULES))
    first = results[0]
    assert isinstance(first, IngestResult), first
    assert (first.kind.value, first.outcome.value, first.path) == ("git_repository", "new", str(repo.path))
    assert first.counts == {"commits": 6, "new_commits": 6, "branches": 2, "tags": 2,
                            "projects": {"RET": 2, "RRK": 2, "DOC": 2}}
    assert (first.content_start, first.content_end) == (dt.date(2024, 3, 1), dt.date(2024, 4, 6))
    assert first.warnings == ("doc/adr/notes.md: in an ADR folder but not a decision record; not ingested",)

    commits = {row.sha: row for row in session.scalars(select(GitCommit))}
    assert set(commits) == set(repo.shas.values())
    assert {row.revision_id for row in commits.values()} == {first.revision_id}
    root, adr, merge = commits[repo.shas["root"]], commits[repo.shas["adr"]], commits[repo.shas["merge"]]
    nygard_lines = len(NYGARD.splitlines())
    assert root.files == [["README.md", 1, 0],
                          ["doc/adr/0001-record-architecture-decisions.md", nygard_lines, 0],
                          ["doc/adr/README.md", 3, 0], ["src/retrieval/index.py", 2, 0]]
    assert (root.insertions, root.deletions, root.is_merge) == (6 + nygard_lines, 0, False)
    assert root.authored_at == dt.datetime.fromisoformat(ADA.date)
    assert ["assets/logo.png", None, None] in adr.files  # binary: no line counts
    assert (adr.author_name, adr.author_email) == ("Björn Ærø", "bjorn@example.org")
    assert (merge.is_merge, merge.files, merge.author_name) == (True, [], "CI Bot")
    assert merge.message == "Merge branch 'feature/rerank'"

    refs = {(ref.name, ref.kind.value): ref.target for ref in session.scalars(select(GitRef))}
    assert refs == {("feature/rerank", "branch"): repo.shas["rerank2"],
                    ("main", "branch"): repo.shas["merge"],
                    ("light", "tag"): repo.shas["adr"], ("v1.0", "tag"): repo.shas["merge"]}

    attributed = session.execute(
        select(GitCommit.sha, BusinessComponent.code, CommitProject.rule)
        .join(CommitProject, CommitProject.commit_id == GitCommit.id)
        .join(BusinessComponent, BusinessComponent.id == CommitProject.project_id)).all()
    assert sorted(attributed) == sorted([
        (repo.shas["root"], "RET", "retrieval code"), (repo.shas["main3"], "RET", "retrieval code"),
        (repo.shas["rerank1"], "RRK", "rule 2: branches feature/rerank*"),
        (repo.shas["rerank2"], "RRK", "rule 2: branches feature/rerank*"),
        (repo.shas["root"], "DOC", "rule 3: message ~ adr"),
        (repo.shas["adr"], "DOC", "rule 3: message ~ adr")])
    revision = session.get(ArtifactRevision, first.revision_id)
    assert revision.summary["rules"][1] == {"rule": "rule 2: branches feature/rerank*", "project": "RRK",
                                            "commits": 2}


def test_the_original_is_a_bundle_of_every_ref(db, session, study, store, repo, tmp_path) -> None:
    [first, *_] = ingest(db, store, study, repo.path, tmp_path)
    revision = session.get(ArtifactRevision, first.revision_id)
    assert (revision.media_type, revision.original_name) == ("application/x-git-bundle", "lexbridge.bundle")
    bundle = tmp_path / "copy.bundle"
    bundle.write_bytes(store.read_bytes(first.sha256))
    heads = run_git(tmp_path, "bundle", "list-heads", str(bundle))
    assert {line.split()[1] for line in heads.splitlines()} >= {
        "refs/heads/main", "refs/heads/feature/rerank", "refs/tags/v1.0", "refs/tags/light"}
    assert first.sha256 in set(store.iter_hashes())


def test_adrs_in_the_repository_become_artifacts_dated_by_git(db, session, study, store, repo,
                                                             tmp_path) -> None:
    first, *records = ingest(db, store, study, repo.path, tmp_path)
    assert all(isinstance(item, IngestResult) for item in records), records
    by_path = {item.path: item for item in records}
    first_adr = "doc/adr/0001-record-architecture-decisions.md"
    second_adr = "doc/adr/0002-use-hybrid-retrieval.md"
    assert set(by_path) == {first_adr, second_adr}
    nygard, madr = by_path[first_adr], by_path[second_adr]
    assert (nygard.kind.value, nygard.outcome.value) == ("adr", "new")
    assert nygard.counts == {"decisions": 1, "options": 0}
    assert madr.counts == {"decisions": 1, "options": 3}
    # added by the "adr" commit (2024-03-02, Björn's time zone), last changed by "main3"
    assert (madr.content_start, madr.content_end) == (dt.date(2024, 3, 2), dt.date(2024, 4, 5))
    artifact = session.get(Artifact, madr.artifact_id)
    assert (artifact.source, artifact.path, artifact.title) == (
        f"git:{first.artifact_id}", "doc/adr/0002-use-hybrid-retrieval.md", "Use hybrid retrieval")
    decision = session.scalar(select(Decision).where(Decision.revision_id == madr.revision_id))
    assert decision.decided_on == dt.date(2024, 3, 2)  # no date in the record: git's first commit
    chosen = session.scalars(select(DecisionOption.name).where(DecisionOption.decision_id == decision.id,
                                                               DecisionOption.chosen)).all()
    assert chosen == ["Hybrid BM25 + dense"]
    nygard_decision = session.scalar(select(Decision).where(Decision.revision_id == nygard.revision_id))
    assert nygard_decision.decided_on == dt.date(2024, 3, 1)  # the record's own date wins
    assert store.read_bytes(madr.sha256) == (MADR + "\nRevisited after the pilot.\n").encode()


def test_branch_rules_take_each_branchs_own_line(repo) -> None:
    from evidence.ingest.git_commits import branch_commits
    from evidence.parsers.gitlog import list_refs

    path, shas = repo.path, dict(repo.shas)
    run_git(path, "checkout", "--quiet", "-b", "feature/rerank-2")
    write(path / "src/rerank/v2.py", "V = 2\n")
    shas["a"] = commit(path, "feat: v2\n", GRACE)
    run_git(path, "checkout", "--quiet", "main")
    write(path / "README.md", "# LexBridge, on main\n")
    shas["m"] = commit(path, "docs: readme\n", ADA)
    run_git(path, "checkout", "--quiet", "feature/rerank-2")
    run_git(path, "merge", "--quiet", "--no-edit", "main", env=_env(GRACE))  # catching up with main
    shas["catch_up"] = run_git(path, "rev-parse", "HEAD")
    write(path / "src/rerank/v2.py", "V = 3\n")
    shas["b"] = commit(path, "feat: v3\n", GRACE)
    run_git(path, "checkout", "--quiet", "main")
    rules = parse_rules("""
rules:
  - {project: RRK, branches: 'feature/rerank*'}
  - {project: ALL, branches: [main]}
  - {project: NONE, branches: [release/*]}
""")
    found = branch_commits(path / ".git", rules, list_refs(path))
    assert found[1] == {shas[name] for name in ("rerank1", "rerank2", "a", "catch_up", "b")}
    assert found[2] == {shas[name] for name in ("root", "adr", "rerank1", "rerank2", "main3", "merge", "m")}
    assert found[3] == frozenset()


def test_adrs_follow_adr_dir_and_skip_links_and_oversized_records(db, session, study, store,
                                                                 tmp_path) -> None:
    repo = init_repo(tmp_path / "service")
    write(repo / ".adr-dir", "architecture/records\n")
    write(repo / "architecture/records/0001-use-postgres.md", NYGARD.replace("Record architecture decisions",
                                                                             "Use PostgreSQL"))
    write(repo / "architecture/records/0002-huge.md", NYGARD + "x" * 5000)
    (repo / "architecture/records/0003-link.md").symlink_to("/etc/passwd")
    write(repo / "doc/adr/0001-elsewhere.md", NYGARD)  # the usual places count as well
    commit(repo, "docs: records\n", ADA)
    small = IngestLimits(max_file_bytes=4096)
    first, *records = ingest_git(db, store, study.id, repo, uploaded_by_id=None, workdir=tmp_path / "w",
                                 limits=small)
    assert [(item.path, item.outcome.value) for item in records] == [
        ("architecture/records/0001-use-postgres.md", "new"), ("doc/adr/0001-elsewhere.md", "new")]
    assert first.warnings == (f"architecture/records/0002-huge.md: {len(NYGARD) + 5000:,} bytes, over the "
                              "4,096-byte limit for a decision record; not read",)
    titles = session.scalars(select(Decision.title).order_by(Decision.id)).all()
    assert titles == ["Use PostgreSQL", "Record architecture decisions"]


# --- ingesting again -------------------------------------------------------------------------------


def test_reingest_adds_only_the_new_commits(db, session, study, store, repo, tmp_path) -> None:
    [first, *_] = ingest(db, store, study, repo.path, tmp_path, rules=parse_rules(RULES))
    write(repo.path / "src/retrieval/index.py", "def index():\n    return 3\n")
    new_main = commit(repo.path, "fix: index again\n", later(GRACE, "2024-05-01T12:00:00+00:00"))
    run_git(repo.path, "checkout", "--quiet", "-b", "feature/rerank-v2", repo.shas["rerank2"])
    write(repo.path / "src/rerank/v2.py", "V = 2\n")
    new_branch = commit(repo.path, "feat: rerank v2\n", later(BJORN, "2024-05-02T12:00:00+00:00"))
    run_git(repo.path, "checkout", "--quiet", "main")
    second, *records = ingest(db, store, study, repo.path, tmp_path, rules=parse_rules(RULES))
    assert isinstance(second, IngestResult), second
    assert (second.outcome.value, second.artifact_id) == ("revision", first.artifact_id)
    assert second.counts == {"commits": 8, "new_commits": 2, "branches": 3, "tags": 2,
                             "projects": {"RET": 1, "RRK": 1, "DOC": 0}}
    assert (second.content_start, second.content_end) == (dt.date(2024, 3, 1), dt.date(2024, 5, 2))
    added = session.scalars(select(GitCommit.sha).where(GitCommit.revision_id == second.revision_id)).all()
    assert sorted(added) == sorted([new_main, new_branch])
    assert count(session, GitCommit) == 8
    assert count(session, GitRef, GitRef.revision_id == second.revision_id) == 5
    numbers = session.scalars(select(ArtifactRevision.number).where(
        ArtifactRevision.artifact_id == first.artifact_id)).all()
    assert sorted(numbers) == [1, 2]
    assert [item.outcome.value for item in records] == ["duplicate", "duplicate"]  # ADRs unchanged


def test_identical_reingest_is_a_duplicate_and_writes_nothing(db, session, study, store, repo,
                                                             tmp_path) -> None:
    results = ingest(db, store, study, repo.path, tmp_path)
    rows = (count(session, ArtifactRevision), count(session, GitCommit), count(session, GitRef),
            count(session, Decision), sorted(store.iter_hashes()))
    again = ingest(db, store, study, repo.path, tmp_path)
    assert [item.outcome.value for item in again] == ["duplicate"] * 3
    assert (again[0].revision_id, again[0].sha256, again[0].counts) == (
        results[0].revision_id, results[0].sha256, results[0].counts)
    assert rows == (count(session, ArtifactRevision), count(session, GitCommit), count(session, GitRef),
                    count(session, Decision), sorted(store.iter_hashes()))


def test_commits_already_stored_are_skipped_when_refs_move(db, session, study, store, repo, tmp_path) -> None:
    """A branch reset backwards: nothing new to read beyond what is stored, yet a new revision."""
    ingest(db, store, study, repo.path, tmp_path)
    run_git(repo.path, "branch", "--force", "feature/rerank", repo.shas["rerank1"])
    [second, *_] = ingest(db, store, study, repo.path, tmp_path)
    assert second.outcome.value == "revision"
    assert (second.counts["new_commits"], second.counts["commits"]) == (0, 6)
    assert count(session, GitCommit) == 6


# --- bundles and sources ---------------------------------------------------------------------------


def test_an_uploaded_bundle_is_kept_as_it_came(db, session, study, store, repo, tmp_path) -> None:
    bundle = tmp_path / "handover" / "lexbridge-2024.bundle"
    bundle.parent.mkdir()
    run_git(repo.path, "bundle", "create", str(bundle), "--all")
    [first, *records] = ingest(db, store, study, bundle, tmp_path)
    assert (first.outcome.value, first.path, first.counts["commits"]) == ("new", "lexbridge-2024.bundle", 6)
    assert first.sha256 == hashlib.sha256(bundle.read_bytes()).hexdigest()
    assert session.get(ArtifactRevision, first.revision_id).original_name == "lexbridge-2024.bundle"
    assert len(records) == 2
    [again, *_] = ingest(db, store, study, bundle, tmp_path)
    assert (again.outcome.value, again.revision_id) == ("duplicate", first.revision_id)
    assert not any((tmp_path / "work").iterdir())  # the clones are gone


def test_the_artifact_path_can_be_named(db, session, study, store, repo, tmp_path) -> None:
    [first, *_] = ingest(db, store, study, repo.path, tmp_path, path="github.com/lexbridge/platform")
    assert session.get(Artifact, first.artifact_id).path == "github.com/lexbridge/platform"
    assert session.get(Artifact, first.artifact_id).title == "lexbridge"


@pytest.mark.parametrize("source", [
    "ext::sh -c touch% {marker}",
    "--upload-pack=touch {marker}",
    "-oProxyCommand=touch {marker}",
    "file://{marker}",
    "fd::3",
])
def test_unsafe_sources_are_refused_and_nothing_is_stored(db, session, study, store, tmp_path,
                                                          source) -> None:
    marker = tmp_path / "pwned"
    [failure] = ingest(db, store, study, source.format(marker=marker), tmp_path)
    assert isinstance(failure, IngestFailure)
    assert "refused repository source" in failure.message
    assert not marker.exists()
    assert nothing_stored(session, store)


def test_a_folder_that_is_not_a_repository_and_an_empty_one(db, session, study, store, tmp_path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    [failure] = ingest(db, store, study, plain, tmp_path)
    assert isinstance(failure, IngestFailure) and "not a git repository" in failure.message
    empty = init_repo(tmp_path / "empty")
    [failure] = ingest(db, store, study, empty, tmp_path)
    assert isinstance(failure, IngestFailure) and "git bundle create failed" in failure.message
    assert nothing_stored(session, store)


def test_a_folder_pointing_at_another_repository_is_refused(db, session, study, store, repo,
                                                           tmp_path) -> None:
    """A handed-over folder must not make us read some other repository on this server."""
    pointer = tmp_path / "pointer"
    pointer.mkdir()
    (pointer / ".git").write_text(f"gitdir: {repo.path / '.git'}\n")
    [failure] = ingest(db, store, study, pointer, tmp_path)
    assert isinstance(failure, IngestFailure) and "its git directory is elsewhere" in failure.message

    borrowing = tmp_path / "borrowing.git"
    run_git(tmp_path, "init", "--quiet", "--bare", str(borrowing))
    (borrowing / "objects" / "info" / "alternates").write_text(f"{repo.path / '.git' / 'objects'}\n")
    run_git(borrowing, "update-ref", "refs/heads/main", repo.shas["merge"])
    [failure] = ingest(db, store, study, borrowing, tmp_path)
    assert isinstance(failure, IngestFailure) and "objects/info/alternates" in failure.message
    assert nothing_stored(session, store)


# --- failures leave nothing --------------------------------------------------------------------------


def test_rules_naming_an_unknown_project_store_nothing(db, session, study, store, repo, tmp_path) -> None:
    rules = parse_rules("rules: [{project: RET, message: x}, {project: NOPE, paths: src/**}]",
                        source="rules.yaml")
    [failure] = ingest(db, store, study, repo.path, tmp_path, rules=rules)
    assert isinstance(failure, IngestFailure)
    assert failure.message.startswith("rules.yaml, rule 2 (project 'NOPE'): no project with code 'NOPE'")
    assert nothing_stored(session, store)


def test_a_failure_while_writing_the_history_takes_everything_back(db, session, study, store, repo,
                                                                   tmp_path) -> None:
    seen: list[str] = []

    def interrupted(fraction: float, message: str) -> None:
        seen.append(message)
        if message.startswith("stored "):  # commits are in the open transaction by now
            raise KeyboardInterrupt("job cancelled")

    with pytest.raises(KeyboardInterrupt):
        ingest(db, store, study, repo.path, tmp_path, rules=parse_rules(RULES), progress=interrupted)
    assert any(message.startswith("read 6 commits") or message.startswith("storing") for message in seen)
    assert nothing_stored(session, store)
    assert count(session, CommitProject) == 0 and count(session, ArtifactRevision) == 0
    assert not any((tmp_path / "work").iterdir())


def test_a_bundle_over_the_size_limit_is_refused(db, session, study, store, repo, tmp_path) -> None:
    small = IngestLimits(max_file_bytes=1000, max_unpacked_bytes=1000)
    [failure] = ingest_git(db, store, study.id, repo.path, uploaded_by_id=None, workdir=tmp_path / "w",
                           limits=small)
    assert isinstance(failure, IngestFailure) and "over the 1,000-byte limit" in failure.message
    assert nothing_stored(session, store)


def test_progress_reports_commits_read(db, study, store, repo, tmp_path, monkeypatch) -> None:
    import evidence.ingest.git_commits as git_commits
    monkeypatch.setattr(git_commits, "BATCH", 2)  # report more often than every 1000 commits
    messages: list[tuple[float, str]] = []
    ingest(db, store, study, repo.path, tmp_path, progress=lambda f, m: messages.append((f, m)))
    reads = [message for _, message in messages if message.startswith("read ")]
    # the total is counted beside the read; whether it is known by the first report is a race
    assert [message.removesuffix(" of 6") for message in reads] == [
        "read 2 commits", "read 4 commits", "read 6 commits"]
    fractions = [fraction for fraction, _ in messages]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


# --- figures per project and per repository ---------------------------------------------------------


def test_project_and_repository_figures(db, session, study, store, repo, tmp_path) -> None:
    session.add_all([
        Employee(study_id=study.id, name="Ada Lovelace", email="ADA@example.com", title="ML engineer",
                 w2_wages=Decimal("190000")),
        Employee(study_id=study.id, name="Grace Hopper", email="grace@work.example", title="Staff engineer",
                 w2_wages=Decimal("210000"))])
    session.commit()
    [first, *_] = ingest(db, store, study, repo.path, tmp_path, rules=parse_rules(RULES))
    ret = session.scalar(select(BusinessComponent.id).where(BusinessComponent.study_id == study.id,
                                                             BusinessComponent.code == "RET"))
    stats = project_commit_stats(session, study.id, ret)
    assert stats.commits == 2
    assert [(month.month, month.commits) for month in stats.months] == [("2024-03", 1), ("2024-04", 1)]
    [ada] = stats.authors
    assert (ada.email, ada.commits, ada.employee_name, ada.matched_by) == (
        "ada@example.com", 2, "Ada Lovelace", "email")
    top = stats.files[0]
    assert (top.path, top.commits, top.insertions) == ("src/retrieval/index.py", 2, 7)
    assert [(rule.rule, rule.commits) for rule in stats.rules] == [("retrieval code", 2)]

    whole = artifact_commit_stats(session, study.id, first.artifact_id, top_files=3)
    assert whole.commits == 6 and len(whole.files) == 3
    assert (whole.first, whole.last) == (dt.datetime(2024, 3, 1, 3, 30, tzinfo=dt.UTC),
                                         dt.datetime(2024, 4, 6, 0, 0, tzinfo=dt.UTC))
    by_email = {author.email: author for author in whole.authors}
    assert by_email["grace@example.com"].matched_by == "name"  # another address, the same name
    assert by_email["bjorn@example.org"].employee_id is None
    assert sum(author.commits for author in whole.authors) == 6


def test_removed_repositories_leave_the_project_figures(db, session, study, store, repo, tmp_path) -> None:
    from evidence.store import remove_artifact
    [first, *_] = ingest(db, store, study, repo.path, tmp_path, rules=parse_rules(RULES))
    remove_artifact(session.get(Artifact, first.artifact_id), reason="wrong repository", removed_by_id=None)
    session.commit()
    ret = session.scalar(select(BusinessComponent.id).where(BusinessComponent.code == "RET",
                                                             BusinessComponent.study_id == study.id))
    assert project_commit_stats(session, study.id, ret).commits == 0


def signed_looking_commit(repo: Path, path: str, text: str) -> str:
    """A commit (changing ``path``) carrying a gpgsig header, so ``log.showSignature`` would run gpg."""
    write(repo / path, text)
    run_git(repo, "add", "--all")
    tree = run_git(repo, "write-tree")
    parent = run_git(repo, "rev-parse", "HEAD")
    ident = b"Ada Lovelace <ada@example.com> 1714000000 +0000"
    body = b"tree %s\nparent %s\nauthor %s\ncommitter %s\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n" \
           b" iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n\nsigned change\n" % (
               tree.encode(), parent.encode(), ident, ident)
    sha = run_git(repo, "hash-object", "-t", "commit", "-w", "--literally", "--stdin", stdin=body)
    run_git(repo, "update-ref", "HEAD", sha)
    return sha


def test_a_hostile_repository_config_runs_nothing(db, session, study, store, repo, tmp_path) -> None:
    """A repository handed over in an archive brings its own .git/config and hooks."""
    marker = tmp_path / "ran"
    signed_looking_commit(repo.path, "doc/adr/0003-signed.md", NYGARD.replace("# 1.", "# 3."))
    program = tmp_path / "evil.sh"
    program.write_text(f"#!/bin/sh\ntouch {marker}\n")
    program.chmod(0o755)
    for key, value in (("log.showSignature", "true"), ("gpg.program", str(program)),
                       ("core.fsmonitor", str(program)), ("core.pager", str(program)),
                       ("diff.external", str(program))):
        run_git(repo.path, "config", key, value)
    for hook in ("post-checkout", "reference-transaction", "pre-auto-gc", "post-index-change"):
        (repo.path / ".git" / "hooks" / hook).write_text(f"#!/bin/sh\ntouch {marker}\n")
        (repo.path / ".git" / "hooks" / hook).chmod(0o755)
    [first, *records] = ingest(db, store, study, repo.path, tmp_path)
    assert isinstance(first, IngestResult) and len(records) == 3
    assert not marker.exists()


# --- the evidence.git job ------------------------------------------------------------------------------


def run_job(db, session, store, tmp_path, study, params) -> dict:
    import evidence.ingest.git_job  # noqa: F401  (registers the handler)
    from core.audit import Actor
    from core.jobs import Job, JobQueue

    queue = JobQueue(db, store, "immediate", tmp_path / "instance")
    job_id = queue.submit("evidence.git", actor=Actor("test"), study_id=study.id, params=params)
    job = session.get(Job, job_id)
    session.refresh(job)
    assert job.status == "succeeded", job.error
    return job.result


def test_the_job_ingests_an_uploaded_bundle(db, session, study, store, repo, tmp_path) -> None:
    from evidence.ingest.git_job import git_job_params
    from evidence.ingest.staging import stage_upload

    bundle = tmp_path / "platform.bundle"
    run_git(repo.path, "bundle", "create", str(bundle), "--all")
    with bundle.open("rb") as stream:
        staged = stage_upload(store, stream, "platform.bundle", max_size=1 << 30)
    result = run_job(db, session, store, tmp_path, study,
                     git_job_params(staged, rules=RULES, uploaded_by_id=None, limits=LIMITS))
    [repository, *records] = result["artifacts"]
    assert (repository["path"], repository["outcome"], repository["sha256"]) == (
        "platform.bundle", "new", staged["sha256"])
    assert repository["counts"]["projects"] == {"RET": 2, "RRK": 2, "DOC": 2}
    assert [record["kind"] for record in records] == ["adr", "adr"] and result["failures"] == []
    assert staged["sha256"] in set(store.iter_hashes())  # the staged upload became the original


def test_a_refused_job_leaves_no_staged_blob(db, session, study, store, repo, tmp_path) -> None:
    import io

    from evidence.ingest.git_job import git_job_params
    from evidence.ingest.staging import stage_upload

    junk = stage_upload(store, io.BytesIO(b"not a bundle at all\n"), "repo.bundle", max_size=1 << 20)
    result = run_job(db, session, store, tmp_path, study, git_job_params(junk))
    [failure] = result["failures"]
    assert failure["path"] == "repo.bundle" and "not a git bundle" in failure["error"]
    bundle = tmp_path / "ok.bundle"
    run_git(repo.path, "bundle", "create", str(bundle), "--all")
    with bundle.open("rb") as stream:
        good = stage_upload(store, stream, "ok.bundle", max_size=1 << 30)
    result = run_job(db, session, store, tmp_path, study,
                     git_job_params(good, rules="rules: [{project: NOPE, message: x}]"))
    assert result["artifacts"] == []
    assert "rule 1 (project 'NOPE'): no project with code 'NOPE'" in result["failures"][0]["error"]
    unsafe = run_job(db, session, store, tmp_path, study, git_job_params("ext::sh -c id"))
    assert "refused repository source" in unsafe["failures"][0]["error"]
    assert list(store.iter_hashes()) == [] and count(session, Artifact) == 0


# --- re-applying changed rules ---------------------------------------------------------------------


def test_changed_rules_reattribute_the_stored_commits_without_reading_git_again(db, session, study, store,
                                                                               repo, tmp_path) -> None:
    from evidence.ingest.git_remap import RemapError, reapply_rules
    first = ingest(db, store, study, repo.path, tmp_path, rules=parse_rules(RULES))[0]
    shutil.rmtree(repo.path)  # the working repository is gone; the stored bundle is enough
    changed = parse_rules("""
rules:
  - {project: RET, name: retrieval and rerank code, paths: ["src/**"]}
  - {project: RRK, branches: ['feature/rerank*']}
""")
    result = reapply_rules(db, store, study.id, first.artifact_id, changed, user_id=None)
    assert result.before == {"DOC": 2, "RET": 2, "RRK": 2}
    assert result.after == {"RET": 4, "RRK": 2} and result.commits == 6
    session.expire_all()
    attributed = sorted(session.execute(
        select(GitCommit.sha, BusinessComponent.code)
        .join(CommitProject, CommitProject.commit_id == GitCommit.id)
        .join(BusinessComponent, BusinessComponent.id == CommitProject.project_id)).all())
    assert attributed == sorted([(repo.shas[n], "RET") for n in ("root", "rerank1", "rerank2", "main3")]
                                + [(repo.shas[n], "RRK") for n in ("rerank1", "rerank2")])
    summary = session.get(ArtifactRevision, first.revision_id).summary
    assert summary["rules"][0] == {"rule": "retrieval and rerank code", "project": "RET", "commits": 4}
    assert "rules_reapplied" in summary

    unknown = parse_rules("rules:\n  - {project: NOPE, paths: ['src/**']}\n")
    with pytest.raises(RemapError, match="NOPE"):
        reapply_rules(db, store, study.id, first.artifact_id, unknown, user_id=None)
    with pytest.raises(RemapError, match="not a git repository of this study"):
        reapply_rules(db, store, study.id + 999, first.artifact_id, changed, user_id=None)
    session.expire_all()
    assert count(session, CommitProject) == 6  # the refused attempts changed nothing
