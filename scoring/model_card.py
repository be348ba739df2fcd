"""The model card of a trained model: its inputs, training data, metrics and threshold."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
from typing import Any

import xgboost as xgb

from scoring.context import CONTEXT_FEATURES
from scoring.evaluation import Metrics
from scoring.features import ACCOUNT_SCORE_FEATURES, feature_names
from scoring.stacked import StackedModel, booster_json
from scoring.training import FittedExpenseModel, FittedModel, TrainedPair

EXPENSE_TEXT = "account_name | description | vendor"
THRESHOLD_RULE = "the score with the best F1 on the cross-validated (out-of-fold) scores"
VALIDATION = ("{folds}-fold cross-validation grouped by company (no company on both sides of a fold); every "
              "training line scored by the fit that did not see its company; the expense folds' fits also "
              "left out every line whose payee the fold's companies pay (new vendors, as on a new client); "
              "hyperparameters chosen the same way, never on held-out data")


def model_json(model: xgb.Booster | StackedModel) -> bytes:
    """A model as JSON: one booster in XGBoost's own JSON format, or the stacked expense model's document
    holding its two (never pickle)."""
    return model.to_json() if isinstance(model, StackedModel) else booster_json(model)


def pair_files(trained: TrainedPair) -> dict[str, bytes]:
    """The JSON of each model of a trained pair, by kind."""
    return {"expense": model_json(trained.expense.stacked), "account": model_json(trained.account.booster)}


def embedding_version(model_name: str) -> str:
    """The installed version of the package that ships the embedding model, else ``folder``."""
    try:
        return importlib.metadata.version(model_name.replace("_", "-"))
    except importlib.metadata.PackageNotFoundError:
        return "folder"


def build_cards(trained: TrainedPair, *, embedding_model: str, dimension: int,
                version: int, today: dt.date | None = None) -> dict[str, dict[str, Any]]:
    """The expense and account cards; the account card names the expense model its line scores come from."""
    expense_bytes = model_json(trained.expense.stacked)
    common = {
        "version": version,
        "date": (today or dt.date.today()).isoformat(),
        "format": f"xgboost {xgb.__version__} JSON",
        "embedding": {"model": embedding_model, "version": embedding_version(embedding_model),
                      "dimension": dimension, "precision": "fp32", "frozen": True,
                      "text_recipe": trained.config.text_recipe},
        "vocabulary": trained.vocabulary.as_json(),
        "data": trained.data,
        "seed": trained.config.seed,
        "validation_split": VALIDATION.format(folds=trained.config.folds),
        "threshold_rule": THRESHOLD_RULE,
    }
    expense = _card("expense", trained.expense, common, dimension, trained,
                    inputs=f"text stage (XGBoost trees and a neural probe, blended): embedding of "
                           f"'{EXPENSE_TEXT}' (text recipe {trained.config.text_recipe}, scoring.texts), "
                           f"account type and industry one-hot; "
                           f"context stage: the text score with the ledger's other lines "
                           f"({', '.join(CONTEXT_FEATURES)}), account type and industry one-hot",
                    target="the line qualifies (positive-amount lines only)")
    expense["stages"] = _stages(trained.expense)
    account = _card("account", trained.account, common, dimension, trained,
                    inputs="embedding of the account name, account type and industry one-hot, and of "
                           "the account's positive lines' expense scores: "
                           + ", ".join(ACCOUNT_SCORE_FEATURES),
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


def _stages(model: FittedExpenseModel) -> dict[str, Any]:
    text = model.text_validation
    return {
        "text": {"features": "embedding, account type and industry one-hot", "rounds": model.text_rounds,
                 "params": {key: value for key, value in model.text_params.items() if key != "nthread"},
                 "probe": {"network": "standardised inputs, one ReLU hidden layer, logistic output",
                           **(model.probe_params.as_json() if model.probe_params else {})},
                 "blend": "the mean of the trees' and the probe's log odds",
                 "validation": text.summary() if text is not None else {},
                 "reader_validation": {reader: metrics.summary()
                                       for reader, metrics in model.reader_validation.items()}},
        "context": {"features": list(CONTEXT_FEATURES), "rounds": model.rounds,
                    "params": {key: value for key, value in model.params.items() if key != "nthread"}},
    }


def with_heldout(card: dict[str, Any], metrics: Metrics, description: str) -> dict[str, Any]:
    """The card with the figures measured on a held-out set added."""
    return {**card, "metrics": {**card.get("metrics", {}),
                                "heldout": {"data": description, **metrics.as_json()}}}
