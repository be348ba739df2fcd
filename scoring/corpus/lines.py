"""The ledger lines of one company: regular expenses from its scenarios, then credits, accruals and
reclasses."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace

from scoring.corpus.company import Company
from scoring.corpus.names import FOREIGN_PLACES, US_PLACES, contractor_vendor_name, person_name
from scoring.corpus.phrasing import (
    PROJECTS,
    Slots,
    bank_feed,
    bill_reference,
    fill,
    split_variants,
    vendor_column,
)
from scoring.corpus.rules import RULES
from scoring.corpus.scenarios import FOREIGN_VENDOR_COUNTRY, SCENARIOS, Scenario
from scoring.corpus.vendors import Vendor


@dataclass(frozen=True)
class Line:
    company: str
    industry: str
    date: dt.date
    account_number: str
    account_name: str
    account_type: str
    vendor: str
    description: str
    amount: float
    label: int
    qre_category: str
    rule: str
    scenario: str  # internal: which scenario made it (not written out)


@dataclass(frozen=True)
class Stream:
    """One recurring relationship: a vendor or contractor, with its memo habits and usual amount."""

    vendor: Vendor | None
    slots: dict[str, str]
    templates: tuple[str, ...]
    neutral: str
    amount: float


def company_lines(rng: random.Random, split: str, company: Company) -> list[Line]:
    lines: list[Line] = []
    for scenario_id in sorted(company.weights):
        scenario = SCENARIOS[scenario_id]
        count = round(
            scenario.rate * company.size * company.weights[scenario_id] * rng.lognormvariate(0, 0.25)
        )
        if count:
            lines.extend(_scenario_lines(rng, split, company, scenario, count))
    lines.extend(_journal_entries(rng, company, lines))
    return lines


def _scenario_lines(
    rng: random.Random, split: str, company: Company, scenario: Scenario, count: int
) -> list[Line]:
    streams = [_stream(rng, split, company, scenario) for _ in range(rng.randint(*scenario.streams))]
    start = rng.randrange(12)
    lines = []
    for i in range(count):
        stream = rng.choice(streams)
        month = (start + i * 12 // count) % 12 + 1
        date = dt.date(company.year, month, rng.randint(1, 28))
        lines.append(_line(rng, split, company, scenario, stream, date))
    return lines


def _stream(rng: random.Random, split: str, company: Company, scenario: Scenario) -> Stream:
    vendor = _stream_vendor(rng, split, company, scenario)
    slots = {"proj": rng.choice(split_variants(PROJECTS, split))}
    if vendor is not None:
        slots["v"] = vendor.name if rng.random() < 0.7 else vendor.descriptors[0].title()
    if scenario.vendor_kind == "contractor":
        direct = vendor not in company.vendors["marketplace"]
        slots.update(_contractor_slots(rng, split, scenario, vendor if direct else None))
        if direct:
            slots["v"] = rng.choice(("1099", "Contractor payment", "Invoice", slots["v"]))
    if scenario.vendor_kind == "research_foreign" and vendor is not None:
        slots["country"] = FOREIGN_VENDOR_COUNTRY[vendor.name]
    templates = split_variants(scenario.templates, split)
    habit = tuple(rng.sample(templates, min(len(templates), rng.randint(2, 5))))
    neutral = rng.choices(("bank", "bill", "vendor", "blank"), (0.55, 0.25, 0.15, 0.05))[0]
    median, sigma = scenario.amount
    return Stream(vendor, slots, habit, neutral, median * rng.lognormvariate(0, sigma))


def _stream_vendor(rng: random.Random, split: str, company: Company, scenario: Scenario) -> Vendor | None:
    if not scenario.vendor_kind:
        return None
    if scenario.vendor_kind == "contractor":
        if rng.random() < 0.5:
            return rng.choice(company.vendors["marketplace"])
        name = contractor_vendor_name(rng, split)
        return Vendor(name, (name.upper(),))
    return rng.choice(company.vendors[scenario.vendor_kind])


def _contractor_slots(
    rng: random.Random, split: str, scenario: Scenario, vendor: Vendor | None
) -> dict[str, str]:
    person = person_name(rng, split)
    if vendor is not None and not vendor.name.endswith(("LLC", "Engineering", "Services")):
        person = vendor.name
    foreign = scenario.id == "contractor_foreign" or (
        scenario.id == "contractor_nonresearch" and rng.random() < 0.3
    )
    if foreign:
        city, country = rng.choice(FOREIGN_PLACES)
        return {"person": person, "city": city, "country": country, "state": country}
    city, state = rng.choice(US_PLACES)
    return {"person": person, "city": city, "state": state, "country": "US"}


def _line(
    rng: random.Random, split: str, company: Company, scenario: Scenario, stream: Stream, date: dt.date
) -> Line:
    rule = RULES[scenario.rule]
    account = company.account(_pick_role(rng, scenario))
    if rng.random() < 0.015:  # miscoded by the bookkeeper
        account = rng.choice(company.expense_accounts())
    return Line(
        company=company.name,
        industry=company.industry,
        date=date,
        account_number=account.number,
        account_name=account.name,
        account_type=account.type,
        vendor=vendor_column(rng, stream.vendor) if stream.vendor else "",
        description=_description(rng, split, stream, scenario, date),
        amount=round(stream.amount * rng.lognormvariate(0, 0.3), 2),
        label=rule.label,
        qre_category=rule.category,
        rule=rule.id,
        scenario=scenario.id,
    )


def _pick_role(rng: random.Random, scenario: Scenario) -> str:
    roles = [role for role, _ in scenario.accounts]
    return rng.choices(roles, [weight for _, weight in scenario.accounts])[0]


def _description(rng: random.Random, split: str, stream: Stream, scenario: Scenario, date: dt.date) -> str:
    if stream.vendor is None or rng.random() < scenario.info:
        templates = stream.templates if rng.random() < 0.85 else split_variants(scenario.templates, split)
        return fill(rng.choice(templates), Slots(rng, split, date, stream.slots))
    neutral = stream.neutral if rng.random() < 0.7 else rng.choice(("bank", "bill", "vendor"))
    if neutral == "bank":
        return bank_feed(rng, stream.vendor, date, split)
    if neutral == "bill":
        return bill_reference(rng, stream.vendor, date, split)
    if neutral == "vendor":
        return stream.vendor.name
    return ""


# --- journal entries: credits, accruals and their reversals, reclasses ------------------------------------

_CREDIT_FORMS = (
    "Refund - {desc}",
    "Credit memo - {vendor}",
    "RETURN {vendor}",
    "{vendor} refund",
    "SLA credit - {vendor}",
    "Reversal: {desc}",
    "Credit applied - {vendor}",
    "Vendor credit {desc}",
    "Chargeback reversal {vendor}",
    "Promotional credits - {vendor}",
)
_ACCRUAL_FORMS = (
    "Accrue {mon} {vendor} invoice",
    "To accrue {desc}",
    "Accrual - {vendor} {mon} (est.)",
    "JE {n} accrued {vendor}",
    "Month-end accrual: {desc}",
    "Accrued expense {mon} - {vendor}",
)
_REVERSAL_FORMS = (
    "Reverse {mon} accrual - {vendor}",
    "Reversal of accrual: {desc}",
    "Auto-reverse JE {n}",
    "Reverse prior month accrual {vendor}",
)
_RECLASS_OUT = (
    "Reclass to {target}",
    "To correct coding of {mon} {vendor}",
    "JE {n} reclass {vendor}",
    "Move {vendor} to {target}",
    "Reclassify: {desc}",
)
_RECLASS_IN = (
    "Reclass from {source}: {desc}",
    "To correct coding of {mon} {vendor}: {desc}",
    "JE {n} reclass {vendor} - {desc}",
    "Reclassify {vendor} from {source}",
    "Reclass: {desc}",
)
_ACCRUABLE = frozenset(
    (
        "cloud_dev",
        "cloud_prod",
        "gpu_train",
        "gpu_serve",
        "contractor_us",
        "contractor_foreign",
        "research_us",
        "research_foreign",
        "professional",
        "test_validation",
        "llm_eval",
        "llm_inference",
    )
)
_GENERIC_ROLES = frozenset(
    (
        "cloud_generic",
        "software_subs",
        "contract_labor",
        "rd_general",
        "uncategorized",
        "office_supplies",
        "professional_fees",
    )
)


def _journal_entries(rng: random.Random, company: Company, lines: list[Line]) -> list[Line]:
    entries: list[Line] = []
    roles_by_account = {account.name: role for role, account in company.chart.items()}
    for line in lines:
        if line.amount <= 0 or (not line.vendor and not line.description):
            continue
        roll = rng.random()
        if roll < 0.025:
            entries.append(_credit(rng, line))
        elif roll < 0.065 and line.scenario in _ACCRUABLE:
            entries.extend(_accrual(rng, line))
        elif roll < 0.11 and roles_by_account.get(line.account_name) in _GENERIC_ROLES:
            entries.extend(_reclass(rng, company, line))
    return entries


def _forms(rng: random.Random, forms: tuple[str, ...], line: Line, **extra: str) -> str:
    vendor = line.vendor or line.description.split(" - ")[0][:30] or "vendor"
    values = {
        "desc": line.description or vendor,
        "vendor": vendor,
        "mon": line.date.strftime("%b"),
        "n": str(rng.randint(100, 999)),
        **extra,
    }
    return rng.choice(forms).format(**values)


def _later(rng: random.Random, date: dt.date, low: int, high: int) -> dt.date:
    return min(date + dt.timedelta(days=rng.randint(low, high)), dt.date(date.year, 12, 31))


def _credit(rng: random.Random, line: Line) -> Line:
    return replace(
        line,
        date=_later(rng, line.date, 3, 60),
        description=_forms(rng, _CREDIT_FORMS, line),
        amount=-round(line.amount * rng.uniform(0.05, 1.0), 2),
        rule="CREDIT",
    )


def _accrual(rng: random.Random, line: Line) -> list[Line]:
    month_end = dt.date(line.date.year, line.date.month, 28)
    accrual = replace(
        line,
        date=month_end,
        description=_forms(rng, _ACCRUAL_FORMS, line),
        amount=round(line.amount * rng.uniform(0.8, 1.2), 2),
    )
    if line.date.month == 12:
        return [accrual]
    reversal = replace(
        accrual,
        date=dt.date(line.date.year, line.date.month + 1, 1),
        description=_forms(rng, _REVERSAL_FORMS, line),
        amount=-accrual.amount,
        rule="CREDIT",
    )
    return [accrual, reversal]


def _reclass(rng: random.Random, company: Company, line: Line) -> list[Line]:
    scenario = SCENARIOS[line.scenario]
    target = company.account(scenario.accounts[0][0])
    if target.name == line.account_name:
        return []
    date = _later(rng, line.date, 0, 45)
    names = {"target": target.name, "source": line.account_name}
    out = replace(
        line,
        date=date,
        description=_forms(rng, _RECLASS_OUT, line, **names),
        amount=-line.amount,
        rule="CREDIT",
    )
    into = replace(
        line,
        date=date,
        account_number=target.number,
        account_name=target.name,
        account_type=target.type,
        description=_forms(rng, _RECLASS_IN, line, **names),
    )
    return [out, into]
