"""Training the expense and account models from labelled GL lines, deterministically for a seed.

Every choice is made inside the training companies, by company-grouped cross-validation (no company on
both sides of a fold, and a fold's fits never see a payee its companies pay, so the folds measure new vendors
as a new client brings them); a held-out set is only measured afterwards (``fourpart gl train`` measures it
once).

1. Expense text stage: ``folds`` (3) fits, each on the other folds' companies with early stopping on its own,
   give every training line an out-of-fold text score; the same folds fit the stage's neural probe
   (``scoring.probe``), and the text score is the blend of the two.
2. Expense context stage: the same folds on the context features of those out-of-fold text scores
   (``scoring.context``), so it learns how far to trust a text score as it will be on a new client.
3. Account model: the same folds on accounts, whose line-score features come from the out-of-fold
   expense scores of (2).
4. Each stage is refitted on every company with the median number of rounds its folds chose. The
   cross-validated (out-of-fold) scores give the validation metrics and the thresholds: the score with the
   best F1, balancing how many items turn green against how many of those qualify (seed 004).

The hyperparameters below were chosen the same way, by the cross-validated figures of a few variants
(docs/gl-scoring.md), never by the held-out set.
"""

from __future__ import annotations

import re
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
    expense_matrix,
    positive_mask,
    with_line_scores,
)
from scoring.gl_import import GLLine
from scoring.probe import MLPProbe, ProbeParams, blend, fit_probe
from scoring.stacked import StackedModel, context_matrix
from scoring.texts import CURRENT_TEXT_RECIPE, account_text, expense_texts, positive_line_texts
from scoring.vectors import TextVectors

# rows and columns subsampled hard: the text stage is the slow fit (up to 190,000 lines x 405 columns)
TEXT_PARAMS: dict[str, Any] = {
    "objective": "binary:logistic", "eval_metric": "aucpr", "tree_method": "hist", "max_depth": 6,
    "eta": 0.15, "subsample": 0.5, "colsample_bytree": 0.2, "min_child_weight": 2.0, "lambda": 2.0,
    "max_bin": 64,
}
# early-stopped on log loss, not AUC-PR: on vendor-disjoint folds AUC-PR peaks within ~35 rounds, before the
# stage has learnt how far to trust a text score; heavy leaves (min_child_weight 50) keep it general
CONTEXT_PARAMS: dict[str, Any] = {
    "objective": "binary:logistic", "eval_metric": "logloss", "tree_method": "hist", "max_depth": 4,
    "eta": 0.05, "subsample": 0.8, "colsample_bytree": 0.8, "min_child_weight": 50.0, "lambda": 2.0,
    "max_bin": 128,
}
ACCOUNT_PARAMS: dict[str, Any] = {
    "objective": "binary:logistic", "eval_metric": "aucpr", "tree_method": "hist", "max_depth": 2,
    "eta": 0.05, "subsample": 0.8, "colsample_bytree": 0.5, "min_child_weight": 1.0, "lambda": 2.0,
    "max_bin": 128,
}

Embed = Callable[[Sequence[str]], TextVectors]
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class TrainingConfig:
    seed: int = 41
    folds: int = 3
    max_rounds: int = 1000
    early_stopping: int = 40
    threads: int = 2
    text_recipe: int = CURRENT_TEXT_RECIPE
    text_params: dict[str, Any] = field(default_factory=lambda: dict(TEXT_PARAMS))
    context_params: dict[str, Any] = field(default_factory=lambda: dict(CONTEXT_PARAMS))
    account_params: dict[str, Any] = field(default_factory=lambda: dict(ACCOUNT_PARAMS))
    probe: ProbeParams = field(default_factory=ProbeParams)

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
class FittedExpenseModel(FittedModel):
    """The context stage in ``booster`` (and its figures); the text stage beside it."""

    text_booster: xgb.Booster | None = None
    text_rounds: int = 0
    text_validation: Metrics | None = None
    text_params: dict[str, Any] = field(default_factory=dict)
    probe: MLPProbe | None = None
    probe_params: ProbeParams | None = None
    reader_validation: dict[str, Metrics] = field(default_factory=dict)  # the trees and the probe alone

    @property
    def stacked(self) -> StackedModel:
        assert self.text_booster is not None
        return StackedModel(self.text_booster, self.booster, self.probe)


@dataclass
class TrainedPair:
    expense: FittedExpenseModel
    account: FittedModel
    vocabulary: Vocabulary
    data: dict[str, Any]
    config: TrainingConfig


