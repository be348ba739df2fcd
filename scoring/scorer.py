"""Scoring GL lines and accounts with a model pair: a file's lines (the CLI) or a stored import (the web).

Each distinct string is embedded once and each distinct (text, account type, industry) gets one text-stage
score, so the time follows the distinct strings, not the lines. The expense model's context stage then
reads every line with the rest of its ledger (``scoring.context``), so a whole GL is scored at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.blobstore import BlobStore
from core.db import Database
from core.embeddings import embedder
from scoring.dataset import import_industry
from scoring.features import (
    Accounts,
    account_type_group,
    canonical_industry,
    expense_matrix,
    positive_mask,
    with_line_scores,
)
from scoring.gl_import import GLLine
from scoring.models import GLAccount, GLExpense, GLImport
from scoring.registry import ModelPair, active_pair, register_shipped, shipped_pair
from scoring.stacked import StackedModel, predict
from scoring.texts import account_text, expense_texts
from scoring.vectors import TextVectors, embed_distinct, encoder

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class ScoredLines:
    """Per input line: its expense score (None where the amount is not positive) and its account's score."""

    expense_scores: list[float | None]
    account_scores: list[float]
    accounts: Accounts
    account_by_index: np.ndarray
    models: ModelPair


def score_lines(lines: Sequence[GLLine], *, models: ModelPair | None = None,
                cache: Database | Session | None = None, progress: Progress | None = None,
                precision: str = "fp32") -> ScoredLines:
    """Score every line and every account of ``lines`` (default: the shipped models, no embedding cache)."""
    models = models or shipped_pair()
    report = progress or (lambda _fraction, _message: None)
    mask = positive_mask(lines)
    positive = [line for line, keep in zip(lines, mask, strict=True) if keep]
    accounts = Accounts.of(lines)
    texts = expense_texts(positive, models.text_recipe)
    names = [account_text(name, models.text_recipe) for name in accounts.names]
    encode = encoder(embedder(models.embedding_model, precision), cache)
    vectors = embed_distinct(texts + names, encode, progress=lambda f, m: report(0.95 * f, m))
    report(0.95, "scoring lines and accounts")
    text_scores = _text_scores(models, positive, texts, vectors)
    one_hot = models.expense.vocabulary.one_hot([line.account_type for line in positive],
                                                [line.industry for line in positive])
    stacked = models.expense.booster
    # a single-stage expense model (version 2 and before) has no context stage
    line_scores = (stacked.context_scores(positive, text_scores, one_hot)
                   if isinstance(stacked, StackedModel) else text_scores)
    expense_scores = np.full(len(lines), np.nan)
    expense_scores[mask] = line_scores
    base = np.hstack([vectors.of(names), models.account.vocabulary.one_hot(accounts.types,
                                                                         accounts.industries)])
    line_features = accounts.line_score_features(np.nan_to_num(expense_scores), mask)
    # older account models read only the first of the line-score features
    width = models.account_booster.num_features() - base.shape[1]
    account_x = with_line_scores(base, line_features[:, :width])
    by_account = predict(models.account_booster, account_x)
    report(1.0, f"scored {len(lines):,} lines")
    return ScoredLines([None if np.isnan(score) else float(score) for score in expense_scores],
                       by_account[accounts.of_line].tolist(), accounts, by_account, models)


def _text_scores(models: ModelPair, lines: list[GLLine], texts: list[str],
                 vectors: TextVectors) -> np.ndarray:
    """The text stage's score of each line, one prediction per distinct (text, account type, industry)."""
    combos: dict[tuple[str, str, str], int] = {}
    row_of_line = np.fromiter(
        (combos.setdefault((text, account_type_group(line.account_type), canonical_industry(line.industry)),
                           len(combos)) for text, line in zip(texts, lines, strict=True)),
        dtype=np.int64, count=len(lines))
    if not combos:
        return np.zeros(0)
    keys = list(combos)
    one_hot = models.expense.vocabulary.one_hot([key[1] for key in keys], [key[2] for key in keys])
    x = expense_matrix(vectors.of([key[0] for key in keys]), one_hot)
    stacked = models.expense.booster
    scores = stacked.text_scores(x) if isinstance(stacked, StackedModel) else predict(models.text_booster, x)
    return scores[row_of_line]


def score_gl_import(session: Session, gl_import: GLImport, *, progress: Progress | None = None,
                    store: BlobStore | None = None, models: ModelPair | None = None) -> None:
    """Set the score of every line (None for non-positive amounts) and account of ``gl_import``, and record
    the expense model's row in ``gl_import.scoring_model_id`` (the account card names its expense model).

    The models are ``models``, else the database's active pair, else the shipped pair (recorded as the
    active database models when a blob ``store`` is given). Embeddings are cached in this session.
    """
    if models is None:
        models = register_shipped(session, store) if store is not None else active_pair(session)
    accounts = {account.id: account for account in session.scalars(
        select(GLAccount).where(GLAccount.import_id == gl_import.id))}
    expenses = list(session.scalars(select(GLExpense).where(GLExpense.import_id == gl_import.id)
                                    .order_by(GLExpense.row_number, GLExpense.id)))
    industry = import_industry(gl_import)
    lines = [_line(expense, accounts[expense.account_id], gl_import.company, industry)
             for expense in expenses]
    with_lines = {expense.account_id for expense in expenses}
    # an account without lines still gets a score: its name, type and industry, line-score features 0
    lines += [GLLine(0, gl_import.company, industry, None, account.number, account.name, account.account_type,
                     "", "", Decimal(0)) for account in accounts.values() if account.id not in with_lines]
    scored = score_lines(lines, models=models, cache=session, progress=progress)
    for expense, score in zip(expenses, scored.expense_scores[:len(expenses)], strict=True):
        expense.score = score
    index = {key: row for row, key in enumerate(scored.accounts.keys)}
    for account in accounts.values():
        account.score = float(scored.account_by_index[index[gl_import.company, account.number, account.name]])
    gl_import.scoring_model_id = models.expense.model_id
    session.flush()


def _line(expense: GLExpense, account: GLAccount, company: str, industry: str) -> GLLine:
    return GLLine(expense.row_number, company, industry, expense.posted_on, account.number, account.name,
                  account.account_type, expense.vendor, expense.description, expense.amount)
