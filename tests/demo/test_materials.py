"""The demo study's raw material is real, sane and deterministic."""

from __future__ import annotations

import csv
import math
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import git
import openpyxl
import pytest
import yaml

from webapp.demo.company import CONTRACTORS, DEMO_PASSWORD, DEMO_USERS, PEOPLE, PROJECTS
from webapp.demo.gl_export import GL_HEADER
from webapp.demo.materials import Materials, generate_materials

YEAR_START = datetime(2025, 1, 1, tzinfo=UTC)
YEAR_END = datetime(2026, 1, 1, tzinfo=UTC)
NYGARD_SECTIONS = ("## Status", "## Context", "## Decision", "## Consequences")
MADR_SECTIONS = (
    "## Context and Problem Statement",
    "## Decision Drivers",
    "## Considered Options",
    "## Decision Outcome",
    "### Consequences",
    "## Pros and Cons of the Options",
)


@pytest.fixture(scope="module")
def materials(tmp_path_factory: pytest.TempPathFactory) -> Materials:
    return generate_materials(tmp_path_factory.mktemp("demo-a"))


@pytest.fixture(scope="module")
def repo(materials: Materials) -> git.Repo:
    return git.Repo(materials.repo)


@pytest.fixture(scope="module")
def all_commits(repo: git.Repo) -> list[git.Commit]:
    return list(repo.iter_commits("--all"))


def _front_matter(text: str) -> dict[str, object]:
    match = re.match(r"^---\n(.*?)\n---\n", text, re.DOTALL)
    assert match, "missing YAML front matter"
    loaded = yaml.safe_load(match.group(1))
    assert isinstance(loaded, dict)
    return loaded


def _runs(mlruns: Path) -> list[Path]:
    return sorted(p.parent for p in mlruns.glob("*/*/meta.yaml"))


def _gl_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_company_is_consistent() -> None:
    assert {p.code for p in PROJECTS} == {"citerag", "verdict", "forge", "quickbrief"}
    assert [p.code for p in PROJECTS if not p.qualifies] == ["quickbrief"]
    assert 11 <= len(PEOPLE) <= 14
    assert all(p.email.endswith("@lexbridge.ai") for p in PEOPLE)
    assert all(0 <= p.rd_share <= 100 for p in PEOPLE)
    assert [p.key for p in PEOPLE if p.is_foreign] == ["ethan"]
    assert {c.name: c.amount_2025 for c in CONTRACTORS}["Tensorlane Consulting LLC"] == 148_000
    assert {u.role for u in DEMO_USERS} == {"admin", "interviewer", "engineer", "cpa"}
    assert DEMO_PASSWORD == "fourpart-demo"


def test_git_history_is_a_real_multi_author_2025_repository(
    materials: Materials, repo: git.Repo, all_commits: list[git.Commit]
) -> None:
    assert 600 <= len(all_commits) <= 900
    assert len(all_commits) == materials.commits
    assert not repo.is_dirty(untracked_files=True)
    assert repo.active_branch.name == "main"
    emails = {c.author.email for c in all_commits}
    assert len(emails) >= 8
    assert {"ethan@lexbridge.ai", "marcus@tensorlane.io"} <= emails
    for commit in all_commits:
        assert YEAR_START <= commit.committed_datetime.astimezone(UTC) < YEAR_END
        assert YEAR_START <= commit.authored_datetime.astimezone(UTC) < YEAR_END
    assert sum(1 for c in all_commits if len(c.parents) > 1) >= 3
    assert {"main", "feature/colbert-index", "exp/zero3"} <= {h.name for h in repo.heads}
    assert {"v0.9.0", "v1.0.0"} <= {t.name for t in repo.tags}
    subjects = {c.summary for c in all_commits}
    assert "forge: revert ZeRO-3 offload, OOM at 7B" in subjects
    assert "citerag: add reciprocal rank fusion over bm25+dense" in subjects


