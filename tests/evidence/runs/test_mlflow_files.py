"""MLflow's mlruns/ folder: the demo study's 37 runs, deleted runs, and what bad input gets."""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from evidence.parsers import EvidenceParseError
from evidence.parsers.runs import (
    MetricSeries,
    ParsedRunLog,
    ReadLimits,
    detect_run_log,
    parse_mlruns,
    redact_personal,
)
from evidence.parsers.runs.mlflow_files import ORIGINAL_STATUS_TAG
from tests.evidence.runs.builders import COMMIT, START_MS, write_experiment, write_run
from webapp.demo.materials import Materials, generate_materials

HEX40 = re.compile(r"[0-9a-f]{40}")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Materials, ParsedRunLog]:
    materials = generate_materials(tmp_path_factory.mktemp("demo-runs"))
    return materials, parse_mlruns(materials.mlruns)


def test_demo_runs_keep_every_outcome(demo: tuple[Materials, ParsedRunLog]) -> None:
    materials, log = demo
    expected = {status.lower(): count for status, count in materials.runs_by_status.items()}
    assert expected == {"finished": 28, "failed": 5, "killed": 4}
    assert Counter(run.status for run in log.runs) == expected
    assert len(log.runs) == materials.runs == 37
    assert log.warnings == ()
    assert detect_run_log(materials.mlruns) == "mlruns"


def test_demo_runs_are_complete(demo: tuple[Materials, ParsedRunLog]) -> None:
    _, log = demo
    for run in log.runs:
        assert run.tracker == "mlflow"
        assert run.source_commit is not None and HEX40.fullmatch(run.source_commit), run.name
        assert run.started_at is not None and run.started_at.tzinfo is UTC
        assert run.ended_at is not None and run.ended_at > run.started_at
        assert run.experiment not in ("", "Default")
        assert run.metrics and all(series.points for series in run.metrics)
        assert run.name == run.tags["mlflow.runName"]
    killed = [run for run in log.runs if run.status == "killed"]
    assert all(len(series.points) >= 1 for run in killed for series in run.metrics)


def test_demo_redaction_removes_email_and_home_user(demo: tuple[Materials, ParsedRunLog]) -> None:
    _, log = demo
    with_email = [run for run in log.runs if run.user and "@" in run.user]
    assert with_email, "the demo has a run logged under an e-mail address"
    homes = {m.group(2) for run in log.runs
             for m in re.finditer(r"/(home|Users)/([^/]+)/", run.tags["mlflow.source.name"])}
    assert homes
    for run in log.runs:
        clean = redact_personal(run)
        text = repr(clean)
        assert "@lexbridge.ai" not in text
        for user in homes:
            assert f"/{user}/" not in text
        assert clean.user == "[redacted]"
        assert re.fullmatch(r"/(home|Users)/\[redacted\]/.+\.py", clean.tags["mlflow.source.name"])
        assert clean.tags["mlflow.source.git.commit"] == run.tags["mlflow.source.git.commit"]
        assert clean.metrics == run.metrics


def test_run_fields_statuses_and_nested_keys(tmp_path: Path) -> None:
    exp = write_experiment(tmp_path, "1", "citerag")
    write_run(exp, "r1", status=3, name="ok", metrics={"loss": f"{START_MS} 0.9 0\n{START_MS + 5} 0.4 1\n"},
              params={"model/depth": "4", "lr": "0.1"},
              tags={"mlflow.source.git.commit": COMMIT, "mlflow.user": "priya"})
    write_run(exp, "r2", status="FAILED", name="oom", metrics={"eval/acc": f"{START_MS} 0.5\n"})
    write_run(exp, "r3", status=5, name="stopped", end_ms=None)
    write_run(exp, "r4", status=1, name="live")
    write_run(exp, "r5", status=4, name="gone", lifecycle="deleted")
    log = parse_mlruns(tmp_path)
    runs = {run.name: run for run in log.runs}
    assert {name: run.status for name, run in runs.items()} == {
        "ok": "finished", "oom": "failed", "stopped": "killed", "live": "running", "gone": "deleted"}
    assert runs["gone"].tags[ORIGINAL_STATUS_TAG] == "failed"
    ok = runs["ok"]
    assert ok.params == {"lr": "0.1", "model/depth": "4"}
    assert ok.source_commit == COMMIT and ok.user == "priya" and ok.experiment == "citerag"
    assert ok.started_at == datetime.fromtimestamp(START_MS / 1000, UTC)
    loss = ok.metric("loss")
    assert loss is not None and [p[:2] for p in loss.points] == [(0, 0.9), (1, 0.4)]
    acc = runs["oom"].metric("eval/acc")
    assert acc is not None and acc.points[0][0] is None  # an old two-field line has no step
    assert runs["stopped"].ended_at is None


