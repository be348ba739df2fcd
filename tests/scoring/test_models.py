"""The expense and account models: deterministic training, JSON round trips, the shipped pair, the registry
and scoring a stored import on both databases."""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.blobs import register_blob
from core.blobstore import LocalBlobStore
from core.embeddings import EmbeddingCacheEntry, embedder
from core.settings import Settings
from scoring.corpus import generate
from scoring.dataset import LabelledLines, from_corpus
from scoring.model_card import model_json, pair_files
from scoring.models import GLAccount, GLExpense, GLImport, ScoringModel
from scoring.registry import (
    KINDS,
    SHIPPED,
    active_pair,
    booster_from_json,
    register_shipped,
    save_pair,
    shipped_pair,
    write_shipped,
)
from scoring.scorer import score_gl_import
from scoring.stacked import StackedModel, booster_json
from scoring.texts import CURRENT_TEXT_RECIPE
from scoring.training import TrainingConfig, design, texts_to_embed, train_pair
from scoring.vectors import TextVectors, embed_distinct
from studies.models import Study

MODEL = Settings.model_fields["embedding_model"].default


@pytest.fixture(scope="module")
def small_corpus() -> LabelledLines:
    """About 700 lines of five training companies, with their qualified lines kept."""
    lines = generate("train", companies=5)
    rng = random.Random(5)
    kept = [line for line in lines if line.label == 1 or rng.random() < 0.12]
    return from_corpus(kept)


@pytest.fixture(scope="module")
def corpus_vectors(small_corpus: LabelledLines) -> TextVectors:
    return embed_distinct(texts_to_embed(small_corpus, CURRENT_TEXT_RECIPE), embedder(MODEL).encode)


def _train(data: LabelledLines, vectors: TextVectors, seed: int) -> dict[str, bytes]:
    config = TrainingConfig(seed=seed, max_rounds=30, early_stopping=10, folds=2)
    return pair_files(train_pair(data, lambda _texts: vectors, config))


@pytest.mark.slow
def test_training_is_deterministic_for_a_seed(small_corpus: LabelledLines,
                                              corpus_vectors: TextVectors) -> None:
    first = _train(small_corpus, corpus_vectors, seed=7)
    assert _train(small_corpus, corpus_vectors, seed=7) == first
    assert _train(small_corpus, corpus_vectors, seed=8) != first


@pytest.mark.slow
def test_a_model_survives_its_json_round_trip(small_corpus: LabelledLines, corpus_vectors: TextVectors,
                                             tmp_path: Path) -> None:
    trained = train_pair(small_corpus, lambda _texts: corpus_vectors,
                         TrainingConfig(max_rounds=20, early_stopping=5, folds=2))
    d = design(small_corpus, corpus_vectors, trained.vocabulary, CURRENT_TEXT_RECIPE)
    data = model_json(trained.expense.stacked)
    assert data.startswith(b"{") and data.count(b'"learner"') == 2  # two XGBoost JSON boosters, no pickle
    assert b'"probe":{"format":"fourpart mlp probe 1"' in data  # and the text stage's network, as weights
    expected = trained.expense.stacked.scores(d.lines, d.expense_x, d.one_hot)
    loaded = booster_from_json(data)
    assert isinstance(loaded, StackedModel)
    assert np.array_equal(loaded.scores(d.lines, d.expense_x, d.one_hot), expected)
    shipped = shipped_pair()
    files = {kind: (model, getattr(shipped, kind).card) for kind, model in pair_files(trained).items()}
    write_shipped(tmp_path, files)
    again = shipped_pair(tmp_path)
    assert again.expense.card == shipped.expense.card
    assert np.array_equal(again.stacked_expense.scores(d.lines, d.expense_x, d.one_hot), expected)


def test_the_shipped_pair_has_its_cards() -> None:
    pair = shipped_pair()
    assert (SHIPPED / "expense.json").stat().st_size < 10 * 2**20
    for kind in KINDS:
        card = getattr(pair, kind).card
        assert card["kind"] == kind and card["embedding"]["model"] == MODEL
        assert 0 < card["threshold"] < 1 and card["data"]["sha256"] and card["date"]
        assert {"validation", "heldout"} <= set(card["metrics"])
        assert card["metrics"]["heldout"]["roc_auc"] > 0.9
        assert "fold cross-validation grouped by company" in card["validation_split"]
    assert set(pair.expense.card["stages"]) == {"text", "context"}
    assert pair.expense.card["stages"]["text"]["probe"]["hidden"] > 0
    assert set(pair.expense.card["stages"]["text"]["reader_validation"]) == {"trees", "probe"}
    assert pair.stacked_expense.probe is not None
    assert pair.account.card["expense_model_sha256"] == pair.expense.sha256
    assert pair.current and isinstance(pair.expense.booster, StackedModel)
    assert pair.expense.model_id is None and pair.source.startswith("shipped")


