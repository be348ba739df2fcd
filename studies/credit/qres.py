"""QRE items: every qualified (or excluded) amount with the records it came from and the rule used.

Wages (§41(b)(2)): W-2 wages x the allocated share per component and activity; a person whose
qualified services are 80% or more of the total counts at 100% (Treas. Reg. §1.41-2(d)(2)), the
allocations scaled up in proportion. Supplies and computer rental: amount x qualified share.
Contract research: amounts paid x the share :func:`contract_share` gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from studies.credit.contracts import contract_share
from studies.credit.inputs import (
    HUNDRED,
    ZERO,
    Component,
    ContractInput,
    CreditInputs,
    EmployeeInput,
    ExpenseInput,
    WageFigure,
    is_domestic,
)
from studies.credit.money import cents

SUBSTANTIALLY_ALL = Decimal(80)
CATEGORIES = ("wages", "supplies", "computer_rental", "contract_research")


@dataclass(frozen=True)
class QreItem:
    """One figure of the schedule. ``cost`` is the research cost before the §41 percentages."""

    category: str
    component: str | None
    amount: Decimal
    cost: Decimal
    basis: str
    sources: tuple[str, ...]
    activity: str | None = None
    officer: bool = False
    domestic: bool = True
    excluded_reason: str | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "category": self.category,
            "component": self.component,
            "activity": self.activity,
            "amount": str(self.amount),
            "cost": str(self.cost),
            "basis": self.basis,
            "sources": list(self.sources),
            "officer": self.officer,
            "domestic": self.domestic,
            "excluded_reason": self.excluded_reason,
        }


def qre_items(inputs: CreditInputs) -> list[QreItem]:
    components = {c.code: c for c in inputs.components}
    items: list[QreItem] = []
    for employee in inputs.employees:
        items.extend(employee_items(employee, components))
    items.extend(figure_item(figure, components) for figure in inputs.wage_figures)
    items.extend(contract_item(c, components.get(c.component or "")) for c in inputs.contractors)
    items.extend(expense_item(e, components.get(e.component or "")) for e in inputs.expenses)
    return items


def _funded(component: Component | None) -> str | None:
    if component is not None and component.funded_reason:
        return f"excluded: funded research (§41(d)(4)(H)): {component.funded_reason}"
    return None


def employee_items(employee: EmployeeInput, components: dict[str, Component]) -> list[QreItem]:
    who = f"employee {employee.ref} {employee.name}"
    reasons = [
        _employee_exclusion(employee) or _funded(components[a.component]) for a in employee.allocations
    ]
    qualified = sum(
        (a.percent for a, r in zip(employee.allocations, reasons, strict=True) if r is None), ZERO
    )
    scale = HUNDRED / qualified if qualified >= SUBSTANTIALLY_ALL else Decimal(1)
    items = []
    for allocation, reason in zip(employee.allocations, reasons, strict=True):
        cost = cents(employee.w2_wages * allocation.percent / HUNDRED)
        share = allocation.percent * scale
        amount = ZERO if reason else cents(employee.w2_wages * share / HUNDRED)
        basis = f"{allocation.percent}% of W-2 wages {employee.w2_wages}"
        if reason is None and scale != 1:
            basis += (
                f"; substantially all: {qualified}% of services qualify (>= 80%), so 100% of wages "
                f"count and this allocation is scaled to {share.quantize(Decimal('0.01'))}%"
            )
        source = (
            f"allocation {allocation.ref} {allocation.component} {allocation.activity} "
            f"{allocation.percent}%" + (f" ({allocation.source})" if allocation.source else "")
        )
        items.append(
            QreItem(
                "wages",
                allocation.component,
                amount,
                cost,
                basis,
                (who, source),
                activity=allocation.activity,
                officer=employee.officer,
                domestic=is_domestic(employee.country),
                excluded_reason=reason,
            )
        )
    return _fix_rounding(items, employee, scale)


def _employee_exclusion(employee: EmployeeInput) -> str | None:
    if not is_domestic(employee.country):
        return (
            f"excluded: services performed outside the United States ({employee.country}), §41(d)(4)(F)"
        )
    return None


def _fix_rounding(items: list[QreItem], employee: EmployeeInput, scale: Decimal) -> list[QreItem]:
    """Under the 80% rule the counted wages equal the W-2 wages exactly; a cent of rounding goes last."""
    counted = [i for i in items if i.excluded_reason is None]
    if scale == 1 or not counted:
        return items
    gap = employee.w2_wages - sum((i.amount for i in counted), ZERO)
    if gap == 0:
        return items
    last = counted[-1]
    fixed = QreItem(
        last.category,
        last.component,
        last.amount + gap,
        last.cost,
        last.basis,
        last.sources,
        last.activity,
        last.officer,
        last.domestic,
        last.excluded_reason,
    )
    return [fixed if i is last else i for i in items]


def figure_item(figure: WageFigure, components: dict[str, Component]) -> QreItem:
    reason = _funded(components.get(figure.component or ""))
    return QreItem(
        "wages",
        figure.component,
        ZERO if reason else cents(figure.amount),
        cents(figure.amount),
        "qualified wages as given",
        (f"inputs {figure.ref}",),
        activity=figure.activity,
        officer=figure.officer,
        excluded_reason=reason,
    )


def contract_item(contract: ContractInput, component: Component | None) -> QreItem:
    share = contract_share(contract, component)
    amount = cents(contract.amount_paid * share.share)
    basis = f"{share.reason}; amount paid {contract.amount_paid}"
    return QreItem(
        "contract_research",
        contract.component,
        amount,
        cents(contract.amount_paid),
        basis,
        (f"contractor {contract.ref} {contract.name}",),
        domestic=is_domestic(contract.country),
        excluded_reason=share.reason if share.excluded else None,
    )


def expense_item(expense: ExpenseInput, component: Component | None) -> QreItem:
    cost = cents(expense.amount * expense.qualified_share / HUNDRED)
    reason = _funded(component)
    if not is_domestic(expense.country):
        reason = (
            f"excluded: used in research outside the United States ({expense.country}), §41(d)(4)(F)"
        )
    basis = f"{expense.qualified_share}% qualified share of {expense.amount}"
    label = f"expense {expense.ref}" + (f" {expense.label}" if expense.label else "")
    return QreItem(
        expense.category,
        expense.component,
        ZERO if reason else cost,
        cost,
        basis,
        (label,),
        domestic=is_domestic(expense.country),
        excluded_reason=reason,
    )
