"""The model card of a trained model: its inputs, training data, metrics and threshold."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
from typing import Any

import xgboost as xgb

from scoring.evaluation import Metrics
from scoring.features import feature_names
from scoring.training import FittedModel, TrainedPair

EXPENSE_TEXT = "account_name | description | vendor"
THRESHOLD_RULE = "the score with the best F1 on the validation companies"
VALIDATION = "20% of the companies held out (no company on both sides); metrics from the fit on the other 80%"


def model_json(booster: xgb.Booster) -> bytes:
    """The booster in XGBoost's own JSON format (never pickle)."""
    return bytes(booster.save_raw("json"))


def embedding_version(model_name: str) -> str:
    """The installed version of the package that ships the embedding model, else ``folder``."""
    try:
        return importlib.metadata.version(model_name.replace("_", "-"))
    except importlib.metadata.PackageNotFoundError:
        return "folder"


def build_cards(trained: TrainedPair, *, embedding_model: str, dimension: int,
                version: int, today: dt.date | None = None) -> dict[str, dict[str, Any]]:
    """The expense and account cards; the account card names the expense model its line scores come from."""
    expense_bytes = model_json(trained.expense.booster)
    common = {
        "version": version,
        "date": (today or dt.date.today()).isoformat(),
        "format": f"xgboost {xgb.__version__} JSON",
        "embedding": {"model": embedding_model, "version": embedding_version(embedding_model),
                      "dimension": dimension, "precision": "fp32", "frozen": True},
        "vocabulary": trained.vocabulary.as_json(),
        "data": trained.data,
        "seed": trained.config.seed,
        "validation_split": VALIDATION,
        "threshold_rule": THRESHOLD_RULE,
    }
    expense = _card("expense", trained.expense, common, dimension, trained,
                    inputs=f"embedding of '{EXPENSE_TEXT}', account type and industry one-hot",
                    target="the line qualifies (positive-amount lines only)")
    account = _card("account", trained.account, common, dimension, trained,
                    inputs="embedding of the account name, account type and industry one-hot, and of "
                           "the account's positive lines: avg_score (mean expense score), max_score, "
                           "log(1 + count)",
                    target="the account contains a qualified line")
    account["expense_model_sha256"] = hashlib.sha256(expense_bytes).hexdigest()
    return {"expense": expense, "account": account}


def _card(kind: str, model: FittedModel, common: dict[str, Any], dimension: int, trained: TrainedPair,
          *, inputs: str, target: str) -> dict[str, Any]:
    names = feature_names(dimension, trained.vocabulary, account=kind == "account")
    return {"kind": kind, **common, "inputs": inputs, "target": target, "features": len(names),
            "params": {key: value for key, value in model.params.items() if key != "nthread"},
            "rounds": model.rounds, "threshold": model.threshold,
            "metrics": {"validation": model.validation.as_json()}}


def with_heldout(card: dict[str, Any], metrics: Metrics, description: str) -> dict[str, Any]:
    """The card with the figures measured on a held-out set added."""
    return {**card, "metrics": {**card.get("metrics", {}),
                                "heldout": {"data": description, **metrics.as_json()}}}
