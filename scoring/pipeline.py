"""Training a pair from the corpus and the reviewed labels, storing it; measuring a pair on labelled data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from core.blobstore import BlobStore
from core.db import Database
from core.embeddings import embedder
from scoring.dataset import LabelledLines, read_labelled, reviewed, starter_corpus
from scoring.evaluation import Metrics, evaluate
from scoring.features import positive_mask
from scoring.model_card import build_cards, pair_files
from scoring.registry import KINDS, ModelPair, next_version, save_pair
from scoring.scorer import score_lines
from scoring.training import TrainedPair, TrainingConfig, train_pair
from scoring.vectors import embed_distinct, encoder

Progress = Callable[[float, str], None]
ModelFiles = dict[str, tuple[bytes, dict[str, Any]]]


def train_files(data: LabelledLines, *, embedding_model: str, version: int, config: TrainingConfig,
                cache: Database | None = None,
                progress: Progress | None = None) -> tuple[TrainedPair, ModelFiles]:
    """Train a pair on ``data``; its JSON and cards, ready to store or ship."""
    model = embedder(embedding_model)
    encode = encoder(model, cache)
    trained = train_pair(data, lambda texts: embed_distinct(texts, encode), config, progress)
    cards = build_cards(trained, embedding_model=embedding_model, dimension=model.dimension, version=version)
    models = pair_files(trained)
    return trained, {kind: (models[kind], cards[kind]) for kind in KINDS}


def training_data(db: Database, corpus: Path | None = None) -> LabelledLines:
    """The labelled ``corpus`` (default: the shipped starter corpus) plus every line a reviewer decided in
    the database."""
    base = read_labelled(corpus) if corpus is not None else starter_corpus()
    with db.session(reading=True) as session:
        return base + reviewed(session)


def retrain(db: Database, store: BlobStore, *, embedding_model: str, config: TrainingConfig,
            corpus: Path | None = None, notes: str = "",
            progress: Progress | None = None) -> tuple[ModelPair, ModelFiles]:
    """Train on the corpus and the reviewed labels; store the pair as the next, active version."""
    data = training_data(db, corpus)
    with db.session(reading=True) as session:
        version = next_version(session)
    _, files = train_files(data, embedding_model=embedding_model, version=version, config=config, cache=db,
                           progress=progress)
    with db.transaction() as session:
        pair = save_pair(session, store, files, notes=notes or f"fourpart gl train, seed {config.seed}")
    return pair, files


@dataclass(frozen=True)
class PairMetrics:
    expense: Metrics
    account: Metrics

    def as_json(self) -> dict[str, Any]:
        return {"expense": self.expense.as_json(), "account": self.account.as_json()}


def measure(data: LabelledLines, models: ModelPair, *, cache: Database | None = None,
            progress: Progress | None = None) -> PairMetrics:
    """Both models on labelled lines: expenses on positive lines, accounts with a positive line
    (target: the account has a qualified positive line)."""
    scored = score_lines(data.lines, models=models, cache=cache, progress=progress)
    mask = positive_mask(data.lines)
    companies = np.array([line.company for line in data.lines])
    expense_scores = np.array([score for score in scored.expense_scores if score is not None])
    expense = evaluate(data.labels[mask], expense_scores, models.expense.threshold, companies[mask])
    accounts = scored.accounts
    has_positive = accounts.any_by_account(mask)
    qualified = accounts.any_by_account(mask & (data.labels > 0))
    account_companies = np.array([key[0] for key in accounts.keys])
    account = evaluate(qualified[has_positive], scored.account_by_index[has_positive],
                       models.account.threshold, account_companies[has_positive])
    return PairMetrics(expense, account)
