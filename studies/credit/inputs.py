"""The engine's inputs: frozen records with Decimal money, refused when negative or out of range.

Percents of time and qualified shares are 0-100; the fixed-base percentage is a fraction (0.03).
Every check names the field that is wrong, e.g. ``employees[2].w2_wages``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

ACTIVITIES = ("direct_research", "direct_supervision", "direct_support")
EXPENSE_CATEGORIES = ("supplies", "computer_rental")
ORG_TYPES = (
    "other",
    "qualified_research_consortium",
    "eligible_small_business",
    "university",
    "federal_laboratory",
)
METHODS = ("best", "regular", "asc")
ENTITY_TYPES = ("c_corp", "s_corp", "partnership", "llc", "sole_proprietor")
PASS_THROUGH = ("s_corp", "partnership")
# §41(d)(4)(F): research outside the United States, Puerto Rico or a US possession is excluded.
DOMESTIC_COUNTRIES = frozenset({"US", "PR", "GU", "VI", "AS", "MP", "UM"})


class InvalidCreditInput(ValueError):
    """An input the engine refuses; ``field`` names the key or attribute that is wrong."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


def non_negative(value: Decimal, where: str) -> None:
    if value < ZERO:
        raise InvalidCreditInput(where, f"must not be negative (got {value})")


def percent_0_100(value: Decimal, where: str) -> None:
    if not ZERO <= value <= HUNDRED:
        raise InvalidCreditInput(where, f"must be a percent from 0 to 100 (got {value})")


def one_of(value: str, allowed: tuple[str, ...], where: str) -> None:
    if value not in allowed:
        raise InvalidCreditInput(where, f"must be one of {', '.join(allowed)} (got {value!r})")


def is_domestic(country: str) -> bool:
    return country.upper() in DOMESTIC_COUNTRIES


@dataclass(frozen=True)
class Activity:
    """One activity of a component, measured on the declared basis (hours or cost)."""

    label: str
    measure: Decimal
    experimentation: bool
    source: str = ""


@dataclass(frozen=True)
class ActivityLevel:
    """A set of a component's activities the "substantially all" test is applied to.

    The first level is the whole component; later ones are its ever smaller subsets, in the
    order the shrinking-back rule tests them (e.g. the custom layer above a vendor model).
    """

    subject: str
    activities: tuple[Activity, ...]


@dataclass(frozen=True)
class Component:
    """A business component (project) as Form 6765 Section G and the refund statement need it."""

    code: str
    name: str
    component_type: str = "computer software"
    software_category: str | None = None
    information_sought: str = ""
    research_activities: tuple[str, ...] = ()
    funded_reason: str | None = None  # set when the research is funded by another (§41(d)(4)(H))
    activity_basis: str | None = None  # "hours" or "cost"; None: the 80% test is not measured
    activity_levels: tuple[ActivityLevel, ...] = ()
    unconfirmed_activities: int = 0  # proposed lines nobody confirmed yet (left out of the test)


@dataclass(frozen=True)
class Allocation:
    """A share of an employee's time on one component and activity, with its source."""

    ref: str
    component: str
    percent: Decimal
    activity: str = "direct_research"
    source: str = ""

    def check(self, where: str) -> None:
        percent_0_100(self.percent, f"{where}.percent")
        one_of(self.activity, ACTIVITIES, f"{where}.activity")


@dataclass(frozen=True)
class EmployeeInput:
    ref: str
    name: str
    w2_wages: Decimal
    allocations: tuple[Allocation, ...] = ()
    country: str = "US"
    officer: bool = False

    def check(self, where: str) -> None:
        non_negative(self.w2_wages, f"{where}.w2_wages")
        for index, allocation in enumerate(self.allocations):
            allocation.check(f"{where}.allocations[{index}]")
        total = sum((a.percent for a in self.allocations), ZERO)
        if total > HUNDRED:
            raise InvalidCreditInput(f"{where}.allocations", f"add up to {total}%, more than 100%")


@dataclass(frozen=True)
class WageFigure:
    """Qualified wages given as a figure (the what-if inputs file), not built from an employee."""

    ref: str
    component: str | None
    amount: Decimal
    activity: str = "direct_research"
    officer: bool = False

    def check(self, where: str) -> None:
        non_negative(self.amount, where)
        one_of(self.activity, ACTIVITIES, f"{where}.activity")


@dataclass(frozen=True)
class ContractInput:
    """Amounts paid to a non-employee for research on the taxpayer's behalf (§41(b)(3))."""

    ref: str
    name: str
    amount_paid: Decimal
    component: str | None = None
    country: str = "US"
    rights_retained: bool = True
    risk_borne: bool = True
    org_type: str = "other"
    energy_research: bool = False
    excluded_reason: str | None = None

    def check(self, where: str) -> None:
        non_negative(self.amount_paid, f"{where}.amount_paid")
        one_of(self.org_type, ORG_TYPES, f"{where}.org_type")