def _gl_import(session: Session, study: Study) -> GLImport:
    register_blob(session, "a" * 64, 10, "text/csv")
    gl_import = GLImport(study_id=study.id, original_name="ledger.csv", blob_sha256="a" * 64,
                         source_format="canonical", row_count=5, company="Acme AI", industry="AI/ML software")
    session.add(gl_import)
    session.flush()
    rows = {
        ("6120", "Cloud Compute - R&D", "Expense"): [
            ("Amazon Web Services", "EC2 p4d instances for the training sweep", "14210.44"),
            ("Amazon Web Services", "Credit - SLA", "-120.00")],
        ("6400", "Software Subscriptions", "Expense"): [("Slack", "Slack seats - January", "812.50")],
        ("4000", "Revenue", "Income"): [("Customer A", "January subscription", "-25000.00")],
        ("6999", "Unused account", "Expense"): [],
    }
    number = 2
    for (account_number, name, account_type), lines in rows.items():
        account = GLAccount(study_id=study.id, import_id=gl_import.id, number=account_number, name=name,
                            account_type=account_type)
        session.add(account)
        session.flush()
        for vendor, description, amount in lines:
            session.add(GLExpense(study_id=study.id, import_id=gl_import.id, account_id=account.id,
                                  row_number=number, vendor=vendor, description=description,
                                  amount=Decimal(amount)))
            number += 1
    session.flush()
    return gl_import


def _scores(session: Session, gl_import: GLImport) -> tuple[dict[str, float | None], dict[str, float | None]]:
    expenses = session.scalars(select(GLExpense).where(GLExpense.import_id == gl_import.id))
    accounts = session.scalars(select(GLAccount).where(GLAccount.import_id == gl_import.id))
    return ({expense.description: expense.score for expense in expenses},
            {account.name: account.score for account in accounts})


@pytest.mark.slow
def test_score_gl_import_scores_every_line_and_account(session: Session, make_study: Callable[..., Study],
                                                        tmp_path: Path) -> None:
    gl_import = _gl_import(session, make_study())
    reported: list[float] = []
    score_gl_import(session, gl_import, progress=lambda fraction, _message: reported.append(fraction))
    lines, accounts = _scores(session, gl_import)
    assert lines["Credit - SLA"] is None and lines["January subscription"] is None
    assert lines["EC2 p4d instances for the training sweep"] > lines["Slack seats - January"]
    assert all(0 <= score <= 1 for score in accounts.values() if score is not None)
    assert None not in accounts.values()
    assert accounts["Cloud Compute - R&D"] > accounts["Revenue"]
    assert reported[-1] == 1.0 and gl_import.scoring_model_id is None  # shipped files, not recorded
    assert session.scalar(select(func.count()).select_from(EmbeddingCacheEntry)) >= 4

    store = LocalBlobStore(tmp_path / "blobs")
    score_gl_import(session, gl_import, store=store)  # the shipped pair recorded as version rows
    rows = session.scalars(select(ScoringModel).order_by(ScoringModel.kind)).all()
    assert [(row.kind, row.active) for row in rows] == [("account", True), ("expense", True)]
    assert gl_import.scoring_model_id == next(row.id for row in rows if row.kind == "expense")
    assert store.read_bytes(rows[1].blob_sha256) == (SHIPPED / "expense.json").read_bytes()
    assert _scores(session, gl_import) == (lines, accounts)
    score_gl_import(session, gl_import, store=store)
    assert session.scalar(select(func.count()).select_from(ScoringModel)) == 2


def test_a_saved_pair_becomes_the_active_one_and_loads_from_the_store(session: Session,
                                                                      tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path / "blobs")
    shipped = shipped_pair()
    files = {kind: ((SHIPPED / f"{kind}.json").read_bytes(),
                    {**getattr(shipped, kind).card, "version": 90 + i}) for i, kind in enumerate(KINDS)}
    assert active_pair(session, store) is shipped
    saved = save_pair(session, store, files)
    session.commit()
    pair = active_pair(session, store)
    assert pair.expense.model_id == saved.expense.model_id and pair.expense.version == 90
    assert pair.account.version == 91 and pair.source.startswith("database")
    newer = {kind: (data, {**card, "version": card["version"] + 10}) for kind, (data, card) in files.items()}
    save_pair(session, store, newer)
    assert active_pair(session, store).expense.version == 100
    assert session.scalar(select(func.count()).select_from(ScoringModel)
                          .where(ScoringModel.active.is_(True))) == 2


def test_an_active_pair_from_an_older_fourpart_gives_way_to_the_shipped_one(session: Session,
                                                                           tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path / "blobs")
    shipped = shipped_pair()
    single_stage = booster_json(shipped.stacked_expense.text)  # what version 2 shipped: one booster
    files = {"expense": (single_stage, {**shipped.expense.card, "version": 80}),
             "account": ((SHIPPED / "account.json").read_bytes(), {**shipped.account.card, "version": 80})}
    save_pair(session, store, files)
    assert active_pair(session, store) is shipped
    pair = register_shipped(session, store)
    assert pair.current and pair.expense.model_id is not None
    assert pair.expense.version == shipped.expense.version
