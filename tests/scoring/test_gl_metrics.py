"""The scoring models' inputs and metrics: features, ROC AUC, average precision, the PR curve and plot."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from scoring.context import CONTEXT_FEATURES, context_features, payee_key
from scoring.evaluation import (
    at_threshold,
    average_precision,
    best_f1_threshold,
    evaluate,
    pr_curve,
    pr_plot_svg,
    precision_at_recall,
    read_share,
    roc_auc,
)
from scoring.features import (
    ACCOUNT_SCORE_FEATURES,
    INDUSTRIES,
    Accounts,
    Vocabulary,
    account_type_group,
    canonical_industry,
)
from scoring.gl_import import GLLine
from scoring.texts import expense_text
from scoring.training import company_folds, vendor_disjoint, vendor_key


def test_expense_text_joins_the_filled_fields_and_collapses_spaces() -> None:
    text = expense_text("Cloud Hosting", "  EC2  training\nsweep ", "AWS", 1)
    assert text == "Cloud Hosting | EC2 training sweep | AWS"
    assert expense_text("Cloud Hosting", "", "AWS", 1) == "Cloud Hosting | AWS"


@pytest.mark.parametrize(("raw", "group"), [
    ("Expense", "expense"), ("Expenses", "expense"), ("Overhead", "expense"),
    ("Cost of Goods Sold", "cost_of_sales"),
    ("Direct Costs", "cost_of_sales"), ("Other Expense", "other_expense"), ("Other Current Assets", "asset"),
    ("Fixed Asset", "fixed_asset"), ("Other Current Liability", "liability"), ("Equity", "equity"),
    ("Income", "income"), ("", "other"), ("Something else", "other"),
])
def test_account_types_of_every_system_fall_into_one_group(raw: str, group: str) -> None:
    assert account_type_group(raw) == group


def test_one_hot_follows_the_vocabulary_and_leaves_unknowns_at_zero() -> None:
    vocabulary = Vocabulary()
    matrix = vocabulary.one_hot(["Expenses", "Mystery"], ["ai/ml  SOFTWARE", "Space mining"])
    columns = vocabulary.columns()
    assert matrix.shape == (2, len(columns)) and matrix.dtype == np.float32
    first = [columns[i] for i in np.flatnonzero(matrix[0])]
    assert first == ["account_type=expense", "industry=AI/ML software"]
    assert [columns[i] for i in np.flatnonzero(matrix[1])] == ["account_type=other"]
    assert Vocabulary.from_json(vocabulary.as_json()) == vocabulary
    assert canonical_industry("robotics") == "Robotics" and "Robotics" in INDUSTRIES


def test_accounts_group_lines_by_company_number_and_name() -> None:
    def line(company: str, number: str, amount: str) -> GLLine:
        return GLLine(2, company, "Robotics", None, number, f"Account {number}", "Expense", "", "",
                      Decimal(amount))

    lines = [line("A", "1", "10"), line("A", "2", "5"), line("B", "1", "-3"), line("A", "1", "30")]
    accounts = Accounts.of(lines)
    assert accounts.keys == [("A", "1", "Account 1"), ("A", "2", "Account 2"), ("B", "1", "Account 1")]
    assert accounts.of_line.tolist() == [0, 1, 2, 0]
    scores, mask = np.array([0.2, 0.4, 0.9, 0.6]), np.array([True, True, False, True])
    assert accounts.mean_by_account(scores, mask).tolist() == pytest.approx([0.4, 0.4, 0.0])


def test_roc_auc_counts_ties_as_half() -> None:
    labels = np.array([1, 0, 1, 0, 0])
    assert roc_auc(labels, np.array([0.9, 0.1, 0.8, 0.2, 0.3])) == 1.0
    assert roc_auc(labels, np.array([0.5, 0.5, 0.5, 0.5, 0.5])) == 0.5
    # positives 0.8 and 0.3 against negatives 0.3, 0.2, 0.9: (1 + 1 + 0) + (0.5 + 1 + 0) = 3.5 of 6
    assert roc_auc(np.array([1, 1, 0, 0, 0]), np.array([0.8, 0.3, 0.3, 0.2, 0.9])) == pytest.approx(3.5 / 6)


def test_average_precision_and_precision_at_recall() -> None:
    labels, scores = np.array([1, 0, 1, 0]), np.array([0.9, 0.8, 0.7, 0.1])
    curve = pr_curve(labels, scores)
    assert curve.precision.tolist() == pytest.approx([1.0, 0.5, 2 / 3, 0.5])
    assert curve.recall.tolist() == pytest.approx([0.5, 0.5, 1.0, 1.0])
    assert average_precision(curve) == pytest.approx(0.5 * 1.0 + 0.5 * 2 / 3)
    assert precision_at_recall(curve, 0.5) == 1.0 and precision_at_recall(curve, 0.75) == pytest.approx(2 / 3)
    assert at_threshold(labels, scores, 0.75) == (0.5, 0.5, 0.5)
    assert best_f1_threshold(curve) == pytest.approx(0.7)


def test_read_share_is_what_a_reviewer_reads_in_score_order_to_find_80_percent() -> None:
    labels = np.array([1, 1, 1, 1, 1] + [0] * 95)
    scores = np.r_[[0.99, 0.98, 0.97, 0.96, 0.01], np.linspace(0.9, 0.1, 95)]
    assert read_share(labels, scores) == pytest.approx(0.04)  # 4 of 5 found in the first 4 of 100
    groups = ["A"] * 50 + ["B"] * 50
    assert read_share(labels, scores, groups) == pytest.approx(4 / 50)  # only A has qualified lines


def test_evaluate_and_the_plot() -> None:
    rng = np.random.default_rng(3)
    labels = rng.random(400) < 0.1
    scores = np.clip(labels * 0.5 + rng.random(400) * 0.6, 0, 1)
    metrics = evaluate(labels, scores, 0.5)
    assert metrics.count == 400 and metrics.positives == int(labels.sum())
    assert 0.5 < metrics.roc_auc <= 1 and 0 < metrics.average_precision <= 1
    assert metrics.curve[0][2] <= metrics.curve[-1][2] == 1.0 and len(metrics.curve) <= 50
    svg = pr_plot_svg({"expense": metrics})
    assert svg.startswith("<svg") and "<title>Precision-recall</title>" in svg and ' style="' not in svg


def _gl_line(company: str, account: str, vendor: str, description: str, amount: str) -> GLLine:
    return GLLine(2, company, "AI/ML software", None, account[:4], account, "Expense", vendor, description,
                  Decimal(amount))


def test_payee_key_reads_through_bank_feed_boilerplate() -> None:
    assert payee_key("Amazon Web Services", "anything") == "amazon web"
    assert payee_key("", "POS DEBIT AWS EMEA 84451") == "aws emea"
    assert payee_key("", "ORIG CO NAME:GUSTO CO ENTRY DESCR:PAYMENT SEC:CCD") == "gusto"
    assert payee_key("", "") == ""


def test_context_features_read_the_payee_and_account_of_each_line() -> None:
    lines = [_gl_line("A", "6120 Cloud", "AWS", "training sweep", "1000"),
             _gl_line("A", "6120 Cloud", "", "POS DEBIT AWS 1234", "1000"),
             _gl_line("A", "6400 Software", "Slack", "Slack seats", "100"),
             _gl_line("B", "6120 Cloud", "AWS", "prod hosting", "10")]
    scores = np.array([0.9, 0.1, 0.2, 0.3])
    x = context_features(lines, scores)
    column = {name: x[:, i] for i, name in enumerate(CONTEXT_FEATURES)}
    assert x.shape == (4, len(CONTEXT_FEATURES)) and x.dtype == np.float32
    assert column["account_mean"].tolist() == pytest.approx([0.5, 0.5, 0.2, 0.3])
    assert column["account_max"].tolist() == pytest.approx([0.9, 0.9, 0.2, 0.3])
    assert column["account_share"].tolist() == pytest.approx([2 / 3, 2 / 3, 1 / 3, 1.0])
    # the bare feed line meets its payee's other line (same company only)
    assert column["payee_mean"].tolist() == pytest.approx([0.5, 0.5, 0.2, 0.3])
    assert column["text_rank_in_account"].tolist() == pytest.approx([1.0, 0.0, 1.0, 1.0])
    assert column["memo_words"].tolist() == [2, 0, 1, 2]
    assert column["amount_vs_payee"][3] == 0


def test_account_line_score_features() -> None:
    lines = [_gl_line("A", "6120 Cloud", "", "", "1") for _ in range(4)]
    lines.append(_gl_line("A", "6400 SW", "", "", "1"))
    accounts = Accounts.of(lines)
    scores = np.array([0.5, 0.5, 0.1, 0.9, 0.2])
    x = accounts.line_score_features(scores, np.ones(5, dtype=bool))
    assert x.shape == (2, len(ACCOUNT_SCORE_FEATURES))
    row = dict(zip(ACCOUNT_SCORE_FEATURES, x[0], strict=True))
    assert row["avg_score"] == pytest.approx(0.5) and row["max_score"] == pytest.approx(0.9)
    assert row["log_lines"] == pytest.approx(np.log(5)) and row["top3_score"] == pytest.approx(1.9 / 3)
    assert row["expected_qualified"] == pytest.approx(2.0)
    assert row["any_qualified"] == pytest.approx(1 - 0.5 * 0.5 * 0.9 * 0.1)
    assert row["line_share"] == pytest.approx(0.8) and x[1, -1] == pytest.approx(0.2)


def test_cross_validation_folds_never_train_on_a_payee_their_companies_pay() -> None:
    companies = np.array(["A", "A", "B", "B", "C", "C"])
    vendors = np.array([vendor_key(v) for v in ("AWS", "Gusto", "aws", "Lambda Labs", "", "Lambda  labs")])
    assert vendors.tolist() == ["aws", "gusto", "aws", "lambdalabs", "", "lambdalabs"]
    folds = company_folds(companies, 3, seed=1)
    masks = vendor_disjoint(folds, vendors)
    for fold, train in zip(folds, masks, strict=True):
        assert not (fold & train).any()
        assert not set(vendors[fold][vendors[fold] != ""]) & set(vendors[train])
    by_company = {companies[fold][0]: train for fold, train in zip(folds, masks, strict=True)}
    assert by_company["A"].tolist() == [False, False, False, True, True, True]
    assert by_company["B"].tolist() == [False, True, False, False, True, False]
    assert by_company["C"].tolist() == [True, True, True, False, False, False]
