"""Training the expense and account models from labelled GL lines, deterministically for a seed.

1. Companies are split 80/20 (no company on both sides). The expense model is fitted on the training
   companies with early stopping on the validation companies; its validation metrics go to the card.
2. The account model's line-score features (``avg_score``, ...) must be out-of-sample, as they are when a
   new client is scored: for the training companies they come from expense models fitted on the other
   folds (by company), for the validation companies from (1).
3. The account model is fitted the same way on accounts (target: the account has a qualified line).
4. Both models are refitted on every company with the rounds early stopping chose, and keep the threshold
   chosen on validation: the score with the best F1, balancing how many items turn green against how many
   of those qualify (seed 004 chose its threshold on the same trade-off).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import xgboost as xgb

from scoring.dataset import LabelledLines
from scoring.evaluation import Metrics, best_f1_threshold, evaluate, pr_curve
from scoring.features import (
    Accounts,
    Vocabulary,
    account_text,
    expense_matrix,
    expense_texts,
    positive_mask,
    with_line_scores,
)
from scoring.vectors import TextVectors

EXPENSE_PARAMS: dict[str, Any] = {
    "objective": "binary:logistic", "eval_metric": "aucpr", "tree_method": "hist", "max_depth": 8,
    "eta": 0.05, "subsample": 0.8, "colsample_bytree": 0.3, "min_child_weight": 2.0, "lambda": 2.0,
    "max_bin": 128,
}
ACCOUNT_PARAMS: dict[str, Any] = {
    "objective": "binary:logistic", "eval_metric": "aucpr", "tree_method": "hist", "max_depth": 4,
    "eta": 0.05, "subsample": 0.8, "colsample_bytree": 0.5, "min_child_weight": 1.0, "lambda": 2.0,
    "max_bin": 128,
}

Embed = Callable[[Sequence[str]], TextVectors]
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class TrainingConfig:
    seed: int = 41
    validation_share: float = 0.2
    folds: int = 4
    max_rounds: int = 800
    early_stopping: int = 50
    threads: int = 2
    expense_params: dict[str, Any] = field(default_factory=lambda: dict(EXPENSE_PARAMS))
    account_params: dict[str, Any] = field(default_factory=lambda: dict(ACCOUNT_PARAMS))

    def params(self, base: dict[str, Any]) -> dict[str, Any]:
        return {**base, "seed": self.seed, "nthread": self.threads}


@dataclass
class FittedModel:
    booster: xgb.Booster
    rounds: int
    threshold: float
    validation: Metrics
    params: dict[str, Any]


@dataclass
class TrainedPair:
    expense: FittedModel
    account: FittedModel
    vocabulary: Vocabulary
    data: dict[str, Any]
    config: TrainingConfig


@dataclass(frozen=True)
class Design:
    """The model inputs of a labelled set: positive lines for the expense model, their accounts."""

    expense_x: np.ndarray
    expense_y: np.ndarray
    expense_company: np.ndarray
    accounts: Accounts
    account_x: np.ndarray  # without the line-score features, which depend on an expense model
    account_y: np.ndarray
    account_company: np.ndarray


def design(data: LabelledLines, vectors: TextVectors, vocabulary: Vocabulary) -> Design:
    mask = positive_mask(data.lines)
    lines = [line for line, keep in zip(data.lines, mask, strict=True) if keep]
    labels = data.labels[mask].astype(np.float32)
    one_hot = vocabulary.one_hot([line.account_type for line in lines], [line.industry for line in lines])
    accounts = Accounts.of(lines)
    account_x = np.hstack([vectors.of([account_text(name) for name in accounts.names]),
                           vocabulary.one_hot(accounts.types, accounts.industries)])
    return Design(expense_matrix(vectors.of(expense_texts(lines)), one_hot), labels,
                  np.array([line.company for line in lines]), accounts, account_x,
                  accounts.any_by_account(labels > 0).astype(np.float32),
                  np.array([key[0] for key in accounts.keys]))


def texts_to_embed(data: LabelledLines) -> list[str]:
    mask = positive_mask(data.lines)
    lines = [line for line, keep in zip(data.lines, mask, strict=True) if keep]
    return expense_texts(lines) + [account_text(line.account_name) for line in lines]


def split_companies(companies: np.ndarray, share: float, seed: int) -> np.ndarray:
    """The validation companies: a seeded ``share`` of the distinct companies."""
    distinct = np.array(sorted(set(companies.tolist())))
    chosen = np.random.default_rng(seed).permutation(len(distinct))[:max(1, round(share * len(distinct)))]
    return np.asarray(distinct[np.sort(chosen)])


def fit(params: dict[str, Any], x: np.ndarray, y: np.ndarray, rounds: int,
        valid: tuple[np.ndarray, np.ndarray] | None = None, early_stopping: int = 0) -> xgb.Booster:
    train = xgb.DMatrix(x, label=y, nthread=params["nthread"])
    if valid is None:
        return xgb.train(params, train, num_boost_round=rounds)
    evals = [(xgb.DMatrix(valid[0], label=valid[1], nthread=params["nthread"]), "validation")]
    return xgb.train(params, train, num_boost_round=rounds, evals=evals, verbose_eval=False,
                     early_stopping_rounds=early_stopping or None)


def predict(booster: xgb.Booster, x: np.ndarray) -> np.ndarray:
    best = getattr(booster, "best_iteration", None)
    iteration_range = (0, best + 1) if best is not None else (0, 0)
    return np.asarray(booster.inplace_predict(x, iteration_range=iteration_range), dtype=np.float64)


def _rounds(booster: xgb.Booster, fallback: int) -> int:
    best = getattr(booster, "best_iteration", None)
    return int(best) + 1 if best is not None else fallback


def train_pair(data: LabelledLines, embed: Embed, config: TrainingConfig | None = None,
               progress: Progress | None = None) -> TrainedPair:
    """Both models, their thresholds and validation metrics, from ``data`` (see the module docstring)."""
    config = config or TrainingConfig()
    report = progress or (lambda _fraction, _message: None)
    vocabulary = Vocabulary()
    report(0.0, "embedding the training strings")
    d = design(data, embed(texts_to_embed(data)), vocabulary)
    validation = np.isin(d.expense_company, split_companies(d.expense_company, config.validation_share,
                                                            config.seed))
    report(0.3, "fitting the expense model")
    expense, oof = _expense_model(d, validation, config)
    report(0.8, "fitting the account model")
    line_scores = d.accounts.line_score_features(oof, np.ones(len(oof), dtype=bool))
    account = _account_model(d, line_scores, validation, config)
    report(1.0, "trained")
    return TrainedPair(expense, account, vocabulary, _data_summary(data, d), config)


def _expense_model(d: Design, validation: np.ndarray,
                   config: TrainingConfig) -> tuple[FittedModel, np.ndarray]:
    """The expense model and out-of-sample scores of every positive line."""
    params = config.params(config.expense_params)
    x, y, train = d.expense_x, d.expense_y, ~validation
    held = fit(params, x[train], y[train], config.max_rounds, (x[validation], y[validation]),
               config.early_stopping)
    rounds = _rounds(held, config.max_rounds)
    oof = np.zeros(len(y))
    oof[validation] = predict(held, x[validation])
    for fold in _company_folds(d.expense_company, train, config):
        rest = train & ~fold
        oof[fold] = predict(fit(params, x[rest], y[rest], rounds), x[fold])
    threshold = best_f1_threshold(pr_curve(y[validation], oof[validation]))
    metrics = evaluate(y[validation], oof[validation], threshold, d.expense_company[validation])
    final = fit(params, x, y, rounds)
    return FittedModel(final, rounds, threshold, metrics, params), oof


def _company_folds(companies: np.ndarray, among: np.ndarray, config: TrainingConfig) -> list[np.ndarray]:
    distinct = np.array(sorted(set(companies[among].tolist())))
    order = np.random.default_rng(config.seed + 1).permutation(len(distinct))
    groups = [distinct[order[i::config.folds]] for i in range(min(config.folds, len(distinct)))]
    return [among & np.isin(companies, group) for group in groups if len(group)]


def _account_model(d: Design, line_scores: np.ndarray, line_validation: np.ndarray,
                   config: TrainingConfig) -> FittedModel:
    params = config.params(config.account_params)
    validation_companies = set(d.expense_company[line_validation].tolist())
    validation = np.isin(d.account_company, list(validation_companies))
    x, y = with_line_scores(d.account_x, line_scores), d.account_y
    held = fit(params, x[~validation], y[~validation], config.max_rounds, (x[validation], y[validation]),
               config.early_stopping)
    rounds = _rounds(held, config.max_rounds)
    scores = predict(held, x[validation])
    threshold = best_f1_threshold(pr_curve(y[validation], scores))
    metrics = evaluate(y[validation], scores, threshold, d.account_company[validation])
    return FittedModel(fit(params, x, y, rounds), rounds, threshold, metrics, params)


def _data_summary(data: LabelledLines, d: Design) -> dict[str, Any]:
    return {"sha256": data.digest(), "lines": len(data), "expense_lines": len(d.expense_y),
            "qualified_lines": int(d.expense_y.sum()), "accounts": len(d.account_y),
            "qualified_accounts": int(d.account_y.sum()),
            "companies": len(set(d.expense_company.tolist()))}
