"""``fourpart evidence add`` as a user runs it: JSON lines out, refusals on stderr, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli import fourpart
from tests.evidence.test_ingest_files import ablation_xlsx, mlruns

# one worker runs every module that uses the demo template: `fourpart demo load` runs once per back end
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("demo-cli")]


def test_add_prints_one_line_per_artifact_and_refuses_bad_files(demo_env: dict[str, str],
                                                                tmp_path: Path) -> None:
    env = demo_env
    folder = mlruns(tmp_path / "runs").rename(tmp_path / "pipeline-runs")  # the demo has an "mlruns"
    sheet = ablation_xlsx(tmp_path / "ablation.xlsx")
    added = fourpart(env, "evidence", "add", str(folder), str(sheet), "--study", "demo")
    assert added.returncode == 0, added.stderr
    lines = [json.loads(line) for line in added.stdout.splitlines()]
    assert [(line["kind"], line["outcome"]) for line in lines] == [("run_log", "new"), ("ablation", "new")]
    assert lines[0]["counts"]["runs_by_status"] == {"failed": 1, "finished": 1, "killed": 1}
    assert len(lines[0]["sha256"]) == 64 and lines[0]["content_start"] == "2025-01-04"

    again = fourpart(env, "evidence", "add", str(sheet), "--study", "demo")
    assert json.loads(again.stdout)["outcome"] == "duplicate"

    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not really a workbook")
    refused = fourpart(env, "evidence", "add", str(bad), "--study", "demo")
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.startswith("fourpart: broken.xlsx")

    unknown = fourpart(env, "evidence", "add", str(sheet), "--study", "no-such-study")
    assert unknown.returncode == 1 and "no study with the slug 'no-such-study'" in unknown.stderr
