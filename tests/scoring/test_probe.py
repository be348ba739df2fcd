"""The expense text stage's neural probe: it learns, round-trips through JSON exactly, and is seeded."""

from __future__ import annotations

import json

import numpy as np
import pytest
import xgboost as xgb

from scoring.evaluation import roc_auc
from scoring.probe import MLPProbe, ProbeParams, blend, fit_probe
from scoring.stacked import StackedModel, predict

PARAMS = ProbeParams(hidden=8, epochs=30, batch_size=64)


def _data(seed: int, rows: int = 600) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose label follows a direction spread over every column (no single column decides it)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, 20)).astype(np.float32)
    direction = np.linspace(-1, 1, 20)
    return x, (x @ direction + rng.normal(scale=0.5, size=rows) > 0).astype(np.float32)


def test_the_probe_learns_a_direction_it_can_score_on_new_rows() -> None:
    x, y = _data(1)
    probe = fit_probe(x, y, PARAMS, seed=3)
    test_x, test_y = _data(2)
    scores = probe.scores(test_x)
    assert scores.shape == (600,) and ((scores >= 0) & (scores <= 1)).all()
    assert roc_auc(test_y, scores) > 0.9
    assert probe.scores(np.zeros((0, 20))).shape == (0,)


def test_the_same_data_and_seed_give_the_same_weights() -> None:
    x, y = _data(1)
    first = json.dumps(fit_probe(x, y, PARAMS, seed=3).as_json())
    assert json.dumps(fit_probe(x, y, PARAMS, seed=3).as_json()) == first
    assert json.dumps(fit_probe(x, y, PARAMS, seed=4).as_json()) != first


def test_the_json_round_trip_keeps_every_score() -> None:
    x, y = _data(1)
    probe = fit_probe(x, y, PARAMS, seed=3)
    again = MLPProbe.from_json(json.loads(json.dumps(probe.as_json())))
    assert np.array_equal(again.scores(x), probe.scores(x))
    with pytest.raises(ValueError, match="not a Fourpart probe"):
        MLPProbe.from_json({**probe.as_json(), "format": "pickle"})


def test_blend_is_the_mean_of_the_log_odds() -> None:
    assert blend(np.array([0.5]), np.array([0.5]))[0] == pytest.approx(0.5)
    assert blend(np.array([0.9]), np.array([0.1]))[0] == pytest.approx(0.5)
    # log odds 2 and 0 average to 1
    assert blend(np.array([1 / (1 + np.exp(-2))]), np.array([0.5]))[0] == pytest.approx(1 / (1 + np.exp(-1)))
    assert np.isfinite(blend(np.array([0.0, 1.0]), np.array([0.0, 1.0]))).all()


def test_a_stacked_model_reads_its_probe_and_a_version_4_document_without_one() -> None:
    x, y = _data(1)
    booster = xgb.train({"objective": "binary:logistic", "max_depth": 2}, xgb.DMatrix(x, label=y), 5)
    probe = fit_probe(x, y, PARAMS, seed=3)
    with_probe = StackedModel.from_json(StackedModel(booster, booster, probe).to_json())
    assert with_probe.probe is not None
    assert np.allclose(with_probe.text_scores(x), blend(predict(booster, x), probe.scores(x)))
    document = json.loads(StackedModel(booster, booster).to_json())
    assert document["format"] == "fourpart stacked expense model 1" and "probe" not in document
    older = StackedModel.from_json(json.dumps(document).encode())
    assert older.probe is None and np.array_equal(older.text_scores(x), predict(booster, x))
