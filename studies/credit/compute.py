"""The whole engine in one call: inputs -> QRE schedules, both methods, the choice, payroll, Form 6765."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from studies.credit.asc import AscCredit, asc_credit
from studies.credit.component_tests import ComponentTest, component_tests, follow_claims
from studies.credit.form6765 import Form6765, build_form
from studies.credit.inputs import ZERO, CreditInputs
from studies.credit.method import MethodChoice, choose_method
from studies.credit.payroll import PayrollElection, payroll_election
from studies.credit.qres import qre_items
from studies.credit.regular import (
    FixedBase,
    RegularCredit,
    average_gross_receipts,
    given_fixed_base,
    regular_credit,
    startup_fixed_base,
)
from studies.credit.schedule import QreSchedule, build_schedule
from studies.credit.statement import RefundStatement, refund_statement
from studies.credit.tieout import TieOut, tie_out


@dataclass(frozen=True)
class CreditResult:
    inputs: CreditInputs
    schedule: QreSchedule
    regular: RegularCredit
    asc: AscCredit
    choice: MethodChoice
    payroll: PayrollElection
    form: Form6765
    tie_out: TieOut
    statement: RefundStatement | None
    tests: tuple[ComponentTest, ...] = ()

    def section_174(self) -> dict[str, object]:
        """Research costs beside the credit: domestic (§174A, deductible) and foreign (§174, 15 years)."""
        split = self.schedule.section_174()
        return {
            **{k: str(v) for k, v in split.items()},
            "basis": "research costs in the records before the §41 percentages (wages x time share, "
            "supplies and computer rental x qualified share, contract research as paid), foreign "
            "when the person, contractor or spend is outside the United States; §174 costs are "
            "broader than QREs",
        }

    def as_json(self) -> dict[str, object]:
        payroll = self.payroll
        return {
            "tax_year": self.inputs.tax_year,
            "form_6765": self.form.as_json(),
            "methods": {
                "regular": {
                    "credit": str(self.regular.credit),
                    "fixed_base_percentage": str(self.regular.line6),
                    "fixed_base_basis": self.regular.fixed_base.basis,
                    "gross_receipt_years": list(self.regular.receipt_years),
                    "base_floor_applies": self.regular.floor_applies,
                },
                "asc": {"credit": str(self.asc.credit), "basis": self.asc.basis},
                "chosen": self.choice.method,
                "credit": str(self.choice.credit),
                "reason": self.choice.reason,
                "reduced_credit_election": self.inputs.elections.reduced_credit,
            },
            "payroll": {
                "elected": payroll.elected,
                "eligible": payroll.eligibility.eligible,
                "reasons": list(payroll.eligibility.reasons),
                "limit": str(payroll.limit),
                "amount": str(payroll.line36),
                "against_social_security": str(payroll.against_social_security),
                "against_medicare": str(payroll.against_medicare),
                "note": payroll.note,
            },
            "substantially_all": [t.as_json() for t in self.tests],
            "section_174": self.section_174(),
            "schedules": self.schedule.as_json(),
            "tie_out": self.tie_out.as_json(),
            "refund_statement": self.statement.as_json() if self.statement else None,
        }


def fixed_base_for(inputs: CreditInputs, current_qres: Decimal) -> FixedBase:
    """The given fixed-base percentage, else the start-up rules applied to the history."""
    if inputs.fixed_base_percentage is not None:
        return given_fixed_base(inputs.fixed_base_percentage)
    return startup_fixed_base(
        inputs.tax_year, inputs.history.qres, inputs.history.gross_receipts, current_qres
    )


def compute(inputs: CreditInputs) -> CreditResult:
    tests = component_tests(inputs.components)
    schedule = build_schedule(follow_claims(qre_items(inputs), tests), inputs.components)
    qres, other, reduced = schedule.total, inputs.other, inputs.elections.reduced_credit
    extra = {
        "energy_consortia": other.energy_consortia,
        "basic_research": other.basic_research_payments,
        "qualified_org_base": other.qualified_org_base_period,
    }
    regular = regular_credit_for(inputs, schedule, extra)
    asc = asc_credit(qres, inputs.tax_year, inputs.history.qres, reduced=reduced, **extra)
    choice = choose_method(regular, asc, inputs.elections.method)
    line28 = max(choice.credit - other.form_8932_wage_credit, ZERO)
    payroll = payroll_election(
        inputs.tax_year,
        inputs.history.gross_receipts,
        line28,
        elected=inputs.elections.payroll,
        entity_type=inputs.entity_type,
        prior_election_years=inputs.elections.prior_payroll_election_years,
        other_ein=inputs.elections.payroll_other_ein,
        carryforward=other.credit_carryforward,
    )
    form = build_form(inputs, schedule, regular, asc, choice, payroll)
    statement = refund_statement(inputs, schedule) if inputs.amended_return else None
    return CreditResult(
        inputs, schedule, regular, asc, choice, payroll, form, tie_out(form, schedule), statement,
        tests,
    )


def regular_credit_for(
    inputs: CreditInputs, schedule: QreSchedule, extra: dict[str, Decimal]
) -> RegularCredit:
    fixed_base = fixed_base_for(inputs, schedule.total)
    receipts = average_gross_receipts(inputs.tax_year, inputs.history.gross_receipts)
    return regular_credit(
        schedule.total, fixed_base, receipts, reduced=inputs.elections.reduced_credit, **extra
    )
