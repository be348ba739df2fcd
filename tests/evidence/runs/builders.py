"""Builders of small, real-format run logs for the parser tests."""

from __future__ import annotations

import sqlite3
import struct
import zlib
from pathlib import Path
from typing import Any

import yaml

from evidence.parsers.runs._wandb_log import MESSAGES

# The CREATE TABLE statements of the tables read, exactly as MLflow 3.17.2's migrations leave
# them in a new SQLite tracking database (`sqlite3 mlflow.db .schema`).
MLFLOW_SCHEMA = """
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL,
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
CREATE TABLE "experiments" (
	experiment_id INTEGER NOT NULL,
	name VARCHAR(256) NOT NULL,
	artifact_location VARCHAR(256),
	lifecycle_stage VARCHAR(32),
	creation_time BIGINT,
	last_update_time BIGINT,
	workspace VARCHAR(63) DEFAULT 'default' NOT NULL,
	CONSTRAINT experiment_pk PRIMARY KEY (experiment_id),
	CONSTRAINT experiments_lifecycle_stage CHECK (lifecycle_stage IN ('active', 'deleted')),
	CONSTRAINT uq_experiments_workspace_name UNIQUE (workspace, name)
);
CREATE TABLE "runs" (
	run_uuid VARCHAR(32) NOT NULL,
	name VARCHAR(250),
	source_type VARCHAR(20),
	source_name VARCHAR(500),
	entry_point_name VARCHAR(50),
	user_id VARCHAR(256),
	status VARCHAR(9),
	start_time BIGINT,
	end_time BIGINT,
	source_version VARCHAR(50),
	lifecycle_stage VARCHAR(20),
	artifact_uri VARCHAR(200),
	experiment_id INTEGER, deleted_time BIGINT,
	CONSTRAINT run_pk PRIMARY KEY (run_uuid),
	CONSTRAINT runs_lifecycle_stage CHECK (lifecycle_stage IN ('active', 'deleted')),
	CONSTRAINT source_type CHECK (source_type IN ('NOTEBOOK', 'JOB', 'LOCAL', 'UNKNOWN', 'PROJECT')),
	FOREIGN KEY(experiment_id) REFERENCES experiments (experiment_id),
	CHECK (status IN ('SCHEDULED', 'FAILED', 'FINISHED', 'RUNNING', 'KILLED'))
);
CREATE TABLE "latest_metrics" (
	"key" VARCHAR(250) NOT NULL,
	value FLOAT NOT NULL,
	timestamp BIGINT,
	step BIGINT NOT NULL,
	is_nan BOOLEAN NOT NULL,
	run_uuid VARCHAR(32) NOT NULL,
	CONSTRAINT latest_metric_pk PRIMARY KEY ("key", run_uuid),
	FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid),
	CHECK (is_nan IN (0, 1))
);
CREATE TABLE "metrics" (
	"key" VARCHAR(250) NOT NULL,
	value FLOAT NOT NULL,
	timestamp BIGINT NOT NULL,
	run_uuid VARCHAR(32) NOT NULL,
	step BIGINT DEFAULT '0' NOT NULL,
	is_nan BOOLEAN DEFAULT '0' NOT NULL,
	CONSTRAINT metric_pk PRIMARY KEY ("key", timestamp, step, run_uuid, value, is_nan),
	FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid),
	CHECK (is_nan IN (0, 1))
);
CREATE TABLE "params" (
	"key" VARCHAR(250) NOT NULL,
	value VARCHAR(8000) NOT NULL,
	run_uuid VARCHAR(32) NOT NULL,
	CONSTRAINT param_pk PRIMARY KEY ("key", run_uuid),
	FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid)
);
CREATE TABLE "tags" (
	"key" VARCHAR(250) NOT NULL,
	value VARCHAR(8000),
	run_uuid VARCHAR(32) NOT NULL,
	CONSTRAINT tag_pk PRIMARY KEY ("key", run_uuid),
	FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid)
);
CREATE TABLE "experiment_tags" (
	"key" VARCHAR(250) NOT NULL,
	value TEXT,
	experiment_id INTEGER NOT NULL,
	CONSTRAINT experiment_tag_pk PRIMARY KEY ("key", experiment_id),
	FOREIGN KEY(experiment_id) REFERENCES experiments (experiment_id)
);
INSERT INTO alembic_version VALUES ('dc11669786a5');
"""

COMMIT = "4f2d9c1e8b7a6f5e4d3c2b1a09f8e7d6c5b4a392"
START_MS = 1_736_000_000_000  # 2025-01-04T14:13:20Z


def write_yaml(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data), encoding="utf-8")


def write_experiment(root: Path, exp_id: str, name: str, *, deleted: bool = False) -> Path:
    folder = root / exp_id
    write_yaml(folder / "meta.yaml", {
        "artifact_location": f"file:///srv/mlruns/{exp_id}", "creation_time": START_MS,
        "experiment_id": exp_id, "last_update_time": START_MS,
        "lifecycle_stage": "deleted" if deleted else "active", "name": name,
    })
    return folder


