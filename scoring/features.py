"""Model inputs beside the embedded texts (``scoring.texts``): one-hot columns and account features.

Expense model: embedding of ``account_name | description | vendor``, account type and industry one-hot.
Account model: embedding of the account name, account type and industry one-hot, and what the expense model
says of the account's positive lines: ``avg_score`` (their mean score, as in seed 004), ``max_score``,
``log_lines`` (log of 1 + their count), ``top3_score`` (mean of the best three), ``expected_qualified`` (the
sum of the scores), ``any_qualified`` (1 - the product of 1 - score: the chance at least one qualifies if
the scores were independent) and ``line_share`` (the account's share of the company's positive lines). The
target is "contains a qualified line", which the best lines and the number of lines predict better than the
mean alone. The one-hot vocabularies are stored in the model card, so a model always reads its columns in
the order it was trained with.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from scoring.gl_import import GLLine

ACCOUNT_TYPE_GROUPS = ("expense", "cost_of_sales", "other_expense", "asset", "fixed_asset", "liability",
                       "equity", "income", "other")
INDUSTRIES = ("AI/ML software", "Software (SaaS)", "Biotechnology", "Medical devices", "Manufacturing",
              "Computer hardware & electronics", "Robotics", "Financial technology", "Video games",
              "Marketing agency", "Retail & e-commerce", "Professional services")

# First match wins: accounting systems name the same kind of account differently (QuickBooks "Other Current
# Asset", Xero "Current Asset", NetSuite "Other Current Asset", "Overhead", "Direct Costs", ...).
_ACCOUNT_TYPE_PATTERNS = (
    ("cost_of_sales", re.compile(r"cost of (goods|sales|revenue)|cogs|direct cost")),
    ("other_expense", re.compile(r"other expense")),
    ("expense", re.compile(r"expense|overhead|operating")),
    ("fixed_asset", re.compile(r"fixed asset|non-?current asset|property")),
    ("asset", re.compile(r"asset|bank|receivable|inventory|prepayment")),
    ("liability", re.compile(r"liabilit|payable|credit card|accru")),
    ("equity", re.compile(r"equity|capital|retained")),
    ("income", re.compile(r"income|revenue|sales")),
)
ACCOUNT_SCORE_FEATURES = ("avg_score", "max_score", "log_lines", "top3_score", "expected_qualified",
                          "any_qualified", "line_share")


@lru_cache(maxsize=4096)  # a ledger repeats a few dozen types and industries on every line
def account_type_group(account_type: str) -> str:
    """The kind of account whatever system named it: ``Other Current Assets`` -> ``asset``."""
    lowered = account_type.lower()
    return next((group for group, pattern in _ACCOUNT_TYPE_PATTERNS if pattern.search(lowered)), "other")


@lru_cache(maxsize=4096)
def canonical_industry(industry: str) -> str:
    """The vocabulary's spelling of ``industry`` (case and spaces ignored), else ``industry`` as given."""
    spelled = " ".join(industry.split())
    return next((known for known in INDUSTRIES if known.casefold() == spelled.casefold()), spelled)


@dataclass(frozen=True)
class Vocabulary:
    """The one-hot columns of a model, in order; a value outside them gets all zeros."""

    account_types: tuple[str, ...] = ACCOUNT_TYPE_GROUPS
    industries: tuple[str, ...] = INDUSTRIES

    def columns(self) -> list[str]:
        return ([f"account_type={value}" for value in self.account_types]
                + [f"industry={value}" for value in self.industries])

    def one_hot(self, account_types: Sequence[str], industries: Sequence[str]) -> np.ndarray:
        """A ``(n, len(columns))`` float32 matrix for raw account types and industries."""
        type_index = {value: i for i, value in enumerate(self.account_types)}
        industry_index = {value: i for i, value in enumerate(self.industries)}
        width = len(self.account_types)
        matrix = np.zeros((len(account_types), width + len(self.industries)), dtype=np.float32)
        for row, (account_type, industry) in enumerate(zip(account_types, industries, strict=True)):
            column = type_index.get(account_type_group(account_type))
            if column is not None:
                matrix[row, column] = 1.0
            column = industry_index.get(canonical_industry(industry))
            if column is not None:
                matrix[row, width + column] = 1.0
        return matrix

    def as_json(self) -> dict[str, list[str]]:
        return {"account_types": list(self.account_types), "industries": list(self.industries)}

    @classmethod
    def from_json(cls, data: dict[str, list[str]]) -> Vocabulary:
        return cls(tuple(data["account_types"]), tuple(data["industries"]))


