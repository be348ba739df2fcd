"""Choosing between the Regular credit and the ASC, with a one-sentence reason."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from studies.credit.asc import AscCredit
from studies.credit.money import dollars
from studies.credit.regular import RegularCredit


@dataclass(frozen=True)
class MethodChoice:
    method: str  # "regular" or "asc"
    credit: Decimal
    reason: str


def choose_method(regular: RegularCredit, asc: AscCredit, requested: str) -> MethodChoice:
    both = f"Regular ${dollars(regular.credit)}, ASC ${dollars(asc.credit)}"
    if requested == "regular":
        return MethodChoice("regular", regular.credit, f"The study elects the Regular credit ({both}).")
    if requested == "asc":
        return MethodChoice(
            "asc", asc.credit, f"The study elects the Alternative Simplified Credit ({both})."
        )
    if regular.credit > asc.credit:
        return MethodChoice("regular", regular.credit, f"The Regular credit yields more ({both}).")
    if regular.credit == asc.credit:
        return MethodChoice(
            "asc",
            asc.credit,
            f"Both methods yield the same ({both}); the ASC is chosen because "
            "it needs no base-period gross receipts to substantiate.",
        )
    return MethodChoice("asc", asc.credit, f"The Alternative Simplified Credit yields more ({both}).")
