"""The scoping estimate of a new study (seed 000's estimator), always labelled an estimate.

From the company type (sub-sector) and total W-2 wages: a range of the federal credit, the
four-year look-back range, the quick qualification check, and the credit against an equal
deduction for the entity type. The ratios are data (``studies/data/scoping_ratios.yaml``),
each with its stated basis; the computed figures replace the estimate as the study fills.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from studies.credit.inputs import InvalidCreditInput
from studies.credit.money import cents

RATIOS_PATH = Path(__file__).resolve().parent.parent / "data" / "scoping_ratios.yaml"
LABEL = "Estimate"


@dataclass(frozen=True)
class Range:
    low: Decimal
    high: Decimal

    def times(self, factor: Decimal) -> Range:
        return Range(cents(self.low * factor), cents(self.high * factor))

    def as_json(self) -> dict[str, str]:
        return {"low": str(self.low), "high": str(self.high)}


@dataclass(frozen=True)
class Question:
    key: str
    text: str


@dataclass(frozen=True)
class ScopingRatios:
    credit_rate: Range
    credit_basis: str
    look_back_years: int
    qre_shares: Mapping[str, tuple[Range, str]]
    deduction_rates: Mapping[str, tuple[Decimal, str]]
    quick_check: tuple[Question, ...]


@dataclass(frozen=True)
class ScopingEstimate:
    sub_sector: str
    wages: Decimal
    entity_type: str
    qres: Range
    credit: Range
    look_back: Range
    deduction_rate: Decimal
    deduction_value: Range  # what a deduction of the same amount as the credit would save
    answers: Mapping[str, bool | None]
    basis: tuple[str, ...]
    label: str = LABEL

    @property
    def qualifies(self) -> bool | None:
        """True when every quick-check answer is yes, False when any is no, None until all are answered."""
        if any(answer is False for answer in self.answers.values()):
            return False
        return True if all(answer is True for answer in self.answers.values()) else None

    def as_json(self) -> dict[str, Any]:
        return {"label": self.label, "sub_sector": self.sub_sector, "wages": str(self.wages),
                "entity_type": self.entity_type, "qres": self.qres.as_json(), "credit": self.credit.as_json(),
                "look_back": self.look_back.as_json(), "deduction_rate": str(self.deduction_rate),
                "equal_deduction_saves": self.deduction_value.as_json(), "answers": dict(self.answers),
                "qualifies": self.qualifies, "basis": list(self.basis)}


@cache
def scoping_ratios(path: Path = RATIOS_PATH) -> ScopingRatios:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    rate = raw["credit_rate"]
    return ScopingRatios(
        credit_rate=Range(Decimal(rate["low"]), Decimal(rate["high"])), credit_basis=rate["basis"],
        look_back_years=int(raw["look_back_years"]),
        qre_shares={code: (Range(Decimal(v["low"]), Decimal(v["high"])), v["basis"])
                    for code, v in raw["qre_share_of_wages"].items()},
        deduction_rates={code: (Decimal(v["rate"]), v["basis"]) for code, v in raw["deduction_rate"].items()},
        quick_check=tuple(Question(q["key"], q["text"]) for q in raw["quick_check"]))


def scoping_estimate(sub_sector: str, wages: Decimal, entity_type: str = "c_corp",
                     answers: Mapping[str, bool | None] | None = None,
                     ratios: ScopingRatios | None = None) -> ScopingEstimate:
    ratios = ratios or scoping_ratios()
    if sub_sector not in ratios.qre_shares:
        raise InvalidCreditInput("sub_sector", f"{sub_sector!r} is not one of {', '.join(ratios.qre_shares)}")
    if entity_type not in ratios.deduction_rates:
        raise InvalidCreditInput("entity_type",
                                 f"{entity_type!r} is not one of {', '.join(ratios.deduction_rates)}")
    if wages < 0:
        raise InvalidCreditInput("wages", "must not be negative")
    share, share_basis = ratios.qre_shares[sub_sector]
    qres = Range(cents(wages * share.low), cents(wages * share.high))
    credit = Range(cents(qres.low * ratios.credit_rate.low), cents(qres.high * ratios.credit_rate.high))
    look_back = credit.times(Decimal(1 + ratios.look_back_years))
    rate, rate_basis = ratios.deduction_rates[entity_type]
    given = answers or {}
    return ScopingEstimate(
        sub_sector, wages, entity_type, qres, credit, look_back, rate, credit.times(rate),
        {q.key: given.get(q.key) for q in ratios.quick_check},
        (f"Wage QREs {share.low:.0%}-{share.high:.0%} of W-2 wages: {share_basis}", ratios.credit_basis,
         f"Look-back: the current year and {ratios.look_back_years} prior open years at the same wages.",
         f"Equal deduction at {rate:.0%}: {rate_basis}",
         "W-2 wages only: qualifying compute, supplies and U.S. contractors would add to it."))
