"""MLflow's SQLite store, on a database with the schema MLflow 3 creates."""

from __future__ import annotations

import hashlib
import math
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from evidence.parsers import EvidenceParseError
from evidence.parsers.runs import ReadLimits, detect_run_log, parse_mlflow_db, redact_personal
from evidence.parsers.runs.mlflow_files import ORIGINAL_STATUS_TAG
from tests.evidence.runs.builders import COMMIT, build_mlflow_db


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "mlflow.db"
    build_mlflow_db(path)
    return path


def test_reads_runs_with_outcomes(db_path: Path) -> None:
    log = parse_mlflow_db(db_path)
    runs = {run.name: run for run in log.runs}
    assert Counter(run.status for run in log.runs) == {"finished": 1, "failed": 1, "killed": 1, "deleted": 2}
    assert runs["scratch"].tags[ORIGINAL_STATUS_TAG] == "finished"
    old = runs["old-idea"]  # its experiment was deleted
    assert old.experiment == "abandoned" and old.tags[ORIGINAL_STATUS_TAG] == "failed"
    ok = runs["bm25-baseline"]
    assert ok.experiment == "citerag-retrieval" and ok.tracker == "mlflow"
    assert ok.source_commit == COMMIT and ok.user == "priya@lexbridge.ai"
    assert ok.params == {"lr": "0.0003"}
    loss = ok.metric("loss")
    assert loss is not None and [point[:2] for point in loss.points] == [(0, 1.0), (1, 0.5), (2, 1 / 3)]
    assert ok.started_at is not None and ok.ended_at is not None and ok.started_at.tzinfo is not None
    grad = runs["dense-oom"].metric("grad_norm")
    assert grad is not None and grad.final is not None and math.isnan(grad.final)
    assert redact_personal(ok).user == "[redacted]"
    assert detect_run_log(db_path) == "mlflow_db"


def test_database_is_not_written(db_path: Path) -> None:
    before = hashlib.sha256(db_path.read_bytes()).hexdigest(), db_path.stat().st_mtime_ns
    parse_mlflow_db(db_path)
    after = hashlib.sha256(db_path.read_bytes()).hexdigest(), db_path.stat().st_mtime_ns
    assert before == after
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["mlflow.db"]


def test_older_schema_without_step_and_name(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.executescript("""
            CREATE TABLE experiments (experiment_id INTEGER PRIMARY KEY, name VARCHAR(256),
                                      lifecycle_stage VARCHAR(32));
            CREATE TABLE runs (run_uuid VARCHAR(32) PRIMARY KEY, status VARCHAR(20), start_time BIGINT,
                               end_time BIGINT, lifecycle_stage VARCHAR(20), experiment_id INTEGER,
                               user_id VARCHAR(256));
            CREATE TABLE metrics (key VARCHAR(250), value FLOAT, timestamp BIGINT, run_uuid VARCHAR(32));
            INSERT INTO experiments VALUES (0, 'Default', 'active');
            INSERT INTO runs VALUES ('r1', 'KILLED', 1500000000000, NULL, 'active', 0, 'unknown');
            INSERT INTO metrics VALUES ('loss', 0.7, 1500000000000, 'r1');
        """)
    run = parse_mlflow_db(path).runs[0]
    assert (run.name, run.status, run.user, run.ended_at) == ("r1", "killed", None, None)
    assert run.metrics[0].points[0][:2] == (None, 0.7)


def test_not_sqlite_or_not_mlflow(tmp_path: Path) -> None:
    text = tmp_path / "runs.db"
    text.write_text("id,loss\n1,0.5\n")
    with pytest.raises(EvidenceParseError, match="not a SQLite database"):
        parse_mlflow_db(text)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE things (id INTEGER)")
    with pytest.raises(EvidenceParseError, match="no MLflow 'runs' table"):
        parse_mlflow_db(other)
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    with pytest.raises(EvidenceParseError):
        parse_mlflow_db(corrupt)


def test_bad_values_and_size_limit(db_path: Path) -> None:
    with sqlite3.connect(db_path) as db:
        db.execute("INSERT INTO metrics VALUES ('loss', 'high', 1, ?, 9, 0)", ("a" * 32,))
    with pytest.raises(EvidenceParseError) as caught:
        parse_mlflow_db(db_path)
    assert caught.value.field == "value" and "aaaa" in caught.value.source
    with pytest.raises(EvidenceParseError, match="limit"):
        parse_mlflow_db(db_path, limits=ReadLimits(max_file_bytes=1024))


def test_connection_refuses_writes(db_path: Path) -> None:
    from evidence.parsers.runs.mlflow_sqlite import _connect

    with _connect(db_path) as db, pytest.raises(sqlite3.OperationalError):
        db.execute("DELETE FROM runs")
    assert len(parse_mlflow_db(db_path).runs) == 5