@dataclass(frozen=True)
class ExpenseInput:
    """A supply or computer-rental amount with the share of it used in qualified research."""

    ref: str
    category: str
    amount: Decimal
    component: str | None = None
    qualified_share: Decimal = HUNDRED
    country: str = "US"
    label: str = ""

    def check(self, where: str) -> None:
        one_of(self.category, EXPENSE_CATEGORIES, f"{where}.category")
        non_negative(self.amount, f"{where}.amount")
        percent_0_100(self.qualified_share, f"{where}.qualified_share")


@dataclass(frozen=True)
class History:
    """Gross receipts and QREs by tax year (prior years; the current year's receipts too)."""

    gross_receipts: Mapping[int, Decimal] = field(default_factory=dict)
    qres: Mapping[int, Decimal] = field(default_factory=dict)

    def check(self) -> None:
        for year, amount in self.gross_receipts.items():
            non_negative(amount, f"gross_receipts[{year}]")
        for year, amount in self.qres.items():
            non_negative(amount, f"prior_qres[{year}]")


@dataclass(frozen=True)
class Elections:
    method: str = "best"
    reduced_credit: bool = False  # §280C(c)
    payroll: bool = False  # §41(h)
    prior_payroll_election_years: int = 0
    payroll_other_ein: bool = False  # line 33b: payroll tax is reported on a different EIN

    def check(self) -> None:
        one_of(self.method, METHODS, "elections.method")
        if self.prior_payroll_election_years < 0:
            raise InvalidCreditInput("elections.prior_payroll_election_years", "must not be negative")


@dataclass(frozen=True)
class OtherAmounts:
    """Form lines Fourpart does not derive from records; zero or blank unless given."""

    energy_consortia: Decimal = ZERO  # lines 1 and 14
    basic_research_payments: Decimal = ZERO  # lines 2 and 15
    qualified_org_base_period: Decimal = ZERO  # lines 3 and 16
    form_8932_wage_credit: Decimal = ZERO  # line 27
    pass_through_credit: Decimal = ZERO  # line 29
    beneficiaries_share: Decimal = ZERO  # line 31 (estates and trusts)
    credit_carryforward: Decimal | None = None  # line 35, from the instructions' worksheet
    acquired_or_disposed: bool = False  # line 39
    new_expense_category: bool = False  # line 40
    asc_730_directive: bool = False  # line 41

    def check(self) -> None:
        for name in (
            "energy_consortia",
            "basic_research_payments",
            "qualified_org_base_period",
            "form_8932_wage_credit",
            "pass_through_credit",
            "beneficiaries_share",
        ):
            non_negative(getattr(self, name), name)
        if self.credit_carryforward is not None:
            non_negative(self.credit_carryforward, "credit_carryforward")


@dataclass(frozen=True)
class CreditInputs:
    tax_year: int
    history: History = field(default_factory=History)
    components: tuple[Component, ...] = ()
    employees: tuple[EmployeeInput, ...] = ()
    wage_figures: tuple[WageFigure, ...] = ()
    contractors: tuple[ContractInput, ...] = ()
    expenses: tuple[ExpenseInput, ...] = ()
    fixed_base_percentage: Decimal | None = None  # None: the start-up rules from the history
    elections: Elections = field(default_factory=Elections)
    other: OtherAmounts = field(default_factory=OtherAmounts)
    entity_type: str = "c_corp"
    amended_return: bool = False
    controlled_group: bool = False
    ein: str | None = None
    business_activity_code: str | None = None

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        if not 1994 <= self.tax_year <= 2100:
            raise InvalidCreditInput("tax_year", f"{self.tax_year} is out of range (1994-2100)")
        one_of(self.entity_type, ENTITY_TYPES, "entity_type")
        if self.fixed_base_percentage is not None and not ZERO <= self.fixed_base_percentage <= 1:
            raise InvalidCreditInput(
                "fixed_base_percentage",
                f"must be a fraction from 0 to 1, e.g. 0.03 (got {self.fixed_base_percentage})",
            )
        self.history.check()
        self.elections.check()
        self.other.check()
        self._check_records()

    def _check_records(self) -> None:
        codes = [c.code for c in self.components]
        duplicates = {code for code in codes if codes.count(code) > 1}
        if duplicates:
            raise InvalidCreditInput("components", f"code {sorted(duplicates)[0]!r} is given twice")
        for index, employee in enumerate(self.employees):
            employee.check(f"employees[{index}]")
            for number, allocation in enumerate(employee.allocations):
                self._known(allocation.component, f"employees[{index}].allocations[{number}].component")
        for index, figure in enumerate(self.wage_figures):
            figure.check(f"wages[{index}]")
            self._known(figure.component, f"wages[{index}].component")
        for index, contract in enumerate(self.contractors):
            contract.check(f"contractors[{index}]")
            self._known(contract.component, f"contractors[{index}].component")
        for index, expense in enumerate(self.expenses):
            expense.check(f"expenses[{index}]")
            self._known(expense.component, f"expenses[{index}].component")

    def _known(self, code: str | None, where: str) -> None:
        if code is not None and code not in {c.code for c in self.components}:
            raise InvalidCreditInput(where, f"no business component with the code {code!r}")

    def component(self, code: str) -> Component:
        return next(c for c in self.components if c.code == code)
