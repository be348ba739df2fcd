"""What the models embed for a line and for an account: the text recipes.

A model's card names the recipe it was trained with (``embedding.text_recipe``; cards from before recipes
were recorded used recipe 1), and it is always scored with that recipe, so a change here never moves the
scores of a model already trained.

- Recipe 1: ``account_name | description | vendor``, white space collapsed.
- Recipe 2: the same parts without what changes from one bill to the next and says nothing of the work:
  dates (``10/22``, ``2025-03``), and any word with four digits or more (invoice, trace and card numbers,
  account numbers such as ``6100 ·``, years), except ``1099``, the US contractor's tax form. Short model and
  product codes stay (``H100``, ``EC2``, ``p4d.24xlarge``, ``401(k)``). Monthly bills then share one text
  instead of one per invoice, and the embedding reads words rather than reference numbers. The vendor is
  left out where the memo already names it (bank feeds and bill memos mostly do).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from scoring.gl_import import GLLine

CURRENT_TEXT_RECIPE = 2  # what ``fourpart gl train`` writes into new cards

_SPACES = re.compile(r"\s+")
_DATES = re.compile(r"(?<![\w/])\d{1,4}[/-]\d{1,2}(?:[/-]\d{2,4})?(?![\w/])")
_WORDS = re.compile(r"\S+")
_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")
_KEPT_NUMBERS = frozenset({"1099"})
_ACCOUNT_NUMBER_SEPARATOR = "·"  # QuickBooks: "6100 · R&D:6135 · Software"


@lru_cache(maxsize=65_536)  # ledgers repeat their lines' texts (monthly bills)
def expense_text(account_name: str, description: str, vendor: str, recipe: int) -> str:
    """What the expense model embeds for one line."""
    clean = _cleaner(recipe)
    parts = [clean(account_name), clean(description), clean(vendor)]
    if recipe == 2 and parts[2] and _letters_and_digits(parts[2]) in _letters_and_digits(parts[1]):
        parts[2] = ""  # the memo already names the payee ("MOSS ADAMS LLP | Moss Adams Llp")
    return " | ".join(part for part in parts if part)


def account_text(account_name: str, recipe: int) -> str:
    """What the account model embeds for one account."""
    return _cleaner(recipe)(account_name)


def expense_texts(lines: Sequence[GLLine], recipe: int) -> list[str]:
    return [expense_text(line.account_name, line.description, line.vendor, recipe) for line in lines]


def positive_line_texts(lines: Sequence[GLLine], recipe: int) -> list[str]:
    """The expense texts of the positive-amount lines, then those lines' account names (training's and the
    benchmark's strings to embed)."""
    positive = [line for line in lines if line.amount > 0]
    return expense_texts(positive, recipe) + [account_text(line.account_name, recipe) for line in positive]


def _cleaner(recipe: int) -> Callable[[str], str]:
    try:
        return _CLEANERS[recipe]
    except KeyError:
        known = ", ".join(map(str, _CLEANERS))
        raise ValueError(f"unknown text recipe {recipe!r} (this code knows {known})") from None


def _collapse_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _without_numbers(text: str) -> str:
    # "Go-to-Market:6520" is two words to an accountant: split after colons before judging words
    words = _WORDS.findall(_DATES.sub(" ", text).replace(":", ": "))
    return " ".join(word for word in words if _is_kept(word))


def _letters_and_digits(text: str) -> str:
    return _NOT_ALPHANUMERIC.sub("", text.lower())


def _is_kept(word: str) -> bool:
    if word == _ACCOUNT_NUMBER_SEPARATOR:
        return False
    return word in _KEPT_NUMBERS or sum(char.isdigit() for char in word) < 4


_CLEANERS: dict[int, Callable[[str], str]] = {1: _collapse_spaces, 2: _without_numbers}