def test_repository_contents(materials: Materials, repo: git.Repo) -> None:
    top = {path.split("/")[0] for path in repo.git.ls_files().splitlines()}
    assert {"citerag", "verdict", "forge", "quickbrief", "common", "docs", "doc"} <= top
    requirements = (materials.repo / "requirements.txt").read_text()
    for package in ("openai", "anthropic", "rank-bm25", "sentence-transformers", "torch", "deepspeed"):
        assert re.search(rf"^{re.escape(package)}==", requirements, re.MULTILINE), package
    assert "deepspeed" in (materials.repo / "pyproject.toml").read_text()
    app = (materials.repo / "quickbrief" / "app.py").read_text()
    assert "from openai import OpenAI" in app and "chat.completions.create" in app
    stats = repo.git.log("--all", "--shortstat", "--format=")
    insertions = sum(int(n) for n in re.findall(r"(\d+) insertion", stats))
    deletions = sum(int(n) for n in re.findall(r"(\d+) deletion", stats))
    assert insertions > 2000 and deletions > 200


def test_nygard_adrs(materials: Materials, repo: git.Repo) -> None:
    assert (materials.repo / ".adr-dir").read_text().strip() == "doc/adr"
    files = sorted((materials.repo / "doc" / "adr").glob("*.md"))
    assert 4 <= len(files) <= 6
    assert files[0].name == "0001-record-architecture-decisions.md"
    statuses = []
    for number, path in enumerate(files, start=1):
        text = path.read_text(encoding="utf-8")
        assert re.match(rf"^# {number}\. \S", text)
        found = re.search(r"^Date: (\d{4}-\d{2}-\d{2})$", text, re.MULTILINE)
        assert found
        assert all(f"\n{section}\n" in text for section in NYGARD_SECTIONS)
        statuses.append(text.split("## Status\n\n", 1)[1].split("\n\n## Context", 1)[0])
        added = repo.git.log(
            "--diff-filter=A", "--format=%ad", "--date=short", "--", str(path.relative_to(materials.repo))
        )
        assert added.strip() == found.group(1)
    assert any(s.startswith("Superseded by [") for s in statuses)
    assert any("Supercedes [" in s for s in statuses)


def test_madr_decisions(materials: Materials, repo: git.Repo) -> None:
    files = sorted((materials.repo / "docs" / "decisions").glob("*.md"))
    assert 3 <= len(files) <= 4
    for path in files:
        text = path.read_text(encoding="utf-8")
        front = _front_matter(text)
        assert {"status", "date", "deciders"} <= set(front)
        assert isinstance(front["date"], date) and front["date"].year == 2025
        assert all(f"\n{section}\n" in text for section in MADR_SECTIONS)
        assert text.count("\n### ") >= 3
        added = repo.git.log(
            "--diff-filter=A", "--format=%ad", "--date=short", "--", str(path.relative_to(materials.repo))
        )
        assert added.strip() == front["date"].isoformat()


def test_mlflow_file_store(materials: Materials, repo: git.Repo) -> None:
    experiments = [yaml.safe_load(p.read_text()) for p in materials.mlruns.glob("*/meta.yaml")]
    names = {e["name"] for e in experiments}
    assert {"citerag-retrieval", "verdict-faithfulness", "forge-parallelism"} <= names
    assert all(e["lifecycle_stage"] == "active" and e["artifact_location"] for e in experiments)
    runs = _runs(materials.mlruns)
    assert 25 <= len(runs) <= 40
    statuses: dict[int, int] = {}
    users = set()
    for run in runs:
        meta = yaml.safe_load((run / "meta.yaml").read_text())
        assert meta["run_id"] == meta["run_uuid"] == run.name and re.fullmatch(r"[0-9a-f]{32}", run.name)
        assert meta["experiment_id"] == run.parent.name
        assert (
            YEAR_START.timestamp() * 1000
            <= meta["start_time"]
            < meta["end_time"]
            < YEAR_END.timestamp() * 1000
        )
        statuses[meta["status"]] = statuses.get(meta["status"], 0) + 1
        sha = (run / "tags" / "mlflow.source.git.commit").read_text()
        commit = repo.commit(sha)
        assert commit.committed_date * 1000 < meta["start_time"]
        users.add((run / "tags" / "mlflow.user").read_text())
        assert re.match(r"^/(home|Users)/[^/]+/", (run / "tags" / "mlflow.source.name").read_text())
        assert (run / "tags" / "mlflow.runName").read_text() == meta["run_name"]
        for param in (run / "params").iterdir():
            assert not param.read_text().endswith("\n")
        for metric in (run / "metrics").iterdir():
            lines = metric.read_text().splitlines()
            assert lines
            steps = [int(line.split()[2]) for line in lines]
            assert steps == sorted(steps)
            for line in lines:
                stamp, value, step = line.split(" ")
                assert int(stamp) > 0 and int(step) >= 0 and math.isfinite(float(value))
    assert statuses.get(4, 0) >= 2 and statuses.get(5, 0) >= 2
    assert {3: "FINISHED", 4: "FAILED", 5: "KILLED"}.keys() >= statuses.keys()
    assert dict(materials.runs_by_status) == {
        name: statuses[code] for code, name in ((3, "FINISHED"), (4, "FAILED"), (5, "KILLED"))
    }
    assert any("@" in user for user in users)


