"""One synthetic company: its industry, accounting system, chart of accounts and regular vendors."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from scoring.corpus.accounts import ROLES, Account, build_account
from scoring.corpus.names import company_name
from scoring.corpus.scenarios import (
    INDUSTRIES,
    INDUSTRY_CYCLE,
    QUALIFYING_SCENARIOS,
    SCENARIOS,
    industry_weights,
)
from scoring.corpus.vendors import Vendor, vendor_pool

STYLE_WEIGHTS = (("quickbooks_online", 5), ("quickbooks_desktop", 2), ("xero", 3), ("netsuite", 2),
                 ("intacct", 1))

# Accounts only some charts have; the rest of the roles every chart has.
OPTIONAL_ROLES = frozenset((
    "rd_general", "rd_cloud", "rd_software", "contractors_rd", "rd_materials", "lab_supplies",
    "outside_testing",
    "hosting_cogs", "api_cogs", "cogs_materials", "cogs_other", "qc_supplies", "computer_hw", "inventory",
    "cloud_generic", "uncategorized", "wages_rd", "prepaid", "shareholder_loan", "equity",
))

# Where a line goes when the chart lacks the account it would be booked to.
FALLBACK: dict[str, tuple[str, ...]] = {
    "rd_cloud": ("cloud_generic", "rd_general", "software_subs"),
    "rd_software": ("rd_general", "software_subs"),
    "contractors_rd": ("rd_general", "contract_labor"),
    "rd_materials": ("rd_general", "office_supplies"),
    "lab_supplies": ("rd_materials", "rd_general", "office_supplies"),
    "outside_testing": ("rd_general", "professional_fees"),
    "rd_general": ("uncategorized", "office_supplies"),
    "hosting_cogs": ("cloud_generic", "software_subs"),
    "api_cogs": ("hosting_cogs", "cloud_generic", "software_subs"),
    "cogs_materials": ("inventory", "office_supplies"),
    "cogs_other": ("cogs_materials", "contract_labor"),
    "qc_supplies": ("cogs_materials", "lab_supplies", "office_supplies"),
    "cloud_generic": ("software_subs",),
    "computer_hw": ("office_supplies",),
    "inventory": ("cogs_materials", "office_supplies"),
    "uncategorized": ("office_supplies",),
    "wages_rd": ("wages_ga",),
    "prepaid": ("undeposited",),
    "shareholder_loan": ("undeposited",),
    "equity": ("undeposited",),
}


@dataclass
class Company:
    name: str
    industry_key: str
    style: str
    year: int
    size: float
    weights: dict[str, float]
    chart: dict[str, Account] = field(default_factory=dict)
    vendors: dict[str, list[Vendor]] = field(default_factory=dict)

    @property
    def industry(self) -> str:
        return INDUSTRIES[self.industry_key]

    def expense_accounts(self) -> list[Account]:
        return [account for role, account in self.chart.items() if ROLES[role].kind in ("opex", "cogs")]

    def account(self, role_id: str) -> Account:
        """The chart's account for a role, or the account such lines fall back to."""
        seen: list[str] = []
        queue = [role_id]
        while queue:
            role = queue.pop(0)
            if role in self.chart:
                return self.chart[role]
            if role not in seen:
                seen.append(role)
                queue.extend(FALLBACK.get(role, ()))
        return self.chart["office_supplies"]


def build_company(rng: random.Random, split: str, index: int, taken_names: set[str]) -> Company:
    industry = INDUSTRY_CYCLE[index % len(INDUSTRY_CYCLE)]
    style = rng.choices([s for s, _ in STYLE_WEIGHTS], [w for _, w in STYLE_WEIGHTS])[0]
    company = Company(
        name=company_name(rng, split, industry, taken_names),
        industry_key=industry,
        style=style,
        year=rng.choice((2022, 2023, 2024, 2025)),
        size=min(3.0, max(0.35, rng.lognormvariate(0, 0.45))),
        weights=_company_weights(rng, industry),
    )
    company.chart = _chart(rng, split, company)
    company.vendors = _regular_vendors(rng, split, company)
    return company


def _company_weights(rng: random.Random, industry: str) -> dict[str, float]:
    # A few companies in research industries did no qualifying work that year.
    researching = rng.random() < 0.92
    weights = {}
    for scenario_id, weight in industry_weights(industry).items():
        if scenario_id in QUALIFYING_SCENARIOS and not researching:
            continue
        weights[scenario_id] = weight * rng.lognormvariate(0, 0.4)
    return weights


def _chart(rng: random.Random, split: str, company: Company) -> dict[str, Account]:
    maturity = rng.uniform(0.15, 0.95)
    hierarchical = company.style in ("quickbooks_online", "quickbooks_desktop",
                                     "netsuite") and rng.random() < 0.5
    wanted = {role for scenario_id in company.weights for role, _ in SCENARIOS[scenario_id].accounts}
    wanted |= {"office_supplies", "software_subs", "contract_labor", "undeposited", "accrued"}
    chart = {}
    for role in sorted(wanted):
        if role in OPTIONAL_ROLES and rng.random() > maturity:
            continue
        chart[role] = build_account(rng, split, company.style, role, hierarchical)
    return _unique_names(chart)


def _unique_names(chart: dict[str, Account]) -> dict[str, Account]:
    """Two roles may draw the same title; a real chart would not hold it twice, so the later one goes."""
    seen: set[str] = set()
    unique = {}
    for role, account in chart.items():
        if account.name in seen:
            continue
        seen.add(account.name)
        unique[role] = account
    return unique


def _regular_vendors(rng: random.Random, split: str, company: Company) -> dict[str, list[Vendor]]:
    kinds: dict[str, int] = {}
    for scenario_id in company.weights:
        scenario = SCENARIOS[scenario_id]
        kind = "marketplace" if scenario.vendor_kind == "contractor" else scenario.vendor_kind
        if kind:
            kinds[kind] = max(kinds.get(kind, 0), rng.randint(*scenario.streams))
    vendors = {}
    for kind in sorted(kinds):
        pool = list(vendor_pool(kind, split))
        vendors[kind] = rng.sample(pool, min(len(pool), kinds[kind]))
    return vendors
