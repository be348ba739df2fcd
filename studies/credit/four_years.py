"""The four-year view of seed 000's estimator: the current year and the three prior open years.

Each year where its QREs are known shows them and the Alternative Simplified Credit they would
give against that year's own three prior years (a prior year with no recorded QREs counts as
none, as the engine does for the current year: the 6% rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from studies.credit.asc import asc_credit
from studies.credit.inputs import CreditInputs

PRIOR_OPEN_YEARS = 3


@dataclass(frozen=True)
class YearFigures:
    year: int
    qres: Decimal | None
    gross_receipts: Decimal | None
    asc_credit: Decimal | None
    basis: str

    def as_json(self) -> dict[str, object]:
        return {"year": self.year, "qres": None if self.qres is None else str(self.qres),
                "gross_receipts": None if self.gross_receipts is None else str(self.gross_receipts),
                "asc_credit": None if self.asc_credit is None else str(self.asc_credit), "basis": self.basis}


def four_year_view(inputs: CreditInputs, current_qres: Decimal) -> list[YearFigures]:
    qres_by_year = {**inputs.history.qres, inputs.tax_year: current_qres}
    rows = []
    for year in range(inputs.tax_year - PRIOR_OPEN_YEARS, inputs.tax_year + 1):
        qres = qres_by_year.get(year)
        receipts = inputs.history.gross_receipts.get(year)
        if qres is None:
            rows.append(YearFigures(year, None, receipts, None, f"no QREs recorded for {year}"))
            continue
        priors = {y: v for y, v in qres_by_year.items() if year - 3 <= y < year}
        asc = asc_credit(qres, year, priors, reduced=inputs.elections.reduced_credit)
        rows.append(YearFigures(year, qres, receipts, asc.credit, asc.basis))
    return rows
