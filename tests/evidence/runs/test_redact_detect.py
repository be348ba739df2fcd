"""Redaction of personal data, and detection of which parser fits."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence.parsers import EvidenceParseError
from evidence.parsers.runs import MetricSeries, ParsedRun, detect_run_log, parse_run_log, redact_personal
from tests.evidence.runs.builders import build_mlflow_db, write_experiment, write_run


def make_run(**overrides: object) -> ParsedRun:
    fields: dict[str, object] = {
        "tracker": "mlflow", "external_id": "abc", "experiment": "citerag", "name": "sweep-3",
        "status": "failed", "started_at": None, "ended_at": None, "params": {}, "metrics": (),
        "tags": {}, "source_commit": "f" * 40, "user": None, "source_path": "mlruns/1/abc",
    }
    fields.update(overrides)
    return ParsedRun(**fields)  # type: ignore[arg-type]


def test_paths_keep_their_non_personal_rest() -> None:
    run = make_run(tags={
        "mlflow.source.name": "/home/priya/src/lexbridge/train.py",
        "script": "/Users/hannah.achterberg/work/x.py",
        "win": r"C:\Users\Kwame\projects\lexbridge\train.py",
        "uri": "file:///home/ethan/mlruns/1",
        "shared": "/mnt/ml-shared/mlruns",
    })
    tags = redact_personal(run).tags
    assert tags == {
        "mlflow.source.name": "/home/[redacted]/src/lexbridge/train.py",
        "script": "/Users/[redacted]/work/x.py",
        "win": r"C:\Users\[redacted]\projects\lexbridge\train.py",
        "uri": "file:///home/[redacted]/mlruns/1",
        "shared": "/mnt/ml-shared/mlruns",
    }


def test_emails_hosts_and_user_fields() -> None:
    run = make_run(
        user="marcus.oyelaran",
        name="marcus.oyelaran-debug",
        params={"notify": "ping hannah@lexbridge.ai when done", "hostname": "gpu-07", "lr": "0.1"},
        tags={"mlflow.user": "marcus.oyelaran", "wandb.email": "m@x.io", "host": "gpu-07.internal",
              "mlflow.source.git.repoURL": "git@github.com:lexbridge/platform.git",
              "mlflow.note.content": "rerun of marcus.oyelaran's job on gpu-07.internal"},
        metrics=(MetricSeries("loss", ((0, 1.0, None),)),),
    )
    clean = redact_personal(run)
    assert clean.user == "[redacted]"
    assert clean.name == "[redacted]-debug"
    assert clean.params == {"notify": "ping [redacted] when done", "hostname": "[redacted]", "lr": "0.1"}
    assert clean.tags["mlflow.user"] == clean.tags["wandb.email"] == clean.tags["host"] == "[redacted]"
    assert clean.tags["mlflow.source.git.repoURL"] == "git@github.com:lexbridge/platform.git"
    assert clean.tags["mlflow.note.content"] == "rerun of [redacted]'s job on [redacted]"
    assert clean.metrics == run.metrics and clean.source_commit == run.source_commit
    assert run.user == "marcus.oyelaran"  # the original is untouched


def test_common_words_are_not_tokens() -> None:
    run = make_run(user="root", tags={"mlflow.user": "root", "path": "/root/train.py", "note": "root cause"})
    clean = redact_personal(run)
    assert clean.tags["note"] == "root cause" and clean.tags["path"] == "/root/train.py"


def test_detect_by_content(tmp_path: Path) -> None:
    mlruns = tmp_path / "mlruns"
    write_run(write_experiment(mlruns, "1", "e"), "r1")
    assert detect_run_log(mlruns) == "mlruns"
    db = tmp_path / "tracking.sqlite"  # not named mlflow.db
    build_mlflow_db(db)
    assert detect_run_log(db) == "mlflow_db"
    renamed = tmp_path / "export.dat"
    renamed.write_text("Name,State,Created,Runtime,loss\nr,finished,2025-01-01T00:00:00Z,5,0.1\n")
    assert detect_run_log(renamed) == "wandb_csv"
    jsonl = tmp_path / "log.txt"
    jsonl.write_text('{"step": 0, "loss": 1.0}\n')
    assert detect_run_log(jsonl) == "tabular"
    assert parse_run_log(jsonl).runs[0].tracker == "jsonl"
    prose = tmp_path / "README"
    prose.write_text("Just some words here.\n")
    assert detect_run_log(prose) is None
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)))
    assert detect_run_log(binary) is None
    assert detect_run_log(tmp_path / "missing") is None
    with pytest.raises(EvidenceParseError, match="not a training-run log"):
        parse_run_log(prose)
    assert len(parse_run_log(db).runs) == 5
