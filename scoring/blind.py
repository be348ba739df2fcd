"""The accounts reviewed without model help, so future training labels are not all shaped by the model.

A share of each import's accounts is flagged ``blind_review``; their scores are not shown to reviewers.
The choice is deterministic per import: the accounts whose digest of (import, blob, number, name) sorts
first, so it is the same every time the import is looked at and cannot be steered by a reviewer.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence

from sqlalchemy.orm import Session

from scoring.models import GLAccount, GLImport

DEFAULT_BLIND_SHARE = 0.10


def validate_share(share: float) -> float:
    if not 0.0 <= share <= 1.0 or math.isnan(share):
        raise ValueError(f"the blind-review share must be between 0 and 1 (got {share})")
    return share


def blind_count(share: float, accounts: int) -> int:
    """How many of ``accounts`` are reviewed blind: at least one when the share is above zero."""
    if share <= 0 or accounts == 0:
        return 0
    return min(accounts, max(1, round(share * accounts)))


def choose_blind_accounts(session: Session, gl_import: GLImport, accounts: Sequence[GLAccount],
                          share: float) -> list[GLAccount]:
    """Flag ``share`` of ``accounts`` (at least one when above zero) for blind review; returns them."""
    validate_share(share)
    ordered = sorted(accounts, key=lambda account: _digest(gl_import, account))
    chosen = ordered[:blind_count(share, len(accounts))]
    chosen_keys = {id(account) for account in chosen}
    for account in accounts:
        account.blind_review = id(account) in chosen_keys
    session.flush()
    return chosen


def _digest(gl_import: GLImport, account: GLAccount) -> str:
    key = f"{gl_import.id}\x1f{gl_import.blob_sha256}\x1f{account.number}\x1f{account.name}"
    return hashlib.sha256(key.encode()).hexdigest()
