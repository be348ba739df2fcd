"""TensorBoard event files written by PyTorch's SummaryWriter and, TF2-style, by TensorBoard's writer."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from tensorboard.compat.proto import event_pb2, summary_pb2, tensor_pb2, tensor_shape_pb2, types_pb2
from tensorboard.summary.writer.event_file_writer import EventFileWriter
from torch.utils.tensorboard import SummaryWriter

from evidence.parsers import EvidenceParseError
from evidence.parsers.runs import ReadLimits, detect_run_log, parse_tensorboard


@pytest.fixture(scope="module")
def logdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tb") / "logs"
    writer = SummaryWriter(str(root / "torch_run"))
    for step in range(5):
        writer.add_scalar("train/loss", 1.0 / (step + 1), step)
    writer.add_text("notes", "lr sweep", 0)
    writer.add_histogram("weights", np.array([0.1, 0.2, 0.3]), 0)
    writer.close()
    write_tf2_scalars(root / "keras" / "train", "epoch_loss", [0.9, 0.6, 0.45])
    return root


def write_tf2_scalars(folder: Path, tag: str, values: list[float]) -> None:
    """Scalars as TF2/Keras writes them: rank-0 float tensors, plugin metadata on the first only."""
    writer = EventFileWriter(str(folder))
    for step, value in enumerate(values):
        summary_value = summary_pb2.Summary.Value(tag=tag, tensor=tensor_pb2.TensorProto(
            dtype=types_pb2.DT_FLOAT, float_val=[value], tensor_shape=tensor_shape_pb2.TensorShapeProto()))
        if step == 0:
            summary_value.metadata.plugin_data.plugin_name = "scalars"
        writer.add_event(event_pb2.Event(wall_time=time.time(), step=step,
                                         summary=summary_pb2.Summary(value=[summary_value])))
    big = summary_pb2.Summary.Value(tag="not_scalar", tensor=tensor_pb2.TensorProto(
        dtype=types_pb2.DT_FLOAT, float_val=[1.0],
        tensor_shape=tensor_shape_pb2.TensorShapeProto(dim=[tensor_shape_pb2.TensorShapeProto.Dim(size=10**9)])))
    writer.add_event(event_pb2.Event(wall_time=time.time(), step=9, summary=summary_pb2.Summary(value=[big])))
    writer.close()


def test_each_folder_is_a_run(logdir: Path) -> None:
    assert detect_run_log(logdir) == "tensorboard"
    log = parse_tensorboard(logdir)
    runs = {run.external_id: run for run in log.runs}
    assert set(runs) == {"torch_run", "keras/train"}
    assert all(run.status == "unknown" and run.tracker == "tensorboard" for run in log.runs)
    loss = runs["torch_run"].metric("train/loss")
    assert loss is not None
    assert [(step, round(value, 6)) for step, value, _ in loss.points] == [
        (0, 1.0), (1, 0.5), (2, 0.333333), (3, 0.25), (4, 0.2)]
    assert [series.key for series in runs["torch_run"].metrics] == ["train/loss"]  # text, histogram skipped
    keras = runs["keras/train"]
    assert [series.key for series in keras.metrics] == ["epoch_loss"]
    epoch_loss = keras.metric("epoch_loss")
    assert epoch_loss is not None and [round(v, 6) for _, v, _ in epoch_loss.points] == [0.9, 0.6, 0.45]
    run = runs["torch_run"]
    assert run.started_at is not None and run.ended_at is not None and run.started_at <= run.ended_at
    assert log.warnings == ()


def test_single_file_and_hparams(tmp_path: Path) -> None:
    writer = SummaryWriter(str(tmp_path / "hp"))
    writer.add_hparams({"lr": 0.1, "optimizer": "adam", "warmup": True}, {"hparam/acc": 0.75})
    writer.close()
    log = parse_tensorboard(tmp_path / "hp")
    hp_run = next(run for run in log.runs if run.params)
    assert hp_run.params == {"lr": "0.1", "optimizer": "adam", "warmup": "1.0"}  # torch logs bools as numbers
    acc = hp_run.metric("hparam/acc")
    assert acc is not None and acc.final == pytest.approx(0.75)
    event_file = next((tmp_path / "hp").rglob("events.out.tfevents.*"))
    assert detect_run_log(event_file) == "tensorboard"
    assert len(parse_tensorboard(event_file).runs) == 1


def test_truncated_file_keeps_records_and_warns(tmp_path: Path) -> None:
    writer = SummaryWriter(str(tmp_path / "run"))
    for step in range(5):
        writer.add_scalar("train/loss", 1.0 / (step + 1), step)
    writer.close()
    event_file = next((tmp_path / "run").glob("events.out.tfevents.*"))
    event_file.write_bytes(event_file.read_bytes()[:-7])  # as a crash mid-write leaves it
    log = parse_tensorboard(tmp_path / "run")
    loss = log.runs[0].metric("train/loss")
    assert loss is not None and len(loss.points) == 4
    assert any("truncated or corrupt" in warning for warning in log.warnings)


def test_not_an_event_file(tmp_path: Path) -> None:
    bogus = tmp_path / "events.out.tfevents.123.host"
    bogus.write_bytes(b"this is not a tfrecord file at all" * 3)
    with pytest.raises(EvidenceParseError, match="not a TensorBoard event file"):
        parse_tensorboard(bogus)
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    assert parse_tensorboard(empty_dir).warnings


def test_size_limit(logdir: Path) -> None:
    with pytest.raises(EvidenceParseError, match="limit"):
        parse_tensorboard(logdir, limits=ReadLimits(max_file_bytes=64))
