"""W&B run folders and CSV exports.

``data/wandb`` holds four run logs written by wandb 0.31.0 (wandb-core) in offline mode, from
one script run four ways: finished, raised an exception (exit 1), Ctrl-C (exit 255) and
``os._exit(137)`` mid-run, which left only the log's 7-byte header.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from evidence.parsers import EvidenceParseError
from evidence.parsers.runs import (
    ReadLimits,
    detect_run_log,
    parse_wandb_csv,
    parse_wandb_dir,
    redact_personal,
)
from evidence.parsers.runs._wandb_log import MESSAGES, read_wandb_log
from tests.evidence.runs.builders import history, wandb_log_bytes, wandb_record

DATA = Path(__file__).parent / "data" / "wandb"
REAL_COMMIT = "8100e015d48252155a21301060ac4bd679dbbe40"


@pytest.fixture
def wandb_dir(tmp_path: Path) -> Path:
    root = tmp_path / "wandb"
    shutil.copytree(DATA, root)
    os.symlink(sorted(root.iterdir())[0].name, root / "latest-run")
    return root


def test_real_offline_runs(wandb_dir: Path) -> None:
    log = parse_wandb_dir(wandb_dir)
    runs = {run.name: run for run in log.runs}
    assert len(log.runs) == 4  # latest-run, a symlink, is not read twice
    assert {name: run.status for name, run in runs.items()} == {
        "sweep-ok": "finished", "sweep-fail": "failed", "sweep-ctrlc": "killed", "1nvyo59t": "unknown"}
    assert any("1nvyo59t" in warning and "no exit record" in warning for warning in log.warnings)
    ok = runs["sweep-ok"]
    assert ok.tracker == "wandb" and ok.external_id == "v3v4rkto" and ok.experiment == "citerag"
    assert ok.params == {"lr": "0.001", "model.depth": "4", "model.name": "tiny", "batch": "32"}
    assert ok.source_commit == REAL_COMMIT
    assert ok.tags["wandb.tags"] == "ablation,v3" and ok.tags["wandb.host"] == "gpu-box-07.lexbridge.internal"
    loss = ok.metric("loss")
    assert loss is not None and [point[:2] for point in loss.points] == [
        (0, 1.0), (1, 0.5), (2, 1 / 3), (3, 0.25), (4, 0.2)]
    assert all(point[2] is not None and point[2].tzinfo is UTC for point in loss.points)
    nested = ok.metric("nested.x")
    assert nested is not None and nested.final == 4.0
    best = ok.metric("best_acc")  # only in the summary: one final value, no step
    assert best is not None and best.points == ((None, 0.4, None),)
    assert ok.started_at is not None and ok.ended_at is not None and ok.ended_at >= ok.started_at
    assert runs["sweep-fail"].tags["wandb.exit_code"] == "1"


def test_redaction_of_wandb_metadata(wandb_dir: Path) -> None:
    run = next(run for run in parse_wandb_dir(wandb_dir).runs if run.name == "sweep-ok")
    clean = redact_personal(run)
    assert clean.tags["wandb.host"] == "[redacted]"
    assert clean.tags["wandb.program"] == "/home/[redacted]/lexproj/train.py"
    assert "ada" not in repr(clean.tags) and "gpu-box-07" not in repr(clean)


def test_single_run_folder_and_single_log_file(wandb_dir: Path) -> None:
    folder = next(p for p in sorted(wandb_dir.iterdir()) if p.name.endswith("hme6pqbk"))
    assert [run.status for run in parse_wandb_dir(folder).runs] == ["killed"]
    log_file = folder / "run-hme6pqbk.wandb"
    assert detect_run_log(log_file) == "wandb_dir"
    assert [run.external_id for run in parse_wandb_dir(log_file).runs] == ["hme6pqbk"]
    assert detect_run_log(wandb_dir) == "wandb_dir"
    assert detect_run_log(wandb_dir.parent) == "wandb_dir"


def test_online_layout_files(tmp_path: Path) -> None:
    run = tmp_path / "wandb" / "run-20250304_101500-abc123"
    files = run / "files"
    files.mkdir(parents=True)
    (files / "config.yaml").write_text(
        "wandb_version: 1\n\n_wandb:\n  desc: null\n  value:\n    cli_version: 0.17.0\n"
        "lr:\n  desc: null\n  value: 0.0003\noptimizer:\n  desc: null\n  value: adamw\n")
    (files / "wandb-summary.json").write_text(json.dumps({
        "loss": 0.31, "eval": {"acc": 0.82}, "_step": 99, "_runtime": 600.5, "_wandb": {"runtime": 600},
        "sample": {"_type": "image-file", "width": 64}}))
    (files / "wandb-metadata.json").write_text(json.dumps({
        "startedAt": "2025-03-04T10:15:00.123456", "host": "ws-lena", "username": "lena",
        "email": "lena@lexbridge.ai", "program": "/Users/lena/code/train.py",
        "git": {"remote": "git@github.com:lexbridge/platform.git", "commit": "a" * 40}}))
    log = parse_wandb_dir(tmp_path / "wandb")
    (parsed,) = log.runs
    assert parsed.external_id == "abc123" and parsed.status == "unknown"
    assert parsed.params == {"lr": "0.0003", "optimizer": "adamw"}
    assert {series.key: series.final for series in parsed.metrics} == {"loss": 0.31, "eval.acc": 0.82}
    assert parsed.started_at == datetime(2025, 3, 4, 10, 15, 0, 123456, tzinfo=UTC)
    assert parsed.ended_at == datetime(2025, 3, 4, 10, 25, 0, 123456, tzinfo=UTC)
    assert parsed.source_commit == "a" * 40 and parsed.user == "lena"
    assert any("no .wandb log" in warning for warning in log.warnings)
    clean = redact_personal(parsed)
    assert "lena" not in repr(clean) and "ws-lena" not in repr(clean)
    assert clean.tags["wandb.git.remote"] == "git@github.com:lexbridge/platform.git"


def test_record_split_across_blocks_and_preemption(tmp_path: Path) -> None:
    item = MESSAGES["Item"]
    config = MESSAGES["Updates"](update=[item(key=b"notes", value_json=json.dumps("x" * 300).encode())])
    run = MESSAGES["Run"](run_id=b"pre1", project=b"p", display_name=b"big", config=config)
    records = [wandb_record(run=run)] + [history(step, {"loss": 1.0 / (step + 1)}, 1.7e9 + step)
                                         for step in range(40)]
    records.append(wandb_record(preempting=MESSAGES["Empty"]()))
    data = wandb_log_bytes(records, block=256)  # small blocks force FIRST/MIDDLE/LAST records
    parsed = read_wandb_log(data, "small-blocks.wandb", block=256)
    assert parsed.config["notes"] == "x" * 300 and len(parsed.history["loss"]) == 40
    assert parsed.preempted and parsed.exit_code is None
    path = tmp_path / "run-pre1.wandb"
    path.write_bytes(wandb_log_bytes(records))
    (result,) = parse_wandb_dir(path).runs
    assert result.status == "killed" and result.name == "big"


def test_truncated_and_corrupt_logs_keep_what_was_read(tmp_path: Path) -> None:
    records = [wandb_record(run=MESSAGES["Run"](run_id=b"t1"))]
    records += [history(step, {"loss": 0.5}, 1.7e9) for step in range(5)]
    data = wandb_log_bytes(records)
    cut = read_wandb_log(data[:-10], "cut.wandb")
    assert len(cut.history["loss"]) == 4 and "ends inside a record" in cut.problems[0]
    flipped = bytearray(data)
    flipped[-3] ^= 0xFF
    bad = read_wandb_log(bytes(flipped), "bad.wandb")
    assert len(bad.history["loss"]) == 4 and "checksum" in bad.problems[0]
    with pytest.raises(EvidenceParseError, match="not a W&B run log"):
        read_wandb_log(b"PK\x03\x04 not wandb", "x.wandb")
    path = tmp_path / "run-t1.wandb"
    path.write_bytes(data[:-10])
    log = parse_wandb_dir(path)
    assert log.runs[0].status == "unknown" and any("ends inside" in w for w in log.warnings)


def test_oversized_log_falls_back_with_a_warning(wandb_dir: Path) -> None:
    log = parse_wandb_dir(wandb_dir, limits=ReadLimits(max_file_bytes=100))
    assert Counter(run.status for run in log.runs) == {"unknown": 4}
    assert any("limit" in warning for warning in log.warnings)


def test_malformed_summary_json_names_line(tmp_path: Path) -> None:
    files = tmp_path / "run-20250304_101500-abc123" / "files"
    files.mkdir(parents=True)
    (files / "wandb-summary.json").write_text('{\n  "loss": 0.3,\n  "acc": oops\n}')
    with pytest.raises(EvidenceParseError) as caught:
        parse_wandb_dir(tmp_path)
    assert caught.value.line == 3 and caught.value.source.endswith("files/wandb-summary.json")


CSV_EXPORT = (
    "\ufeffName,State,Notes,User,Tags,Created,Runtime,Sweep,lr,optimizer,loss,eval/acc\n"
    "dense-v2,finished,,priya,\"ablation, v3\",2025-03-04T10:15:00.000Z,600,,0.0003,adamw,0.31,0.82\n"
    "dense-v3,crashed,OOM at step 900,priya,,2025-03-05T10:15:00.000Z,95,,0.0006,adamw,7.2,\n"
    "dense-v4,killed,stopped by hand,tomas,,2025-03-06T10:15:00Z,30,,0.001,sgd,,\n"
    "dense-v4,running,,tomas,,2025-03-07T10:15:00Z,5,,0.001,sgd,,\n"
)


def test_csv_export(tmp_path: Path) -> None:
    path = tmp_path / "wandb_export_2025-03-08.csv"
    path.write_text(CSV_EXPORT, encoding="utf-8")
    assert detect_run_log(path) == "wandb_csv"
    log = parse_wandb_csv(path, config_columns=frozenset({"lr"}))
    assert [(run.name, run.status) for run in log.runs] == [
        ("dense-v2", "finished"), ("dense-v3", "failed"), ("dense-v4", "killed"), ("dense-v4", "running")]
    first = log.runs[0]
    assert first.params == {"lr": "0.0003", "optimizer": "adamw"}
    assert {series.key: series.final for series in first.metrics} == {"loss": 0.31, "eval/acc": 0.82}
    assert first.started_at == datetime(2025, 3, 4, 10, 15, tzinfo=UTC)
    assert first.ended_at == datetime(2025, 3, 4, 10, 25, tzinfo=UTC)
    assert first.tags["wandb.tags"] == "ablation, v3" and first.user == "priya"
    crashed = log.runs[1].tags
    assert crashed["wandb.state"] == "crashed" and crashed["wandb.notes"] == "OOM at step 900"
    assert len({run.external_id for run in log.runs}) == 4


def test_csv_export_without_wandb_columns(tmp_path: Path) -> None:
    path = tmp_path / "runs.csv"
    path.write_text("run,loss\na,0.5\n")
    with pytest.raises(EvidenceParseError, match="no Name and State"):
        parse_wandb_csv(path)

