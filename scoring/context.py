"""What the rest of a ledger says about a line: the inputs of the expense model's second stage.

A reviewer who meets a bare bank-feed string (``POS DEBIT AWS EMEA 84451``) in ``Cloud Hosting`` looks at
the same payee's other lines and at the account's other lines. The second stage does the same with the
first stage's text scores: per company, the mean and best text score of the line's account and of its
payee (overall and inside the account), how much of the ledger they hold, and the amount against the
payee's usual amount. None of these inputs names a vendor or a company, so they carry over to ledgers the
models never saw.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

from scoring.gl_import import GLLine

CONTEXT_FEATURES = (
    "text_score", "text_rank_in_account",
    "account_mean", "account_max", "account_log_lines", "account_share",
    "payee_mean", "payee_max", "payee_log_lines", "payee_log_accounts",
    "payee_account_mean", "payee_account_share",
    "company_mean", "log_amount", "amount_vs_payee", "amount_vs_account", "memo_words", "has_payee",
)

# Words bank feeds, card processors and bill tools add around a payee's name.
_FEED_WORDS = frozenset((
    "pos", "debit", "credit", "card", "purchase", "checkcard", "ach", "orig", "co", "name", "entry", "descr",
    "sec", "ccd", "ppd", "trace", "online", "payment", "payments", "recurring", "brex", "expensify", "ramp",
    "bill", "invoice", "inv", "vendor", "statement", "the", "inc", "llc", "corp", "ltd", "com", "www",
    "paid", "via", "to", "from", "pmt", "autopay", "authorized", "on", "sale", "wire", "transfer",
))
_WORD = re.compile(r"[a-z]{2,}")
_MEMO_WORD = re.compile(r"[A-Za-z]{3,}")
_STRING_CACHE = 65_536


# a ledger repeats its vendors and memos (monthly bills), so the string work is done once per distinct pair
@lru_cache(maxsize=_STRING_CACHE)
def payee_key(vendor: str, description: str) -> str:
    """A rough payee identity: the first two name words of the vendor column, else of the memo
    (``Amazon Web Services`` -> ``amazon web``; ``POS DEBIT AWS EMEA 84451`` -> ``aws emea``)."""
    source = vendor if vendor.strip() else description
    words = [word for word in _WORD.findall(source.lower()) if word not in _FEED_WORDS]
    return " ".join(words[:2])


def memo_words(line: GLLine, payee: str) -> int:
    """Words of the memo beyond the payee's name and feed boilerplate: how much the memo says."""
    return _memo_words(line.vendor, line.description, payee)


@lru_cache(maxsize=_STRING_CACHE)
def _memo_words(vendor: str, description: str, payee: str) -> int:
    known = set(_WORD.findall(vendor.lower())) | set(payee.split()) | _FEED_WORDS
    return sum(word.lower() not in known for word in _MEMO_WORD.findall(description))


class _Groups:
    """Lines grouped by a key: sums, counts and maxima per group, spread back to each line."""

    def __init__(self, keys: Sequence[object]) -> None:
        index: dict[object, int] = {}
        self.of_line = np.fromiter((index.setdefault(key, len(index)) for key in keys), dtype=np.int64,
                                   count=len(keys))
        self.size = len(index)
        self.counts = np.bincount(self.of_line, minlength=self.size).astype(np.float64)

    def mean(self, values: np.ndarray) -> np.ndarray:
        return (np.bincount(self.of_line, weights=values, minlength=self.size) / self.counts)[self.of_line]

    def max(self, values: np.ndarray) -> np.ndarray:
        best = np.full(self.size, -np.inf)
        np.maximum.at(best, self.of_line, values)
        return best[self.of_line]

    def count(self) -> np.ndarray:
        return self.counts[self.of_line]


def context_features(lines: Sequence[GLLine], text_scores: np.ndarray) -> np.ndarray:
    """A ``(len(lines), len(CONTEXT_FEATURES))`` float32 matrix for positive-amount ``lines`` (all of them,
    every company's lines together) and their first-stage ``text_scores``."""
    scores = np.asarray(text_scores, dtype=np.float64)
    if not len(lines):
        return np.zeros((0, len(CONTEXT_FEATURES)), dtype=np.float32)
    payees = [payee_key(line.vendor, line.description) for line in lines]
    # a line without a recognisable payee is a payee of its own
    payee_ids = [(line.company, key or f"\x00{row}") for row, (line, key) in enumerate(zip(lines, payees,
                                                                                           strict=True))]
    account_ids = [(line.company, line.account_number, line.account_name) for line in lines]
    company = _Groups([line.company for line in lines])
    account = _Groups(account_ids)
    payee = _Groups(payee_ids)
    payee_in_account = _Groups(list(zip(payee_ids, account_ids, strict=True)))
    distinct_accounts = np.bincount(payee.of_line, weights=1.0 / payee_in_account.count(),
                                    minlength=payee.size)[payee.of_line]
    log_amount = np.log1p(_floats(float(line.amount) for line in lines))
    return np.column_stack([
        scores, _rank_in_group(account, scores),
        account.mean(scores), account.max(scores), np.log1p(account.count()),
        account.count() / company.count(),
        payee.mean(scores), payee.max(scores), np.log1p(payee.count()), np.log(distinct_accounts),
        payee_in_account.mean(scores), payee_in_account.count() / payee.count(),
        company.mean(scores), log_amount, log_amount - payee.mean(log_amount),
        log_amount - account.mean(log_amount),
        _floats(memo_words(line, key) for line, key in zip(lines, payees, strict=True)),
        _floats(bool(key) for key in payees),
    ]).astype(np.float32)


def _floats(values: Iterable[float]) -> np.ndarray:
    return np.fromiter(values, dtype=np.float64)


def _rank_in_group(groups: _Groups, values: np.ndarray) -> np.ndarray:
    """Each value's rank among its group's values, from 0 (lowest) to 1 (highest); 1 alone."""
    order = np.lexsort((values, groups.of_line))
    starts = np.r_[0, np.cumsum(np.bincount(groups.of_line, minlength=groups.size))[:-1]]
    position = np.empty(len(values))
    position[order] = np.arange(len(values)) - starts[groups.of_line[order]]
    span = groups.count() - 1
    return np.divide(position, span, out=np.ones(len(values)), where=span > 0)