def test_trash_and_mlflow3_folders(tmp_path: Path) -> None:
    exp = write_experiment(tmp_path, "1", "live")
    write_run(exp, "r1", status=3)
    (exp / "models" / "m-123").mkdir(parents=True)
    (exp / "models" / "m-123" / "meta.yaml").write_text("model_id: m-123\n")
    (exp / "tags").mkdir()
    (exp / "tags" / "mlflow.note.content").write_text("notes")
    (tmp_path / "models" / "registered").mkdir(parents=True)
    trashed = write_experiment(tmp_path / ".trash", "7", "abandoned")
    write_run(trashed, "r9", status=5, name="old")
    log = parse_mlruns(tmp_path)
    assert [(run.experiment, run.status) for run in log.runs] == [
        ("live", "finished"), ("abandoned", "deleted")]
    assert log.runs[1].tags[ORIGINAL_STATUS_TAG] == "killed"
    assert log.warnings == ()


def test_malformed_meta_yaml_names_file_and_line(tmp_path: Path) -> None:
    exp = write_experiment(tmp_path, "1", "e")
    run = write_run(exp, "r1")
    (run / "meta.yaml").write_text("run_id: r1\nstatus: 3\nstart_time: [1, 2\nend_time: 5\n")
    with pytest.raises(EvidenceParseError) as caught:
        parse_mlruns(tmp_path)
    assert caught.value.source == f"{tmp_path.name}/1/r1/meta.yaml"
    assert caught.value.line is not None and caught.value.line >= 3


def test_bad_status_and_time_fields(tmp_path: Path) -> None:
    exp = write_experiment(tmp_path, "1", "e")
    run = write_run(exp, "r1", status=9)
    with pytest.raises(EvidenceParseError) as caught:
        parse_mlruns(tmp_path)
    assert caught.value.field == "status" and caught.value.line is not None
    write_run(exp, "r1", status=3)
    text = (run / "meta.yaml").read_text().replace(f"start_time: {START_MS}", "start_time: yesterday")
    (run / "meta.yaml").write_text(text)
    with pytest.raises(EvidenceParseError, match="start_time"):
        parse_mlruns(tmp_path)


@pytest.mark.parametrize(
    "line", ["1736000000000 0.5 1 7", "1736000000000 lots 1", "soon 0.5 1", "1736000000000"])
def test_bad_metric_line_names_file_and_line(tmp_path: Path, line: str) -> None:
    exp = write_experiment(tmp_path, "1", "e")
    write_run(exp, "r1", metrics={"loss": f"{START_MS} 0.9 0\n{line}\n"})
    with pytest.raises(EvidenceParseError) as caught:
        parse_mlruns(tmp_path)
    assert caught.value.source.endswith("1/r1/metrics/loss")
    assert caught.value.line == 2


def test_nan_and_infinite_metric_values(tmp_path: Path) -> None:
    exp = write_experiment(tmp_path, "1", "e")
    write_run(exp, "r1", metrics={"loss": f"{START_MS} 0.5 0\n{START_MS} inf 1\n{START_MS} nan 2\n"})
    series = parse_mlruns(tmp_path).runs[0].metric("loss")
    assert series is not None and series.final is not None and math.isnan(series.final)
    assert series.best("min") == 0.5 and series.best("max") == math.inf


def test_metric_series_final_and_best() -> None:
    series = MetricSeries("loss", ((0, 3.0, None), (1, 1.0, None), (2, 2.0, None)))
    assert series.final == 2.0 and series.best("min") == 1.0 and series.best("max") == 3.0
    assert MetricSeries("x", ()).final is None and MetricSeries("x", ()).best("min") is None
    with pytest.raises(ValueError, match="direction"):
        series.best("lowest")  # type: ignore[arg-type]


def test_symlinks_out_of_root_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_text("hunter2")
    root = tmp_path / "mlruns"
    exp = write_experiment(root, "1", "e")
    run = write_run(exp, "r1")
    (run / "params").mkdir()
    os.symlink(outside / "secret", run / "params" / "leak")
    os.symlink(outside, exp / "r2")
    log = parse_mlruns(root)
    assert [run.params for run in log.runs] == [{}]
    assert any("symlink" in warning for warning in log.warnings)
    assert "hunter2" not in repr(log)


def test_limits_bound_file_size_and_count(tmp_path: Path) -> None:
    exp = write_experiment(tmp_path, "1", "e")
    write_run(exp, "r1", params={"big": "x" * 5000})
    with pytest.raises(EvidenceParseError, match="limit"):
        parse_mlruns(tmp_path, limits=ReadLimits(max_file_bytes=1000))
    with pytest.raises(EvidenceParseError, match="more than 2 files"):
        parse_mlruns(tmp_path, limits=ReadLimits(max_files=2))


def test_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(EvidenceParseError):
        parse_mlruns(tmp_path / "missing")
    (tmp_path / "file").write_text("x")
    with pytest.raises(EvidenceParseError, match="not a folder"):
        parse_mlruns(tmp_path / "file")
