"""The expense model: a text stage and a context stage, two XGBoost boosters stored in one JSON document.

Stage one reads a line alone (its text embedding, account type and industry). Stage two reads stage one's
score together with what the rest of the ledger says about the line (``scoring.context``). Each booster is
kept in XGBoost's own JSON format inside the document, never pickled.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import xgboost as xgb

from scoring.context import context_features
from scoring.gl_import import GLLine

FORMAT = "fourpart stacked expense model 1"


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

    def scores(self, lines: Sequence[GLLine], text_x: np.ndarray, one_hot: np.ndarray) -> np.ndarray:
        """Expense scores of positive ``lines`` (a whole ledger: stage two reads the other lines)."""
        return self.context_scores(lines, predict(self.text, text_x), one_hot)

    def context_scores(self, lines: Sequence[GLLine], text_scores: np.ndarray,
                       one_hot: np.ndarray) -> np.ndarray:
        return predict(self.context, context_matrix(lines, text_scores, one_hot))

    def to_json(self) -> bytes:
        document = {"format": FORMAT, "text": json.loads(booster_json(self.text)),
                    "context": json.loads(booster_json(self.context))}
        return json.dumps(document, separators=(",", ":")).encode()

    @classmethod
    def from_json(cls, data: bytes) -> StackedModel:
        document = json.loads(data)
        if not is_stacked(document):
            raise ValueError("not a stacked expense model (an older single-stage expense model?)")
        return cls(*(load_booster(json.dumps(document[stage]).encode()) for stage in ("text", "context")))


def is_stacked(document: object) -> bool:
    return isinstance(document, dict) and document.get("format") == FORMAT
