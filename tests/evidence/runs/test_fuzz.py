"""Hostile input: every parser answers a ParsedRunLog or EvidenceParseError, and nothing else."""

from __future__ import annotations

import functools
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch.utils.tensorboard import SummaryWriter

from evidence.parsers import EvidenceParseError
from evidence.parsers.runs import (
    ParsedRunLog,
    detect_run_log,
    parse_mlflow_db,
    parse_mlruns,
    parse_tabular,
    parse_tensorboard,
    parse_wandb_csv,
    parse_wandb_dir,
)
from evidence.parsers.runs._wandb_log import read_wandb_log
from tests.evidence.runs.builders import build_mlflow_db, write_experiment, write_run

DATA = Path(__file__).parent / "data" / "wandb"
REAL_WANDB_LOG = next(DATA.glob("offline-run-*-v3v4rkto/run-*.wandb")).read_bytes()
_FIXTURES_OK = [HealthCheck.function_scoped_fixture]
_RANDOM = settings(max_examples=60, deadline=None, suppress_health_check=_FIXTURES_OK)
_MUTATED = settings(max_examples=40, deadline=None, suppress_health_check=_FIXTURES_OK)

_METRIC_TEXT = st.text(alphabet="0123456789 .-+eEnaif\n\t", max_size=200)
_YAML_TEXT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_0123456789 :-[]{}'\"&*!|>#,\n\t?%@", max_size=300)
_TABLE_TEXT = st.text(alphabet='run,step;metric\tvalue|loss"{}[]:0123456789.e-\n\r #\ufeffé', max_size=400)
_JSON_TEXT = st.text(alphabet='{}[]":,0123456789.eE-truefalsnul_wandbruntime \n', max_size=300)


def assert_log_or_error(parse: Callable[[Path], ParsedRunLog], path: Path) -> None:
    try:
        result = parse(path)
    except EvidenceParseError as exc:
        assert str(exc)
        return
    assert isinstance(result, ParsedRunLog)
    assert all(isinstance(warning, str) for warning in result.warnings)


def mutate(data: bytes, flips: list[tuple[int, int]], cut: int) -> bytes:
    mutated = bytearray(data)
    for position, value in flips:
        mutated[position % len(mutated)] = value
    return bytes(mutated[: max(cut, 0) or len(mutated)])


def mlruns_with(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "mlruns"
    shutil.rmtree(root, ignore_errors=True)
    run = write_run(write_experiment(root, "1", "e"), "r1", metrics={"loss": "1736000000000 0.5 0\n"})
    return root, run


@_RANDOM
@given(data=st.one_of(st.binary(max_size=512), _METRIC_TEXT.map(str.encode)))
def test_metrics_file(tmp_path: Path, data: bytes) -> None:
    root, run = mlruns_with(tmp_path)
    (run / "metrics" / "loss").write_bytes(data)
    assert_log_or_error(parse_mlruns, root)


@_RANDOM
@given(data=st.one_of(st.binary(max_size=512), _YAML_TEXT.map(str.encode)), experiment=st.booleans())
def test_meta_yaml(tmp_path: Path, data: bytes, experiment: bool) -> None:
    root, run = mlruns_with(tmp_path)
    (run.parent / "meta.yaml" if experiment else run / "meta.yaml").write_bytes(data)
    assert_log_or_error(parse_mlruns, root)


@_RANDOM
@given(data=st.one_of(st.binary(max_size=1024), _TABLE_TEXT.map(str.encode)),
       name=st.sampled_from(["runs.csv", "runs.jsonl", "runs.tsv"]))
def test_csv_and_jsonl(tmp_path: Path, data: bytes, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert_log_or_error(parse_tabular, path)
    assert_log_or_error(parse_wandb_csv, path)
    assert detect_run_log(path) in (None, "tabular", "wandb_csv", "mlflow_db", "wandb_dir", "tensorboard")


@_RANDOM
@given(data=st.one_of(st.binary(max_size=1024), _JSON_TEXT.map(str.encode)),
       name=st.sampled_from(
           ["wandb-summary.json", "wandb-metadata.json", "config.yaml", "wandb-history.jsonl"]))
def test_wandb_files(tmp_path: Path, data: bytes, name: str) -> None:
    folder = tmp_path / "run-20250101_000000-fuzz1"
    (folder / "files").mkdir(parents=True, exist_ok=True)
    for old in (folder / "files").iterdir():
        old.unlink()
    (folder / "files" / name).write_bytes(data)
    assert_log_or_error(parse_wandb_dir, folder)


@_RANDOM
@given(data=st.binary(max_size=1024))
def test_wandb_binary_log_random(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "run-fuzz.wandb"
    path.write_bytes(REAL_WANDB_LOG[:7] + data)
    assert_log_or_error(parse_wandb_dir, path)
    path.write_bytes(data)
    assert_log_or_error(parse_wandb_dir, path)


@_MUTATED
@given(flips=st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=4),
       cut=st.integers(-1, len(REAL_WANDB_LOG)))
def test_wandb_binary_log_mutated(flips: list[tuple[int, int]], cut: int) -> None:
    try:
        log = read_wandb_log(mutate(REAL_WANDB_LOG, flips, cut), "mutated.wandb")
    except EvidenceParseError:
        return
    assert log.records <= 40 and all(isinstance(problem, str) for problem in log.problems)


@_RANDOM
@given(data=st.binary(max_size=1024))
def test_tensorboard_random(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "events.out.tfevents.1.fuzz"
    path.write_bytes(data)
    assert_log_or_error(parse_tensorboard, path)


@functools.cache
def real_event_file() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        writer = SummaryWriter(folder)
        for step in range(3):
            writer.add_scalar("loss", 1.0 / (step + 1), step)
        writer.add_text("note", "hello", 0)
        writer.close()
        return next(Path(folder).glob("events.out.tfevents.*")).read_bytes()


@_MUTATED
@given(flips=st.lists(st.tuples(st.integers(0, 1 << 16), st.integers(0, 255)), max_size=4),
       cut=st.integers(-1, 1024))
def test_tensorboard_mutated(tmp_path: Path, flips: list[tuple[int, int]], cut: int) -> None:
    path = tmp_path / "events.out.tfevents.2.fuzz"
    path.write_bytes(mutate(real_event_file(), flips, cut))
    assert_log_or_error(parse_tensorboard, path)


@settings(max_examples=25, deadline=None, suppress_health_check=_FIXTURES_OK)
@given(flips=st.lists(st.tuples(st.integers(100, 1 << 16), st.integers(0, 255)), min_size=1, max_size=6))
def test_mlflow_db_mutated(tmp_path: Path, flips: list[tuple[int, int]]) -> None:
    path = tmp_path / "mlflow.db"
    if not path.exists():
        build_mlflow_db(path)
    clean = tmp_path / "clean.db"
    if not clean.exists():
        shutil.copy(path, clean)
    path.write_bytes(mutate(clean.read_bytes(), flips, -1))
    assert_log_or_error(parse_mlflow_db, path)