def test_ablation_workbook(materials: Materials) -> None:
    workbook = openpyxl.load_workbook(materials.ablation_xlsx)
    assert workbook.sheetnames == ["Retrieval ablation", "Rerank long", "Notes"]
    sheet = workbook["Retrieval ablation"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"B1:C1", "D1:E1", "A1:A2"} <= merged
    assert (sheet["B1"].value, sheet["B2"].value, sheet["C2"].value) == ("Recall@10", "Statutes", "Cases")
    assert sheet["A3"].value == "BM25 (baseline)"
    deltas = [
        c
        for row in sheet.iter_rows(min_row=4, max_row=12, min_col=2, max_col=6, values_only=True)
        for c in row
    ]
    assert deltas and all(re.fullmatch(r"\d\.\d{3}\([+-]\d+\.\d%\)", str(c)) for c in deltas)
    long_rows = list(workbook["Rerank long"].iter_rows(values_only=True))
    assert long_rows[0][:3] == ("variant", "split", "epoch") and len(long_rows) > 20
    assert workbook.properties.created == datetime(2025, 10, 31, 17, 0)


def test_gl_export(materials: Materials) -> None:
    with materials.gl_csv.open(encoding="utf-8") as handle:
        assert handle.readline().rstrip("\n") == ",".join(GL_HEADER)
    rows = _gl_rows(materials.gl_csv)
    assert 3000 <= len(rows) <= 4000 and len(rows) == materials.gl_lines
    assert {r["company"] for r in rows} == {"Lexbridge AI, Inc."}
    assert {r["industry"] for r in rows} == {"Software"}
    assert all(r["date"].startswith("2025-") for r in rows)
    assert all(re.fullmatch(r"-?\d+\.\d{2}", r["amount"]) for r in rows)
    assert sum(r["amount"].startswith("-") for r in rows) >= 20
    assert any(r["description"].startswith("JE-") for r in rows)
    by_vendor: dict[str, Decimal] = {}
    for r in rows:
        by_vendor[r["vendor"]] = by_vendor.get(r["vendor"], Decimal(0)) + Decimal(r["amount"])
    for contractor in CONTRACTORS:
        assert by_vendor[contractor.gl_vendor] == contractor.amount_2025
    payroll = sum(Decimal(r["amount"]) for r in rows if r["account_number"] == "5000")
    assert payroll == sum(p.wages_2025 for p in PEOPLE if p.country == "US")
    vendors = set(by_vendor)
    assert {"Amazon Web Services", "OpenAI", "Anthropic", "Lambda Labs", "CoreWeave", "Gusto"} <= vendors


def test_same_seed_same_bytes(materials: Materials, repo: git.Repo, tmp_path: Path) -> None:
    again = generate_materials(tmp_path / "demo-b")
    assert again.gl_csv.read_bytes() == materials.gl_csv.read_bytes()
    assert again.ablation_xlsx.read_bytes() == materials.ablation_xlsx.read_bytes()
    shas = sorted(repo.git.rev_list("--all").split())
    assert sorted(git.Repo(again.repo).git.rev_list("--all").split()) == shas
    assert [p.name for p in _runs(again.mlruns)] == [p.name for p in _runs(materials.mlruns)]
