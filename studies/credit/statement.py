"""The statement a refund claim (amended return) must carry for the research credit.

Since June 2024: the business components, the research activities of each, and the total qualified
wages, supplies and contract research; optionally the people who did the research and the
information each sought to discover. The taxpayer signs the return under penalties of perjury.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from studies.credit.inputs import CreditInputs
from studies.credit.money import dollars
from studies.credit.schedule import QreSchedule

DECLARATION = (
    "Under penalties of perjury, I declare that I have examined this claim, including this "
    "statement, and to the best of my knowledge and belief it is true, correct and complete."
)


@dataclass(frozen=True)
class Person:
    name: str
    component: str
    information_sought: str = ""


@dataclass(frozen=True)
class ComponentStatement:
    code: str
    name: str
    research_activities: tuple[str, ...]
    information_sought: str
    wages: Decimal
    supplies: Decimal
    computer_rental: Decimal
    contract_research: Decimal


@dataclass(frozen=True)
class RefundStatement:
    tax_year: int
    components: tuple[ComponentStatement, ...]
    total_wages: Decimal
    total_supplies: Decimal
    total_computer_rental: Decimal
    total_contract_research: Decimal
    people: tuple[Person, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {
            "tax_year": self.tax_year,
            "declaration": DECLARATION,
            "total_wages": str(self.total_wages),
            "total_supplies": str(self.total_supplies),
            "total_computer_rental": str(self.total_computer_rental),
            "total_contract_research": str(self.total_contract_research),
            "components": [
                {
                    "code": c.code,
                    "name": c.name,
                    "research_activities": list(c.research_activities),
                    "information_sought": c.information_sought,
                    "wages": str(c.wages),
                    "supplies": str(c.supplies),
                    "computer_rental": str(c.computer_rental),
                    "contract_research": str(c.contract_research),
                }
                for c in self.components
            ],
            "people": [
                {"name": p.name, "component": p.component, "information_sought": p.information_sought}
                for p in self.people
            ],
        }

    def as_markdown(self) -> str:
        out = [
            f"# Research credit refund claim: statement for tax year {self.tax_year}",
            "",
            f"Total qualified wages: ${dollars(self.total_wages)}; "
            f"supplies: ${dollars(self.total_supplies)}; "
            f"computer rental: ${dollars(self.total_computer_rental)}; contract research: "
            f"${dollars(self.total_contract_research)}.",
            "",
        ]
        for c in self.components:
            out += [
                f"## {c.name} ({c.code})",
                "",
                f"Information sought: {c.information_sought or '(not recorded)'}",
                "",
                "Research activities:",
                *[f"- {a}" for a in c.research_activities or ("(not recorded)",)],
                "",
                f"Wages ${dollars(c.wages)}, supplies ${dollars(c.supplies)}, computer rental "
                f"${dollars(c.computer_rental)}, contract research ${dollars(c.contract_research)}.",
                "",
            ]
        if self.people:
            out += [
                "## People",
                "",
                *[f"- {p.name} ({p.component}): {p.information_sought}" for p in self.people],
                "",
            ]
        return "\n".join([*out, DECLARATION, ""])


def refund_statement(
    inputs: CreditInputs, schedule: QreSchedule, people: tuple[Person, ...] = ()
) -> RefundStatement:
    rows = tuple(
        ComponentStatement(
            c.code or "",
            c.name,
            c.component.research_activities if c.component else (),
            c.component.information_sought if c.component else "",
            c.category("wages"),
            c.category("supplies"),
            c.category("computer_rental"),
            c.category("contract_research"),
        )
        for c in schedule.components
        if c.total > 0
    )
    return RefundStatement(
        inputs.tax_year,
        rows,
        schedule.category("wages"),
        schedule.category("supplies"),
        schedule.category("computer_rental"),
        schedule.category("contract_research"),
        people,
    )