def expense_matrix(vectors: np.ndarray, one_hot: np.ndarray) -> np.ndarray:
    """Expense model input: text embedding, then the one-hot columns."""
    return np.hstack([vectors, one_hot]).astype(np.float32, copy=False)


def with_line_scores(base: np.ndarray, line_scores: np.ndarray) -> np.ndarray:
    return np.hstack([base, line_scores]).astype(np.float32, copy=False)


def feature_names(dimension: int, vocabulary: Vocabulary, *, account: bool) -> list[str]:
    names = [f"embedding_{i}" for i in range(dimension)] + vocabulary.columns()
    return [*names, *ACCOUNT_SCORE_FEATURES] if account else names


def account_key(line: GLLine) -> tuple[str, str, str]:
    """Which account a line belongs to: one chart of accounts per company."""
    return (line.company, line.account_number, line.account_name)


@dataclass(frozen=True)
class Accounts:
    """The distinct accounts of some lines, in first-seen order, and each line's account index."""

    keys: list[tuple[str, str, str]]
    names: list[str]
    types: list[str]
    industries: list[str]
    of_line: np.ndarray

    @classmethod
    def of(cls, lines: Sequence[GLLine]) -> Accounts:
        index: dict[tuple[str, str, str], int] = {}
        first: list[GLLine] = []
        of_line = np.empty(len(lines), dtype=np.int64)
        for row, line in enumerate(lines):
            key = account_key(line)
            if key not in index:
                index[key] = len(first)
                first.append(line)
            of_line[row] = index[key]
        return cls(list(index), [line.account_name for line in first], [line.account_type for line in first],
                   [line.industry for line in first], of_line)

    def mean_by_account(self, values: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """The mean of ``values`` over each account's lines where ``mask`` holds (0 for none)."""
        totals = np.bincount(self.of_line[mask], weights=values[mask], minlength=len(self.keys))
        counts = np.bincount(self.of_line[mask], minlength=len(self.keys))
        return np.divide(totals, counts, out=np.zeros(len(self.keys)), where=counts > 0)

    def line_score_features(self, scores: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Per account, over its lines where ``mask`` holds: the ``ACCOUNT_SCORE_FEATURES``."""
        of_line, values = self.of_line[mask], np.clip(scores[mask], 0.0, 1.0)
        size = len(self.keys)
        counts = np.bincount(of_line, minlength=size)
        best = np.zeros(size)
        np.maximum.at(best, of_line, values)
        order = np.lexsort((-values, of_line))
        starts = np.r_[0, np.cumsum(counts)[:-1]]
        top = (np.arange(len(order)) - starts[of_line[order]]) < 3
        top_sum = np.bincount(of_line[order][top], weights=values[order][top], minlength=size)
        none = np.bincount(of_line, weights=np.log1p(-np.minimum(values, 1 - 1e-6)), minlength=size)
        company = np.unique([key[0] for key in self.keys], return_inverse=True)[1]
        company_lines = np.bincount(company, weights=counts)[company]
        return np.column_stack([
            self.mean_by_account(scores, mask), best, np.log1p(counts),
            np.divide(top_sum, np.minimum(counts, 3), out=np.zeros(size), where=counts > 0),
            np.bincount(of_line, weights=values, minlength=size), 1 - np.exp(none),
            np.divide(counts, company_lines, out=np.zeros(size), where=company_lines > 0)])

    def any_by_account(self, flags: np.ndarray) -> np.ndarray:
        return np.bincount(self.of_line[flags], minlength=len(self.keys)) > 0


def positive_mask(lines: Sequence[GLLine]) -> np.ndarray:
    """The lines scored as expenses: amount above zero."""
    return np.fromiter((line.amount > 0 for line in lines), dtype=bool, count=len(lines))