@dataclass(frozen=True)
class Design:
    """The model inputs of a labelled set: positive lines for the expense model, their accounts."""

    lines: list[GLLine]  # the positive-amount lines, in order
    expense_x: np.ndarray
    one_hot: np.ndarray
    expense_y: np.ndarray
    expense_company: np.ndarray
    expense_vendor: np.ndarray  # payee keys (``vendor_key``), "" where the line names none
    accounts: Accounts
    account_x: np.ndarray  # without the line-score features, which depend on an expense model
    account_y: np.ndarray
    account_company: np.ndarray


def design(data: LabelledLines, vectors: TextVectors, vocabulary: Vocabulary, recipe: int) -> Design:
    mask = positive_mask(data.lines)
    lines = [line for line, keep in zip(data.lines, mask, strict=True) if keep]
    labels = data.labels[mask].astype(np.float32)
    one_hot = vocabulary.one_hot([line.account_type for line in lines], [line.industry for line in lines])
    accounts = Accounts.of(lines)
    account_x = np.hstack([vectors.of([account_text(name, recipe) for name in accounts.names]),
                           vocabulary.one_hot(accounts.types, accounts.industries)])
    return Design(lines, expense_matrix(vectors.of(expense_texts(lines, recipe)), one_hot), one_hot, labels,
                  np.array([line.company for line in lines]),
                  np.array([vendor_key(line.vendor) for line in lines]), accounts, account_x,
                  accounts.any_by_account(labels > 0).astype(np.float32),
                  np.array([key[0] for key in accounts.keys]))


def texts_to_embed(data: LabelledLines, recipe: int) -> list[str]:
    return positive_line_texts(data.lines, recipe)


def company_folds(companies: np.ndarray, folds: int, seed: int) -> list[np.ndarray]:
    """``folds`` seeded groups of the distinct companies, as masks over ``companies``."""
    distinct = np.array(sorted(set(companies.tolist())))
    order = np.random.default_rng(seed).permutation(len(distinct))
    groups = [distinct[order[i::folds]] for i in range(min(folds, len(distinct)))]
    return [np.isin(companies, group) for group in groups if len(group)]


def vendor_key(vendor: str) -> str:
    """A payee as the folds compare it: letters and digits, lower case."""
    return re.sub(r"[^a-z0-9]", "", vendor.lower())


def vendor_disjoint(folds: Sequence[np.ndarray], vendors: np.ndarray) -> list[np.ndarray]:
    """For each fold, the rows its fit may train on: the other folds' rows whose payee the fold never pays.

    The training companies share one vendor pool and a new client's payees are mostly new (the held-out
    split's are all new), so a fold that trained on its own payees would be optimistic about new vendors.
    """
    masks = []
    for fold in folds:
        seen = np.unique(vendors[fold])
        masks.append(~fold & ~np.isin(vendors, seen[seen != ""]))
    return masks


def fit(params: dict[str, Any], x: np.ndarray, y: np.ndarray, rounds: int,
        valid: tuple[np.ndarray, np.ndarray] | None = None, early_stopping: int = 0) -> xgb.Booster:
    train = xgb.DMatrix(x, label=y, nthread=params["nthread"])
    if valid is None:
        return xgb.train(params, train, num_boost_round=rounds)
    evals = [(xgb.DMatrix(valid[0], label=valid[1], nthread=params["nthread"]), "validation")]
    return xgb.train(params, train, num_boost_round=rounds, evals=evals, verbose_eval=False,
                     early_stopping_rounds=early_stopping or None)


def _best_rounds(booster: xgb.Booster, fallback: int) -> int:
    best = getattr(booster, "best_iteration", None)
    return int(best) + 1 if best is not None else fallback


@dataclass(frozen=True)
class CrossFit:
    """Out-of-fold scores of every row and the rounds the folds chose (their median)."""

    scores: np.ndarray
    rounds: int


def cross_fit(params: dict[str, Any], x: np.ndarray, y: np.ndarray, folds: Sequence[np.ndarray],
              config: TrainingConfig, train_masks: Sequence[np.ndarray] | None = None) -> CrossFit:
    """One fit per fold on the other folds (or on ``train_masks``), early-stopped on the fold; its scores
    come from that fit."""
    scores = np.zeros(len(y))
    chosen = []
    for index, fold in enumerate(folds):
        rest = ~fold if train_masks is None else train_masks[index]
        booster = fit(params, x[rest], y[rest], config.max_rounds, (x[fold], y[fold]), config.early_stopping)
        rounds = _best_rounds(booster, config.max_rounds)
        chosen.append(rounds)
        scores[fold] = predict_rounds(booster, x[fold], rounds)
    return CrossFit(scores, int(np.median(chosen)) if chosen else config.max_rounds)


