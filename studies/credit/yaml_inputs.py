"""The what-if inputs file (docs/credit-inputs.md): YAML -> :class:`CreditInputs`, naming any wrong key."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
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
    top = _mapping(data, "(file)", TOP_KEYS)
    if "tax_year" not in top:
        raise InvalidCreditInput("tax_year", "is required")
    if ("qres" in top) == ("components" in top):
        raise InvalidCreditInput("qres", "give either qres (totals) or components, exactly one of them")
    components, figures, contracts, expenses = (
        _components(top["components"]) if "components" in top else _totals(top["qres"])
    )
    elections = _mapping(top.get("elections", {}), "elections", ELECTION_KEYS)
    return CreditInputs(
        tax_year=_int(top["tax_year"], "tax_year"),
        history=History(
            _by_year(top.get("gross_receipts", {}), "gross_receipts"),
            _by_year(top.get("prior_qres", {}), "prior_qres"),
        ),
        components=components,
        wage_figures=figures,
        contractors=contracts,
        expenses=expenses,
        fixed_base_percentage=_optional_money(top.get("fixed_base_percentage"), "fixed_base_percentage"),
        elections=Elections(
            method=_text(top.get("method", "best"), "method"),
            reduced_credit=_flag(elections.get("reduced_credit", False), "elections.reduced_credit"),
            payroll=_flag(elections.get("payroll", False), "elections.payroll"),
            prior_payroll_election_years=_int(
                elections.get("prior_payroll_election_years", 0),
                "elections.prior_payroll_election_years",
            ),
            payroll_other_ein=_flag(elections.get("payroll_other_ein", False), "elections.payroll_other_ein"),
        ),
        other=_other(top.get("other", {})),
        entity_type=_text(top.get("entity_type", "c_corp"), "entity_type"),
        amended_return=_flag(top.get("amended_return", False), "amended_return"),
        controlled_group=_flag(top.get("controlled_group", False), "controlled_group"),
        ein=_optional_text(top.get("ein"), "ein"),
        business_activity_code=_optional_text(
            top.get("business_activity_code"), "business_activity_code"
        ),
    )


Parts = tuple[
    tuple[Component, ...], tuple[WageFigure, ...], tuple[ContractInput, ...], tuple[ExpenseInput, ...]
]


def _totals(value: Any) -> Parts:
    qres = _mapping(value, "qres", QRE_KEYS)
    wages = _money(qres.get("wages", 0), "qres.wages")
    officers = _money(qres.get("officer_wages", 0), "qres.officer_wages")
    if officers > wages:
        raise InvalidCreditInput("qres.officer_wages", "is more than qres.wages")
    figures = [WageFigure("qres.wages", None, wages - officers)]
    if officers:
        figures.append(WageFigure("qres.officer_wages", None, officers, officer=True))
    contracts = (
        ContractInput(
            "qres.contract_research_paid",
            "contract research",
            _money(qres.get("contract_research_paid", 0), "qres.contract_research_paid"),
        ),
    )
    return (), tuple(figures), contracts, _expenses(qres, "qres", None)


def _expenses(block: Mapping[str, Any], where: str, component: str | None) -> tuple[ExpenseInput, ...]:
    return tuple(
        ExpenseInput(
            f"{where}.{category}",
            category,
            _money(block.get(category, 0), f"{where}.{category}"),
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
    block = _mapping(value, where, COMPONENT_KEYS)
    for key in ("code", "name"):
        if key not in block:
            raise InvalidCreditInput(f"{where}.{key}", "is required")
    code = _text(block["code"], f"{where}.code")
    activities = block.get("research_activities", [])
    if not isinstance(activities, list):
        raise InvalidCreditInput(f"{where}.research_activities", "must be a list of texts")
    component = Component(
        code,
        _text(block["name"], f"{where}.name"),
        _text(block.get("type", "computer software"), f"{where}.type"),
        _optional_text(block.get("software_category"), f"{where}.software_category"),
        _text(block.get("information_sought", ""), f"{where}.information_sought"),
        tuple(_text(a, f"{where}.research_activities") for a in activities),
        _optional_text(block.get("funded_reason"), f"{where}.funded_reason"),
    )
    wages = _mapping(block.get("wages", {}), f"{where}.wages", set(ACTIVITIES))
    figures = [
        WageFigure(f"{where}.wages.{kind}", code, _money(amount, f"{where}.wages.{kind}"), kind)
        for kind, amount in wages.items()
    ]
    contracts: list[ContractInput] = []
    if "contract_research_paid" in block:
        paid = _money(block["contract_research_paid"], f"{where}.contract_research_paid")
        contracts.append(ContractInput(f"{where}.contract_research_paid", "contract research", paid, code))
    for number, item in enumerate(block.get("contractors", []) or []):
        contracts.append(_contract(item, f"{where}.contractors[{number}]", code))
    return component, figures, contracts, _expenses(block, where, code)


def _contract(value: Any, where: str, code: str) -> ContractInput:
    block = _mapping(value, where, CONTRACT_KEYS)
    return ContractInput(
        where,
        _text(block.get("name", "contractor"), f"{where}.name"),
        _money(block.get("amount_paid", 0), f"{where}.amount_paid"),
        code,
        country=_text(block.get("country", "US"), f"{where}.country"),
        rights_retained=_flag(block.get("rights_retained", True), f"{where}.rights_retained"),
        risk_borne=_flag(block.get("risk_borne", True), f"{where}.risk_borne"),
        org_type=_text(block.get("org_type", "other"), f"{where}.org_type"),
        energy_research=_flag(block.get("energy_research", False), f"{where}.energy_research"),
        excluded_reason=_optional_text(block.get("excluded_reason"), f"{where}.excluded_reason"),
    )


def _other(value: Any) -> OtherAmounts:
    block = _mapping(value, "other", set(MONEY_OTHER) | set(FLAG_OTHER))
    values: dict[str, Any] = {k: _money(block[k], f"other.{k}") for k in MONEY_OTHER if k in block}
    values.update({k: _flag(block[k], f"other.{k}") for k in FLAG_OTHER if k in block})
    return OtherAmounts(**values)


def _mapping(value: Any, where: str, allowed: set[str]) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidCreditInput(where, "must be a mapping of keys to values")
    unknown = sorted(str(k) for k in value if k not in allowed)
    if unknown:
        prefix = "" if where == "(file)" else f"{where}."
        raise InvalidCreditInput(
            f"{prefix}{unknown[0]}", f"unknown key (known: {', '.join(sorted(allowed))})"
        )
    return value


def _by_year(value: Any, where: str) -> dict[int, Decimal]:
    if not isinstance(value, dict):
        raise InvalidCreditInput(where, "must map tax years to amounts, e.g. {2024: 100000}")
    return {
        _int(year, f"{where} key {year!r}"): _money(amount, f"{where}[{year}]")
        for year, amount in value.items()
    }


def _money(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise InvalidCreditInput(where, f"must be a number (got {value!r})")
    try:
        amount = Decimal(str(value).replace(",", "").replace("$", "").strip())
    except InvalidOperation:
        raise InvalidCreditInput(where, f"must be a number (got {value!r})") from None
    if not amount.is_finite():
        raise InvalidCreditInput(where, f"must be a finite number (got {value!r})")
    if amount < 0:
        raise InvalidCreditInput(where, f"must not be negative (got {value})")
    return amount


def _optional_money(value: Any, where: str) -> Decimal | None:
    return None if value is None else _money(value, where)


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidCreditInput(where, f"must be a whole number (got {value!r})")
    try:
        return int(value)
    except ValueError:
        raise InvalidCreditInput(where, f"must be a whole number (got {value!r})") from None


def _flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidCreditInput(where, f"must be true or false (got {value!r})")
    return value


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str | int):
        raise InvalidCreditInput(where, f"must be text (got {value!r})")
    return str(value).strip()


def _optional_text(value: Any, where: str) -> str | None:
    return None if value is None else _text(value, where)
