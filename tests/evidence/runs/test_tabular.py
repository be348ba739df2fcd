"""Plain CSV and JSONL run logs in their three shapes, and the errors bad rows get."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from evidence.parsers import EvidenceParseError
from evidence.parsers.runs import ReadLimits, detect_run_log, parse_tabular


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_one_row_per_run(tmp_path: Path) -> None:
    path = write(tmp_path, "results.csv", (
        "run_id,status,optimizer,lr,final_loss,started_at,git_commit\n"
        "r1,FINISHED,adamw,0.0003,0.31,2025-03-04T10:15:00Z," + "a" * 40 + "\n"
        "r2,failed,adamw,0.003,nan,1741083300,\n"
        "r3,cancelled,sgd,0.1,,,\n"))
    assert detect_run_log(path) == "tabular"
    log = parse_tabular(path)
    assert [(run.external_id, run.status) for run in log.runs] == [
        ("r1", "finished"), ("r2", "failed"), ("r3", "killed")]
    first = log.runs[0]
    assert first.tracker == "csv"
    assert first.params == {"optimizer": "adamw"}
    assert {series.key: series.final for series in first.metrics} == {"lr": 0.0003, "final_loss": 0.31}
    assert first.started_at == datetime(2025, 3, 4, 10, 15, tzinfo=UTC)
    assert first.source_commit == "a" * 40
    assert log.runs[1].started_at == datetime.fromtimestamp(1741083300, UTC)
    assert [series.key for series in log.runs[2].metrics] == ["lr"]


def test_history_shape_with_bom_and_semicolons(tmp_path: Path) -> None:
    text = "\ufeffepoch;loss;val_loss;model\n0;0.9;1.0;tiny\n1;0.5;0.7;tiny\n"
    path = write(tmp_path, "training_log.csv", text)
    (run,) = parse_tabular(path).runs
    assert run.external_id == "training_log" and run.params == {"model": "tiny"}
    loss = run.metric("loss")
    assert loss is not None and [p[:2] for p in loss.points] == [(0, 0.9), (1, 0.5)]


def test_history_grouped_by_run_tab_separated(tmp_path: Path) -> None:
    path = write(tmp_path, "h.tsv", "run\tstep\tloss\na\t0\t1.0\nb\t0\t2.0\na\t1\t0.5\n")
    runs = {run.external_id: run for run in parse_tabular(path).runs}
    series_a = runs["a"].metric("loss")
    assert series_a is not None and series_a.final == 0.5 and set(runs) == {"a", "b"}


def test_long_shape(tmp_path: Path) -> None:
    text = "run,step,metric,value\nx,0,loss,1.5\nx,1,loss,1.0\nx,1,acc,0.4\ny,0,loss,9\n"
    path = write(tmp_path, "long.csv", text)
    runs = {run.external_id: run for run in parse_tabular(path).runs}
    assert {s.key for s in runs["x"].metrics} == {"loss", "acc"}
    loss_y = runs["y"].metric("loss")
    assert loss_y is not None and loss_y.points[0][:2] == (0, 9.0)


def test_jsonl_with_nested_params_and_metrics(tmp_path: Path) -> None:
    lines = [
        {"run": "j1", "status": "completed", "params": {"lr": 0.01, "layers": 4}, "metrics": {"acc": 0.9}},
        {"run": "j2", "status": "error", "params": {"lr": 0.1, "layers": 4}, "metrics": {"acc": 0.1}},
    ]
    path = write(tmp_path, "runs.jsonl", "\n".join(json.dumps(line) for line in lines) + "\n")
    assert detect_run_log(path) == "tabular"
    log = parse_tabular(path)
    assert [(run.tracker, run.status) for run in log.runs] == [("jsonl", "finished"), ("jsonl", "failed")]
    assert log.runs[0].params == {"lr": "0.01", "layers": "4"}
    acc = log.runs[0].metric("acc")
    assert acc is not None and acc.final == 0.9


def test_bad_cell_names_row_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.csv", "run,loss\na,0.5\nb,0.4\nc,lots\n")
    with pytest.raises(EvidenceParseError) as caught:
        parse_tabular(path)
    assert (caught.value.row, caught.value.field) == (4, "loss")
    assert str(caught.value) == "bad.csv, row 4, field 'loss': not a number: 'lots'"


def test_bad_long_value_and_step(tmp_path: Path) -> None:
    path = write(tmp_path, "long.csv", "run,step,metric,value\nx,0,loss,1.5\nx,1.5,loss,1.0\n")
    with pytest.raises(EvidenceParseError) as caught:
        parse_tabular(path)
    assert (caught.value.row, caught.value.field) == (3, "step")
    path = write(tmp_path, "long2.csv", "run,step,metric,value\nx,0,loss,high\n")
    with pytest.raises(EvidenceParseError) as caught:
        parse_tabular(path)
    assert (caught.value.row, caught.value.field) == (2, "value")


def test_too_many_fields_and_duplicate_header(tmp_path: Path) -> None:
    with pytest.raises(EvidenceParseError) as caught:
        parse_tabular(write(tmp_path, "a.csv", "run,loss\na,0.5\nb,0.4,extra\n"))
    assert caught.value.row == 3
    with pytest.raises(EvidenceParseError) as caught:
        parse_tabular(write(tmp_path, "b.csv", "run,loss,loss\na,1,2\n"))
    assert caught.value.field == "loss"
    with pytest.raises(EvidenceParseError, match="header"):
        parse_tabular(write(tmp_path, "c.csv", "1,2,3\n4,5,6\n"))


def test_non_utf8_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "latin.csv", "run,notes\na,ok\nb,caf\xe9\n", encoding="latin-1")
    with pytest.raises(EvidenceParseError) as caught:
        parse_tabular(path)
    assert caught.value.line == 3 and "UTF-8" in caught.value.message


def test_bad_jsonl_line(tmp_path: Path) -> None:
    path = write(tmp_path, "r.jsonl", '{"run": "a", "loss": 1}\n\n{"run": "b", "loss": \n')
    with pytest.raises(EvidenceParseError) as caught:
        parse_tabular(path)
    assert caught.value.line == 3
    with pytest.raises(EvidenceParseError) as caught:
        parse_tabular(write(tmp_path, "s.jsonl", '{"run": "a"}\n[1, 2]\n'))
    assert caught.value.line == 2


def test_size_limit_and_empty(tmp_path: Path) -> None:
    path = write(tmp_path, "big.csv", "run,loss\n" + "a,1\n" * 1000)
    with pytest.raises(EvidenceParseError, match="limit"):
        parse_tabular(path, limits=ReadLimits(max_file_bytes=100))
    empty = parse_tabular(write(tmp_path, "empty.csv", "run,loss\n"))
    assert empty.runs == () and empty.warnings