def predict_rounds(booster: xgb.Booster, x: np.ndarray, rounds: int) -> np.ndarray:
    return np.asarray(booster.inplace_predict(x, iteration_range=(0, rounds)), dtype=np.float64)


def train_pair(data: LabelledLines, embed: Embed, config: TrainingConfig | None = None,
               progress: Progress | None = None) -> TrainedPair:
    """Both models, their thresholds and cross-validated metrics, from ``data`` (see the module docstring)."""
    config = config or TrainingConfig()
    report = progress or (lambda _fraction, _message: None)
    vocabulary = Vocabulary()
    report(0.0, "embedding the training strings")
    d = design(data, embed(texts_to_embed(data, config.text_recipe)), vocabulary, config.text_recipe)
    folds = company_folds(d.expense_company, config.folds, config.seed)
    report(0.3, "fitting the expense model")
    expense = _expense_model(d, folds, config)
    report(0.85, "fitting the account model")
    account = _account_model(d, expense.scores, config)
    report(1.0, "trained")
    return TrainedPair(expense.model, account, vocabulary, _data_summary(data, d), config)


@dataclass(frozen=True)
class _ExpenseFit:
    model: FittedExpenseModel
    scores: np.ndarray  # out-of-fold expense scores of every positive line


def cross_fit_probe(x: np.ndarray, y: np.ndarray, folds: Sequence[np.ndarray], config: TrainingConfig,
                    train_masks: Sequence[np.ndarray]) -> np.ndarray:
    """Out-of-fold probe scores: one network per fold, fitted on ``train_masks`` (no early stopping: the
    number of passes is fixed)."""
    scores = np.zeros(len(y))
    for fold, rows in zip(folds, train_masks, strict=True):
        scores[fold] = fit_probe(x[rows], y[rows], config.probe, config.seed).scores(x[fold])
    return scores


def _expense_model(d: Design, folds: list[np.ndarray], config: TrainingConfig) -> _ExpenseFit:
    y, companies = d.expense_y, d.expense_company
    train_masks = vendor_disjoint(folds, d.expense_vendor)
    text_params = config.params(config.text_params)
    trees = cross_fit(text_params, d.expense_x, y, folds, config, train_masks)
    probe_scores = cross_fit_probe(d.expense_x, y, folds, config, train_masks)
    text_scores = blend(trees.scores, probe_scores)
    context_x = context_matrix(d.lines, text_scores, d.one_hot)
    context_params = config.params(config.context_params)
    context = cross_fit(context_params, context_x, y, folds, config, train_masks)
    threshold = best_f1_threshold(pr_curve(y, context.scores))
    text_booster = fit(text_params, d.expense_x, y, trees.rounds)
    probe = fit_probe(d.expense_x, y, config.probe, config.seed)
    # the final context stage reads the out-of-fold text scores, as it will read a new client's
    model = FittedExpenseModel(
        fit(context_params, context_x, y, context.rounds), context.rounds, threshold,
        evaluate(y, context.scores, threshold, companies), context_params, text_booster, trees.rounds,
        _at_best_f1(y, text_scores, companies), text_params, probe, config.probe,
        {"trees": _at_best_f1(y, trees.scores, companies), "probe": _at_best_f1(y, probe_scores, companies)})
    return _ExpenseFit(model, context.scores)


def _at_best_f1(y: np.ndarray, scores: np.ndarray, groups: np.ndarray) -> Metrics:
    return evaluate(y, scores, best_f1_threshold(pr_curve(y, scores)), groups)


def _account_model(d: Design, line_scores: np.ndarray, config: TrainingConfig) -> FittedModel:
    params = config.params(config.account_params)
    features = d.accounts.line_score_features(line_scores, np.ones(len(line_scores), dtype=bool))
    x, y = with_line_scores(d.account_x, features), d.account_y
    folds = company_folds(d.account_company, config.folds, config.seed)
    crossed = cross_fit(params, x, y, folds, config)
    threshold = best_f1_threshold(pr_curve(y, crossed.scores))
    metrics = evaluate(y, crossed.scores, threshold, d.account_company)
    return FittedModel(fit(params, x, y, crossed.rounds), crossed.rounds, threshold, metrics, params)


def _data_summary(data: LabelledLines, d: Design) -> dict[str, Any]:
    return {"sha256": data.digest(), "lines": len(data), "expense_lines": len(d.expense_y),
            "qualified_lines": int(d.expense_y.sum()), "accounts": len(d.account_y),
            "qualified_accounts": int(d.account_y.sum()),
            "companies": len(set(d.expense_company.tolist()))}

