"""``fourpart evidence git`` as a user runs it: JSON lines out, refusals on stderr, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.evidence.test_git_ingest import build_repo
from tests.evidence.test_gitlog import GRACE, commit, write

# one worker runs every module that uses the demo template: `fourpart demo load` runs once per back end
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("demo-cli")]

# Importing the command module registers ``evidence git`` whether or not the CLI imports it yet.
RUN_CLI = "import webapp.commands.evidence_git; from webapp.cli import main; main()"


def fourpart(environment: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", RUN_CLI, *args], env=environment, text=True,
                          capture_output=True, timeout=300, check=False)


def test_git_prints_one_line_per_artifact_and_adds_only_new_commits(demo_env: dict[str, str],
                                                                    tmp_path: Path) -> None:
    env = demo_env
    repo = build_repo(tmp_path / "platform").path
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - project: citerag\n    paths: [src/retrieval/**]\n", encoding="utf-8")

    first = fourpart(env, "evidence", "git", str(repo), "--study", "demo", "--rules", str(rules),
                     "--path", "github.com/lexbridge/platform")
    assert first.returncode == 0, first.stderr
    lines = [json.loads(line) for line in first.stdout.splitlines()]
    assert [(line["kind"], line["outcome"]) for line in lines] == [
        ("git_repository", "new"), ("adr", "new"), ("adr", "new")]
    assert lines[0]["path"] == "github.com/lexbridge/platform"
    assert lines[0]["counts"] == {"commits": 6, "new_commits": 6, "branches": 2, "tags": 2,
                                  "projects": {"citerag": 2}}
    assert (lines[0]["content_start"], lines[0]["content_end"]) == ("2024-03-01", "2024-04-06")
    assert len(lines[0]["sha256"]) == 64

    write(repo / "src/retrieval/index.py", "def index():\n    return 42\n")
    commit(repo, "fix: index\n", GRACE)
    again = fourpart(env, "evidence", "git", str(repo), "--study", "demo", "--rules", str(rules),
                     "--path", "github.com/lexbridge/platform")
    assert again.returncode == 0, again.stderr
    repository = json.loads(again.stdout.splitlines()[0])
    assert (repository["outcome"], repository["id"]) == ("revision", lines[0]["id"])
    assert (repository["counts"]["commits"], repository["counts"]["new_commits"]) == (7, 1)

    same = fourpart(env, "evidence", "git", str(repo), "--study", "demo",
                    "--path", "github.com/lexbridge/platform")
    assert [json.loads(line)["outcome"] for line in same.stdout.splitlines()] == ["duplicate"] * 3


def test_git_refusals_are_one_clear_line_and_exit_1(demo_env: dict[str, str], tmp_path: Path) -> None:
    env = demo_env
    marker = tmp_path / "pwned"
    unsafe = fourpart(env, "evidence", "git", f"ext::sh -c touch% {marker}", "--study", "demo")
    assert (unsafe.returncode, unsafe.stdout) == (1, "")
    assert unsafe.stderr.startswith("fourpart: refused repository source 'ext::sh -c touch% ")
    assert "transport helpers ('ext::') are not allowed" in unsafe.stderr
    assert not marker.exists()

    option = fourpart(env, "evidence", "git", "--study", "demo", "--", "--upload-pack=touch x")
    assert option.returncode == 1 and "would be read as an option" in option.stderr

    repo = build_repo(tmp_path / "platform").path
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - project: no-such-project\n    message: [x]\n", encoding="utf-8")
    unknown = fourpart(env, "evidence", "git", str(repo), "--study", "demo", "--rules", str(rules))
    assert (unknown.returncode, unknown.stdout) == (1, "")
    assert f"{rules}, rule 1 (project 'no-such-project'): no project with code" in unknown.stderr
    assert "citerag" in unknown.stderr  # the codes the study does have

    rules.write_text("rules:\n  - project: citerag\n    pathz: [src/**]\n", encoding="utf-8")
    bad = fourpart(env, "evidence", "git", str(repo), "--study", "demo", "--rules", str(rules))
    assert bad.returncode == 1 and "unknown key(s) pathz" in bad.stderr

    missing = fourpart(env, "evidence", "git", str(repo), "--study", "no-such-study")
    assert missing.returncode == 1 and "no study with the slug 'no-such-study'" in missing.stderr
    assert not list(Path(env["FOURPART_STORAGE_URL"]).rglob("*.bundle"))


def test_git_rules_reapplies_rules_to_a_stored_repository(demo_env: dict[str, str], tmp_path: Path) -> None:
    repo = build_repo(tmp_path / "repo")
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - {project: citerag, paths: ['src/retrieval/**']}\n")
    env = demo_env
    added = fourpart(env, "evidence", "git", str(repo.path), "--study", "demo", "--rules", str(rules))
    artifact_id = json.loads(added.stdout.splitlines()[0])["id"]
    rules.write_text("rules:\n  - {project: citerag, paths: ['src/**']}\n"
                     "  - {project: forge, message: [adr]}\n")
    changed = fourpart(env, "evidence", "git-rules", str(artifact_id), "--study", "demo", "--rules",
                       str(rules))
    assert changed.returncode == 0, changed.stderr
    assert json.loads(changed.stdout) == {"artifact_id": artifact_id, "commits": 6,
                                           "before": {"citerag": 2}, "after": {"citerag": 4, "forge": 2}}
    rules.write_text("rules:\n  - {project: nope, paths: ['src/**']}\n")
    refused = fourpart(env, "evidence", "git-rules", str(artifact_id), "--study", "demo", "--rules",
                       str(rules))
    assert refused.returncode == 1 and "nope" in refused.stderr
