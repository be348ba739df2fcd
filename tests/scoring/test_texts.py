"""The text recipes: what the models embed for a line and an account."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.embeddings import EmbeddingCacheEntry, embedder, text_digest
from scoring.gl_import import GLLine
from scoring.registry import ModelPair, shipped_pair
from scoring.scorer import score_lines
from scoring.texts import CURRENT_TEXT_RECIPE, account_text, expense_text


def test_recipe_1_joins_the_fields_as_written() -> None:
    assert expense_text("6100 · R&D", "Invoice 4069931", "AWS", 1) == "6100 · R&D | Invoice 4069931 | AWS"
    assert account_text("6100 · R&D:6135 · Cloud", 1) == "6100 · R&D:6135 · Cloud"


@pytest.mark.parametrize(("account", "memo", "vendor", "text"), [
    ("6500 · Go-to-Market:6520 · Business Travel", "Enterprise Rent-A-Car - invoice 4069931",
     "Enterprise Rent-A-Car", "Go-to-Market: Business Travel | Enterprise Rent-A-Car - invoice"),
    ("6600 · G&A:6605 · Web Hosting",
     "PURCHASE AUTHORIZED ON 10/22 HEROKU SALESFORCE WA S5494240993 CARD 3446", "Heroku",
     "G&A: Web Hosting | PURCHASE AUTHORIZED ON HEROKU SALESFORCE WA CARD"),
    ("R&D Compute", "p4d.24xlarge H100 training run 2025-03-14", "AWS",
     "R&D Compute | p4d.24xlarge H100 training run | AWS"),
    ("1099 Contractors", "1099 - firmware work, SOW 7", "Jane Roe",
     "1099 Contractors | 1099 - firmware work, SOW 7 | Jane Roe"),
    ("401(k) Match", "Vanguard 401(k) employer match", "Vanguard",
     "401(k) Match | Vanguard 401(k) employer match"),
    ("Legal Fees", "MOSS ADAMS LLP", "Moss Adams Llp", "Legal Fees | MOSS ADAMS LLP"),
    ("66350 Legal Fees", "", "Cooley", "Legal Fees | Cooley"),
])
def test_recipe_2_leaves_out_what_changes_from_bill_to_bill(account: str, memo: str, vendor: str,
                                                              text: str) -> None:
    assert expense_text(account, memo, vendor, 2) == text


def test_recipe_2_gives_a_monthly_bill_one_text() -> None:
    months = {expense_text("6100 · R&D:6135 · Cloud", f"AWS invoice 4{month:06d} {month}/01/2025", "AWS", 2)
              for month in range(1, 13)}
    assert months == {"R&D: Cloud | AWS invoice"}
    assert account_text("6100 · R&D:6135 · Cloud", 2) == "R&D: Cloud"


def test_an_unknown_recipe_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown text recipe 3"):
        account_text("Cloud", 3)


def test_the_shipped_models_name_the_recipe_they_were_trained_with() -> None:
    pair = shipped_pair()
    assert pair.text_recipe == CURRENT_TEXT_RECIPE
    assert pair.account.card["embedding"]["text_recipe"] == pair.text_recipe


def _with_recipe(pair: ModelPair, recipe: int | None) -> ModelPair:
    card = copy.deepcopy(pair.expense.card)
    if recipe is None:
        del card["embedding"]["text_recipe"]
    else:
        card["embedding"]["text_recipe"] = recipe
    return dataclasses.replace(pair, expense=dataclasses.replace(pair.expense, card=card))


def test_a_card_from_before_recipes_reads_as_recipe_1() -> None:
    assert _with_recipe(shipped_pair(), None).text_recipe == 1


def _line(account_name: str, description: str, vendor: str) -> GLLine:
    return GLLine(row_number=2, company="Acme", industry="Robotics", posted_on=dt.date(2025, 3, 1),
                  account_number="6135", account_name=account_name, account_type="Expense", vendor=vendor,
                  description=description, amount=Decimal("1200.00"))


@pytest.mark.slow
@pytest.mark.parametrize("recipe", [1, 2])
def test_lines_are_scored_with_the_recipe_their_models_were_trained_with(session: Session,
                                                                          recipe: int) -> None:
    line = _line("6100 · R&D:6135 · Cloud", "AWS invoice 4000012 3/01/2025", "AWS")
    pair = _with_recipe(shipped_pair(), recipe)
    score_lines([line], models=pair, cache=session)
    cached = set(session.scalars(select(EmbeddingCacheEntry.digest)))
    model = embedder(pair.embedding_model).cache_name
    for texts_recipe in (1, 2):
        expected = {text_digest(model, expense_text(line.account_name, line.description, line.vendor,
                                                    texts_recipe)),
                    text_digest(model, account_text(line.account_name, texts_recipe))}
        assert (expected <= cached) == (texts_recipe == recipe)


@pytest.mark.slow
def test_a_line_of_numbers_only_has_an_empty_text_and_still_scores() -> None:
    line = _line("6100", "123456 01/02/2025", "")
    assert expense_text(line.account_name, line.description, line.vendor, 2) == ""
    scored = score_lines([line])
    assert scored.expense_scores[0] is not None and 0 <= scored.expense_scores[0] <= 1
    assert 0 <= scored.account_scores[0] <= 1