def write_run(exp_folder: Path, run_id: str, *, status: int | str = 3, name: str = "run",
              lifecycle: str = "active", metrics: dict[str, str] | None = None,
              params: dict[str, str] | None = None, tags: dict[str, str] | None = None,
              end_ms: int | None = START_MS + 60_000) -> Path:
    folder = exp_folder / run_id
    write_yaml(folder / "meta.yaml", {
        "artifact_uri": f"file:///srv/mlruns/{exp_folder.name}/{run_id}/artifacts",
        "end_time": end_ms, "entry_point_name": "", "experiment_id": exp_folder.name,
        "lifecycle_stage": lifecycle, "run_id": run_id, "run_name": name, "source_name": "",
        "source_type": 4, "source_version": "", "start_time": START_MS, "status": status,
        "tags": [], "user_id": "priya",
    })
    for kind, values in (("metrics", metrics), ("params", params), ("tags", tags)):
        for key, value in (values or {}).items():
            path = folder / kind / key
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(value, encoding="utf-8")
    return folder


def build_mlflow_db(path: Path) -> None:
    """A tracking database like MLflow 3 writes, with a finished, a failed, a killed and a deleted run."""
    with sqlite3.connect(path) as db:
        db.executescript(MLFLOW_SCHEMA)
        db.executemany("INSERT INTO experiments VALUES (?, ?, ?, ?, ?, ?, 'default')", [
            (0, "Default", "mlflow-artifacts:/0", "active", START_MS, START_MS),
            (1, "citerag-retrieval", "mlflow-artifacts:/1", "active", START_MS, START_MS),
            (2, "abandoned", "mlflow-artifacts:/2", "deleted", START_MS, START_MS),
        ])
        runs = [
            ("a" * 32, "bm25-baseline", "FINISHED", 1, "active"),
            ("b" * 32, "dense-oom", "FAILED", 1, "active"),
            ("c" * 32, "hybrid-stopped", "KILLED", 1, "active"),
            ("d" * 32, "scratch", "FINISHED", 1, "deleted"),
            ("e" * 32, "old-idea", "FAILED", 2, "active"),
        ]
        for index, (run_id, name, status, exp, stage) in enumerate(runs):
            start = START_MS + index * 3_600_000
            db.execute(
                "INSERT INTO runs VALUES (?, ?, 'LOCAL', '', '', 'priya', ?, ?, ?, '', ?, '', ?, NULL)",
                (run_id, name, status, start, start + 600_000, stage, exp),
            )
            db.executemany("INSERT INTO tags VALUES (?, ?, ?)", [
                ("mlflow.runName", name, run_id),
                ("mlflow.user", "priya@lexbridge.ai", run_id),
                ("mlflow.source.git.commit", COMMIT, run_id),
                ("mlflow.source.name", "/home/priya/src/lexbridge/train.py", run_id),
            ])
            db.execute("INSERT INTO params VALUES ('lr', '0.0003', ?)", (run_id,))
            for step in range(3):
                db.execute("INSERT INTO metrics VALUES ('loss', ?, ?, ?, ?, 0)",
                           (1.0 / (step + 1), start + step * 1000, run_id, step))
        db.execute("INSERT INTO metrics VALUES ('grad_norm', 0.0, ?, ?, 0, 1)", (START_MS, "b" * 32))


def wandb_log_bytes(records: list[Any], *, block: int = 32768) -> bytes:
    """Frame serialized records the way W&B's datastore does (LevelDB log format)."""
    out = bytearray(struct.pack("<4sHB", b":W&B", 0xBEE1, 0))
    for record in records:
        payload = record.SerializeToString()
        first = True
        while True:
            space = block - len(out) % block
            if space < 7:
                out += b"\0" * space
                continue
            room = space - 7
            chunk, payload = payload[:room], payload[room:]
            if first and not payload:
                kind = 1
            elif first:
                kind = 2
            elif payload:
                kind = 3
            else:
                kind = 4
            crc = zlib.crc32(chunk, zlib.crc32(bytes([kind])))
            out += struct.pack("<IHB", crc, len(chunk), kind) + chunk
            first = False
            if not payload:
                break
    return bytes(out)


def wandb_record(**fields: Any) -> Any:
    return MESSAGES["Record"](**fields)


def history(step: int, values: dict[str, float], timestamp: float) -> Any:
    item = MESSAGES["Item"]
    items = [item(nested_key=[b"_step"], value_json=str(step).encode()),
             item(nested_key=[b"_timestamp"], value_json=repr(timestamp).encode())]
    items += [item(nested_key=[key.encode()], value_json=repr(value).encode())
              for key, value in values.items()]
    return wandb_record(history=MESSAGES["History"](item=items))
