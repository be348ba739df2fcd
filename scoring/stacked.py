"""The expense model: a text stage and a context stage, stored in one JSON document.

Stage one reads a line alone (its text embedding, account type and industry): an XGBoost booster and, since
version 5, a small neural network (``scoring.probe``) whose scores are blended with the booster's. Stage
two, an XGBoost booster, reads stage one's score together with what the rest of the ledger says about the
line (``scoring.context``). Each booster is kept in XGBoost's own JSON format inside the document and the
network as its weights, never pickled. Documents without a probe (version 4) still load and score.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import xgboost as xgb

from scoring.context import context_features
from scoring.gl_import import GLLine
from scoring.probe import MLPProbe, blend

FORMAT = "fourpart stacked expense model"  # then the document's number: 1 without a probe, 2 with one


def booster_json(booster: xgb.Booster) -> bytes:
    """One booster in XGBoost's own JSON format."""
    return bytes(booster.save_raw("json"))


def load_booster(data: bytes) -> xgb.Booster:
    booster = xgb.Booster()
    booster.load_model(bytearray(data))
    booster.set_param({"nthread": 2})
    return booster


def predict(booster: xgb.Booster, x: np.ndarray) -> np.ndarray:
    if len(x) == 0:
        return np.zeros(0)
    return np.asarray(booster.inplace_predict(x), dtype=np.float64)


def context_matrix(lines: Sequence[GLLine], text_scores: np.ndarray, one_hot: np.ndarray) -> np.ndarray:
    """Stage two's input: the ``CONTEXT_FEATURES``, then the one-hot columns."""
    return np.hstack([context_features(lines, text_scores), one_hot]).astype(np.float32, copy=False)


@dataclass(frozen=True)
class StackedModel:
    text: xgb.Booster
    context: xgb.Booster
    probe: MLPProbe | None = None

    def text_scores(self, text_x: np.ndarray) -> np.ndarray:
        """Stage one's score of each row of ``text_x`` (embedding and one-hot columns)."""
        trees = predict(self.text, text_x)
        return trees if self.probe is None else blend(trees, self.probe.scores(text_x))

    def scores(self, lines: Sequence[GLLine], text_x: np.ndarray, one_hot: np.ndarray) -> np.ndarray:
        """Expense scores of positive ``lines`` (a whole ledger: stage two reads the other lines)."""
        return self.context_scores(lines, self.text_scores(text_x), one_hot)

    def context_scores(self, lines: Sequence[GLLine], text_scores: np.ndarray,
                       one_hot: np.ndarray) -> np.ndarray:
        return predict(self.context, context_matrix(lines, text_scores, one_hot))

    def to_json(self) -> bytes:
        document: dict[str, object] = {"format": f"{FORMAT} {1 if self.probe is None else 2}",
                                       "text": json.loads(booster_json(self.text)),
                                       "context": json.loads(booster_json(self.context))}
        if self.probe is not None:
            document["probe"] = self.probe.as_json()
        return json.dumps(document, separators=(",", ":")).encode()

    @classmethod
    def from_json(cls, data: bytes) -> StackedModel:
        document = json.loads(data)
        if not is_stacked(document):
            raise ValueError("not a stacked expense model (an older single-stage expense model?)")
        text, context = (load_booster(json.dumps(document[stage]).encode()) for stage in ("text", "context"))
        probe = MLPProbe.from_json(document["probe"]) if "probe" in document else None
        return cls(text, context, probe)


def is_stacked(document: object) -> bool:
    """Whether ``document`` is a stacked expense model this code reads (format 1 or 2)."""
    return isinstance(document, dict) and document.get("format") in (f"{FORMAT} 1", f"{FORMAT} 2")
