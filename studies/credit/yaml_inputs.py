"""The what-if inputs file (docs/credit-inputs.md): YAML -> :class:`CreditInputs`, naming any wrong key."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from studies.credit.inputs import (
    ACTIVITIES,
    Component,
    ContractInput,
    CreditInputs,
    Elections,
    ExpenseInput,
    History,
    InvalidCreditInput,
    OtherAmounts,
    WageFigure,
)
from studies.credit.yaml_activities import parse_activities
from studies.credit.yaml_values import (
    flag,
    mapping,
    money,
    optional_money,
    optional_text,
    text,
    whole_number,
)

TOP_KEYS = {
    "tax_year",
    "entity_type",
    "amended_return",
    "controlled_group",
    "ein",
    "business_activity_code",
    "method",
    "elections",
    "fixed_base_percentage",
    "gross_receipts",
    "prior_qres",
    "qres",
    "components",
    "other",
}
QRE_KEYS = {"wages", "officer_wages", "supplies", "computer_rental", "contract_research_paid"}
COMPONENT_KEYS = {
    "code",
    "name",
    "type",
    "software_category",
    "information_sought",
    "research_activities",
    "funded_reason",
    "wages",
    "supplies",
    "computer_rental",
    "contract_research_paid",
    "contractors",
    "activities",
}
CONTRACT_KEYS = {
    "name",
    "amount_paid",
    "org_type",
    "country",
    "rights_retained",
    "risk_borne",
    "energy_research",
    "excluded_reason",
}
ELECTION_KEYS = {"reduced_credit", "payroll", "prior_payroll_election_years", "payroll_other_ein"}
MONEY_OTHER = (
    "energy_consortia",
    "basic_research_payments",
    "qualified_org_base_period",
    "form_8932_wage_credit",
    "pass_through_credit",
    "beneficiaries_share",
    "credit_carryforward",
)
FLAG_OTHER = ("acquired_or_disposed", "new_expense_category", "asc_730_directive")


def load_inputs(path: Path) -> CreditInputs:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(file)"
        problem = getattr(exc, "problem", None) or "cannot be read"
        raise InvalidCreditInput(where, f"not valid YAML: {problem}") from exc
    return parse_inputs(data)


def parse_inputs(data: Any) -> CreditInputs:
    top = mapping(data, "(file)", TOP_KEYS)
    if "tax_year" not in top:
        raise InvalidCreditInput("tax_year", "is required")
    if ("qres" in top) == ("components" in top):
        raise InvalidCreditInput("qres", "give either qres (totals) or components, exactly one of them")
    components, figures, contracts, expenses = (
        _components(top["components"]) if "components" in top else _totals(top["qres"])
    )
    elections = mapping(top.get("elections", {}), "elections", ELECTION_KEYS)
    return CreditInputs(
        tax_year=whole_number(top["tax_year"], "tax_year"),
        history=History(
            _by_year(top.get("gross_receipts", {}), "gross_receipts"),
            _by_year(top.get("prior_qres", {}), "prior_qres"),
        ),
        components=components,
        wage_figures=figures,
        contractors=contracts,
        expenses=expenses,
        fixed_base_percentage=optional_money(top.get("fixed_base_percentage"), "fixed_base_percentage"),
        elections=Elections(
            method=text(top.get("method", "best"), "method"),
            reduced_credit=flag(elections.get("reduced_credit", False), "elections.reduced_credit"),
            payroll=flag(elections.get("payroll", False), "elections.payroll"),
            prior_payroll_election_years=whole_number(
                elections.get("prior_payroll_election_years", 0),
                "elections.prior_payroll_election_years",
            ),
            payroll_other_ein=flag(elections.get("payroll_other_ein", False), "elections.payroll_other_ein"),
        ),
        other=_other(top.get("other", {})),
        entity_type=text(top.get("entity_type", "c_corp"), "entity_type"),
        amended_return=flag(top.get("amended_return", False), "amended_return"),
        controlled_group=flag(top.get("controlled_group", False), "controlled_group"),
        ein=optional_text(top.get("ein"), "ein"),
        business_activity_code=optional_text(
            top.get("business_activity_code"), "business_activity_code"
        ),
    )


Parts = tuple[
    tuple[Component, ...], tuple[WageFigure, ...], tuple[ContractInput, ...], tuple[ExpenseInput, ...]
]


def _totals(value: Any) -> Parts:
    qres = mapping(value, "qres", QRE_KEYS)
    wages = money(qres.get("wages", 0), "qres.wages")
    officers = money(qres.get("officer_wages", 0), "qres.officer_wages")
    if officers > wages:
        raise InvalidCreditInput("qres.officer_wages", "is more than qres.wages")
    figures = [WageFigure("qres.wages", None, wages - officers)]
    if officers:
        figures.append(WageFigure("qres.officer_wages", None, officers, officer=True))
    contracts = (
        ContractInput(
            "qres.contract_research_paid",
            "contract research",
            money(qres.get("contract_research_paid", 0), "qres.contract_research_paid"),
        ),
    )
    return (), tuple(figures), contracts, _expenses(qres, "qres", None)


def _expenses(block: Mapping[str, Any], where: str, component: str | None) -> tuple[ExpenseInput, ...]:
    return tuple(
        ExpenseInput(
            f"{where}.{category}",
            category,
            money(block.get(category, 0), f"{where}.{category}"),
            component,
        )
        for category in ("supplies", "computer_rental")
        if category in block
    )


def _components(value: Any) -> Parts:
    if not isinstance(value, list) or not value:
        raise InvalidCreditInput("components", "must be a non-empty list")
    parts: list[Any] = [[], [], [], []]
    for index, item in enumerate(value):
        component, figures, contracts, expenses = _component(item, f"components[{index}]")
        parts[0].append(component)
        parts[1].extend(figures)
        parts[2].extend(contracts)
        parts[3].extend(expenses)
    return tuple(parts[0]), tuple(parts[1]), tuple(parts[2]), tuple(parts[3])


def _component(
    value: Any, where: str
) -> tuple[Component, list[WageFigure], list[ContractInput], tuple[ExpenseInput, ...]]:
    block = mapping(value, where, COMPONENT_KEYS)
    for key in ("code", "name"):
        if key not in block:
            raise InvalidCreditInput(f"{where}.{key}", "is required")
    code = text(block["code"], f"{where}.code")
    activities = block.get("research_activities", [])
    if not isinstance(activities, list):
        raise InvalidCreditInput(f"{where}.research_activities", "must be a list of texts")
    component = Component(
        code,
        text(block["name"], f"{where}.name"),
        text(block.get("type", "computer software"), f"{where}.type"),
        optional_text(block.get("software_category"), f"{where}.software_category"),
        text(block.get("information_sought", ""), f"{where}.information_sought"),
        tuple(text(a, f"{where}.research_activities") for a in activities),
        optional_text(block.get("funded_reason"), f"{where}.funded_reason"),
    )
    if "activities" in block:
        basis, levels = parse_activities(block["activities"], f"{where}.activities", component.name)
        component = replace(component, activity_basis=basis, activity_levels=levels)
    wages = mapping(block.get("wages", {}), f"{where}.wages", set(ACTIVITIES))
    figures = [
        WageFigure(f"{where}.wages.{kind}", code, money(amount, f"{where}.wages.{kind}"), kind)
        for kind, amount in wages.items()
    ]
    contracts: list[ContractInput] = []
    if "contract_research_paid" in block:
        paid = money(block["contract_research_paid"], f"{where}.contract_research_paid")
        contracts.append(ContractInput(f"{where}.contract_research_paid", "contract research", paid, code))
    for number, item in enumerate(block.get("contractors", []) or []):
        contracts.append(_contract(item, f"{where}.contractors[{number}]", code))
    return component, figures, contracts, _expenses(block, where, code)


def _contract(value: Any, where: str, code: str) -> ContractInput:
    block = mapping(value, where, CONTRACT_KEYS)
    return ContractInput(
        where,
        text(block.get("name", "contractor"), f"{where}.name"),
        money(block.get("amount_paid", 0), f"{where}.amount_paid"),
        code,
        country=text(block.get("country", "US"), f"{where}.country"),
        rights_retained=flag(block.get("rights_retained", True), f"{where}.rights_retained"),
        risk_borne=flag(block.get("risk_borne", True), f"{where}.risk_borne"),
        org_type=text(block.get("org_type", "other"), f"{where}.org_type"),
        energy_research=flag(block.get("energy_research", False), f"{where}.energy_research"),
        excluded_reason=optional_text(block.get("excluded_reason"), f"{where}.excluded_reason"),
    )


def _other(value: Any) -> OtherAmounts:
    block = mapping(value, "other", set(MONEY_OTHER) | set(FLAG_OTHER))
    values: dict[str, Any] = {k: money(block[k], f"other.{k}") for k in MONEY_OTHER if k in block}
    values.update({k: flag(block[k], f"other.{k}") for k in FLAG_OTHER if k in block})
    return OtherAmounts(**values)


def _by_year(value: Any, where: str) -> dict[int, Decimal]:
    if not isinstance(value, dict):
        raise InvalidCreditInput(where, "must map tax years to amounts, e.g. {2024: 100000}")
    return {
        whole_number(year, f"{where} key {year!r}"): money(amount, f"{where}[{year}]")
        for year, amount in value.items()
    }
