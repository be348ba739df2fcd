"""The ``fourpart`` command as a user runs it: real processes, real databases and folders."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from core.blobstore import LocalBlobStore
from tests.cli import DemoTemplate, fourpart

# one worker runs every module that uses the demo template: `fourpart demo load` runs once per back end
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("demo-cli")]


def test_demo_load_twice_changes_nothing_the_second_time(demo_template: DemoTemplate,
                                                         demo_env: dict[str, str]) -> None:
    first = demo_template.load_output
    assert "Demo study 'demo' loaded" in first
    assert "admin@demo.fourpart.test" in first and "fourpart-demo" in first
    env = demo_env
    second = fourpart(env, "demo", "load")
    assert "already loaded" in second.stdout
    jobs = fourpart(env, "jobs", "list", "--study", "demo")
    assert jobs.returncode == 0 and jobs.stdout == ""
    submitted = fourpart(env, "jobs", "submit", "evidence.verify", "--study", "demo")
    job = json.loads(submitted.stdout)
    assert (job["status"], job["result"]) == ("succeeded", {"checked": 12, "problems": []})
    shown = json.loads(fourpart(env, "jobs", "show", str(job["id"])).stdout)
    assert shown["status"] == "succeeded"
    unknown = fourpart(env, "jobs", "submit", "no.such", "--study", "demo")
    assert unknown.returncode == 1 and "no job handler named 'no.such'" in unknown.stderr


def test_user_create_and_membership(demo_env: dict[str, str]) -> None:
    env = demo_env
    created = fourpart(env, "user", "create", "--email", "New@Example.test", "--name", "New Person",
                       "--password", "long enough password")
    assert created.returncode == 0, created.stderr
    again = fourpart(env, "user", "create", "--email", "new@example.test", "--name", "X",
                     "--password", "long enough password")
    assert again.returncode == 1 and "already exists" in again.stderr
    short = fourpart(env, "user", "create", "--email", "s@example.test", "--name", "S", "--password", "short")
    assert short.returncode == 1 and "at least 10 characters" in short.stderr
    added = fourpart(env, "user", "add-member", "--study", "demo", "--email", "new@example.test",
                     "--role", "cpa")
    assert added.returncode == 0 and "cpa of demo" in added.stdout


def _one_clear_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_unreachable_database_is_one_clear_line(env) -> None:
    nowhere = "postgresql+psycopg://postgres@127.0.0.1:9/nowhere"
    env["FOURPART_DATABASE_URL"] = nowhere
    line = _one_clear_line(fourpart(env, "serve", "--port", "0"))
    assert line.startswith(f"fourpart: database {nowhere} is unreachable")


def test_database_without_schema_says_what_to_run(env) -> None:
    line = _one_clear_line(fourpart(env, "serve", "--port", "0"))
    assert "run `fourpart db upgrade`" in line


def test_unwritable_evidence_folder_is_one_clear_line(env, tmp_path: Path) -> None:
    fourpart(env, "db", "upgrade")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    env["FOURPART_STORAGE_URL"] = str(blocker / "evidence")
    line = _one_clear_line(fourpart(env, "serve", "--port", "0"))
    assert str(blocker) in line


def test_blob_sweep_finds_orphans_and_verify_passes_on_an_empty_store(env, tmp_path: Path) -> None:
    fourpart(env, "db", "upgrade")
    orphan = LocalBlobStore(tmp_path / "evidence").put_bytes(b"left by a crash")
    swept = fourpart(env, "blobs", "sweep")
    assert [json.loads(line)["sha256"] for line in swept.stdout.splitlines()] == [orphan.sha256]
    deleted = fourpart(env, "blobs", "sweep", "--delete")
    assert deleted.returncode == 0
    assert fourpart(env, "blobs", "sweep").stdout == ""
    assert fourpart(env, "blobs", "verify").returncode == 0


def test_readiness_lists_the_demo_findings_and_exits_0_once_they_are_fixed(demo_env: dict[str, str]) -> None:
    import datetime as dt

    from sqlalchemy import delete, select

    from core.db import Database
    from evidence.linking.decisions import add_manual_link
    from evidence.models import Artifact, ArtifactKind
    from studies.models import BusinessComponent, UncertaintyStatement, WageAllocation

    env = demo_env
    text = fourpart(env, "readiness", "--study", "demo")
    assert text.returncode == 1, text.stderr
    assert text.stdout.startswith("demo: readiness ") and "3 blocking" in text.stdout
    found = json.loads(fourpart(env, "readiness", "--study", "demo", "--json").stdout)
    assert sorted(f["check"] for f in found["findings"]) == [
        "prong-without-evidence", "uncertainty-after-experiments", "wrapper-charged"]
    assert all(set(f) >= {"check", "severity", "message", "record"} for f in found["findings"])

    with Database(env["FOURPART_DATABASE_URL"]).transaction() as session:
        projects = {p.code: p for p in session.scalars(select(BusinessComponent))}
        session.execute(delete(WageAllocation).where(WageAllocation.project_id == projects["quickbrief"].id))
        forge = session.scalars(select(UncertaintyStatement).where(
            UncertaintyStatement.project_id == projects["forge"].id)).one()
        forge.identified_on = dt.date(2025, 4, 1)
        adr = session.scalars(select(Artifact).where(Artifact.kind == ArtifactKind.ADR,
                                                     Artifact.title.like("%NLI-based%"))).one()
        verdict = projects["verdict"]
        add_manual_link(session, verdict.study_id, artifact_id=adr.id, target_type="project",
                        target_id=verdict.id, user_id=None, prong="permitted_purpose")  # type: ignore[arg-type]
    fixed = fourpart(env, "readiness", "--study", "demo", "--json")
    assert fixed.returncode == 0, fixed.stdout
    payload = json.loads(fixed.stdout)
    assert (payload["ready"], payload["blocking"], payload["findings"]) == (True, 0, [])
    unknown = fourpart(env, "readiness", "--study", "nope")
    assert unknown.returncode == 1 and "no study with the slug 'nope'" in unknown.stderr
