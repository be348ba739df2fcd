"""Charts of accounts: account roles, their many names, and how QuickBooks, Xero, NetSuite and Intacct
show them."""

from __future__ import annotations

import random
from dataclasses import dataclass

from scoring.corpus.phrasing import split_variants


@dataclass(frozen=True)
class Role:
    kind: str  # opex, cogs, other_exp, cur_asset, fixed_asset, cur_liab, equity
    group: str  # parent heading: rd, cogs, ga, sm, payroll, facilities, finance, bs
    number: int
    names: tuple[str, ...]


ROLES: dict[str, Role] = {
    "rd_general": Role("opex", "rd", 6100, (
        "Research & Development", "R&D Expense", "Research and Development - Other", "R&D",
        "Engineering Expense",
        "Product Development", "R&D - General", "Research Costs", "Development Costs", "R&D Other Expenses")),
    "rd_cloud": Role("opex", "rd", 6120, (
        "Cloud Computing - R&D", "R&D Cloud Compute", "Research Compute", "Dev/Test Infrastructure",
        "Cloud Services - Engineering", "Engineering Infrastructure", "ML Training Compute",
        "Compute - Research",
        "Development Hosting", "R&D - Computer Rental", "Cloud - Non-Production",
        "Sandbox & Staging Environments",
        "Experimentation Compute", "Software & Web Hosting Expenses - R&D", "GPU Compute - Research")),
    "rd_software": Role("opex", "rd", 6130, (
        "R&D Software & Tools", "Engineering Tools", "Developer Tools", "R&D - Software",
        "Engineering Software",
        "Dev Tools & Services", "Technical Software Subscriptions", "R&D Subscriptions")),
    "contractors_rd": Role("opex", "rd", 6140, (
        "Contractors - R&D", "R&D Consultants", "Contract Labor - Engineering", "Outside Research Services",
        "R&D - Contract Research", "Engineering Contractors", "Contract Research", "Research Consultants",
        "Outsourced Development", "R&D Contract Services", "Engineering Consultants")),
    "rd_materials": Role("opex", "rd", 6150, (
        "R&D - Materials", "R&D - Testing Material", "Prototype Materials", "Research Supplies",
        "R&D Parts & Components", "Engineering Samples", "Development Materials", "R&D Supplies",
        "Prototyping Costs", "Materials - Research", "Test Materials", "R&D Consumables")),
    "lab_supplies": Role("opex", "rd", 6160, (
        "Lab Supplies", "Laboratory Consumables", "Lab Supplies & Reagents", "Research Lab Expenses",
        "Reagents & Consumables", "Laboratory Supplies", "Lab Materials", "Lab Expense")),
    "outside_testing": Role("opex", "rd", 6170, (
        "Outside Testing", "Testing & Certification", "Test Lab Fees", "Regulatory & Testing",
        "Product Testing", "Third-Party Testing", "Validation Testing")),
    "hosting_cogs": Role("cogs", "cogs", 5100, (
        "Hosting (COGS)", "Cost of Revenue - Hosting", "Production Infrastructure",
        "Cloud Hosting - Production",
        "Data Center & Hosting", "COGS - Cloud Services", "Platform Hosting", "Server Costs - Production",
        "Hosting - Customer Environments", "Cost of Revenue - Infrastructure", "Production Cloud")),
    "api_cogs": Role("cogs", "cogs", 5120, (
        "Third-party API Costs - COGS", "Inference Costs", "Model API Costs - Production",
        "COGS - AI Services",
        "Cost of Revenue - Model Inference", "API Usage - Production", "Inference Compute (COGS)")),
    "cogs_materials": Role("cogs", "cogs", 5000, (
        "Cost of Goods Sold", "COGS - Materials", "Purchases - Parts", "Direct Materials",
        "Cost of Sales - Components", "Job Materials", "Materials - Production", "Purchases",
        "Manufacturing Supplies", "Production Consumables")),
    "cogs_other": Role("cogs", "cogs", 5200, (
        "Merchant & Platform Fees", "Fulfillment Costs", "Freight In", "COGS - Other",
        "Cost of Sales - Other",
        "Outsourced Services - COGS", "Direct Costs", "Client Pass-through Costs")),
    "qc_supplies": Role("cogs", "cogs", 5300, (
        "Quality Control Supplies", "COGS - QC Testing", "Production Lab Supplies", "Manufacturing QC",
        "Quality Assurance - Production", "QC Consumables")),
    "cloud_generic": Role("opex", "ga", 6600, (
        "Cloud Hosting", "Web Hosting", "Hosting & Infrastructure", "Software & Web Hosting Expenses",
        "Computer & Internet", "IT Infrastructure", "Cloud Services", "Technology Expense", "Hosting",
        "Internet & Hosting", "IT Expenses", "Cloud & Data")),
    "software_subs": Role("opex", "ga", 6610, (
        "Software & Subscriptions", "Dues & Subscriptions", "Software", "SaaS Subscriptions",
        "Computer Software",
        "Subscriptions", "Software Licenses", "IT - Software", "Software Expense", "Computer Software & Apps",
        "Subscriptions & Memberships")),
    "contract_labor": Role("opex", "ga", 6620, (
        "Contract Labor", "Contractors", "Outside Services", "Freelancers", "1099 Contractors",
        "Consulting Fees",
        "Professional Services - Contractors", "Outsourced Services", "Contract Services", "Consultants")),
    "professional_fees": Role("opex", "ga", 6630, (
        "Legal & Professional Fees", "Legal Fees", "Accounting Fees", "Audit & Tax", "Professional Fees",
        "Legal & Accounting", "Legal Services")),
    "office_supplies": Role("opex", "ga", 6640, (
        "Office Supplies", "Office Expenses", "Supplies", "Office Supplies & Expenses", "Kitchen & Office",
        "Supplies & Materials", "Office/General Administrative Expenses", "General Supplies")),
    "computer_hw": Role("opex", "ga", 6650, (
        "Computer Equipment (Expensed)", "Equipment < $2,500", "Small Tools & Equipment", "Computer Hardware",
        "Minor Equipment", "Hardware Expense")),
    "insurance": Role("opex", "ga", 6660, (
        "Insurance", "Business Insurance", "Insurance - General Liability", "Insurance Expense",
        "D&O Insurance")),
    "taxes_licenses": Role("opex", "ga", 6670, (
        "Taxes & Licenses", "State Taxes & Fees", "Franchise Tax", "Licenses & Permits", "Business Taxes")),
    "bank_fees": Role("opex", "finance", 6680, (
        "Bank Charges & Fees", "Bank Fees", "Merchant Fees", "Payment Processing Fees",
        "Bank Service Charges",
        "Credit Card Fees", "Transaction Fees")),
    "shipping": Role("opex", "ga", 6690, (
        "Shipping & Delivery", "Postage & Delivery", "Shipping Expense", "Freight & Shipping", "Courier")),
    "recruiting": Role("opex", "ga", 6700, (
        "Recruiting", "Recruiting & Hiring", "Job Postings", "Training & Education",
        "Professional Development",
        "Education & Training", "Conferences & Training")),
    "uncategorized": Role("opex", "ga", 6999, (
        "Uncategorized Expense", "Ask My Accountant", "Suspense", "Miscellaneous Expense", "Other Expenses")),
    "rent": Role("opex", "facilities", 6400, (
        "Rent & Lease", "Rent Expense", "Office Rent", "Facilities - Rent", "Rent or Lease of Buildings",
        "Lab Rent", "Occupancy")),
    "utilities": Role("opex", "facilities", 6410, (
        "Utilities", "Telephone & Internet", "Utilities - Electric", "Phone & Internet",
        "Facilities - Utilities",
        "Janitorial & Maintenance", "Repairs & Maintenance")),
    "marketing": Role("opex", "sm", 6500, (
        "Advertising & Marketing", "Advertising", "Marketing", "Digital Advertising", "Marketing Programs",
        "Paid Acquisition", "Events & Sponsorships", "Marketing Software")),
    "travel": Role("opex", "sm", 6520, (
        "Travel Expenses", "Travel", "Travel & Lodging", "Airfare", "Business Travel", "Travel - Engineering",
        "Auto & Travel")),
    "meals": Role("opex", "sm", 6530, (
        "Meals & Entertainment", "Meals", "Business Meals", "Team Meals", "Meals - 50%", "Entertainment",
        "Employee Meals & Snacks")),
    "wages_rd": Role("opex", "payroll", 6010, (
        "Wages - R&D", "R&D Salaries", "Salaries - Engineering", "Payroll - Research & Development",
        "Engineering Wages", "R&D Payroll", "Salaries & Wages - R&D", "Compensation - R&D")),
    "wages_ga": Role("opex", "payroll", 6000, (
        "Salaries & Wages", "Wages-Employees", "PAYROLL EXPENSES", "Payroll Expenses:Wages",
        "Officer Salaries",
        "Wages & Salaries", "Gross Wages", "Salaries - G&A", "Compensation")),
    "payroll_tax": Role("opex", "payroll", 6020, (
        "Payroll Tax Expenses", "Payroll Taxes", "Employer Taxes", "Payroll Expenses:Taxes",
        "FICA & Medicare",
        "State Unemployment Tax")),
    "benefits": Role("opex", "payroll", 6030, (
        "Employee Benefits", "Benefits: Employee Medical", "Health Insurance", "401(k) Match", "Benefits",
        "Employee Benefits - Health", "Workers Compensation")),
    "depreciation": Role("other_exp", "finance", 8100, (
        "Depreciation Expense", "Depreciation", "Depreciation & Amortization", "Amortization Expense")),
    "interest": Role("other_exp", "finance", 8200, (
        "Interest Expense", "Interest Paid", "Other Expense", "Penalties & Interest")),
    "fixed_equipment": Role("fixed_asset", "bs", 1500, (
        "Computer Equipment", "Lab Equipment", "Furniture & Equipment", "Machinery & Equipment",
        "Fixed Assets - Equipment", "Office Equipment", "Servers & Hardware", "Property & Equipment")),
    "inventory": Role("cur_asset", "bs", 1300, (
        "Inventory Asset", "Inventory - Raw Materials", "Raw Materials Inventory", "Inventory",
        "Inventory - Components", "Finished Goods Inventory")),
    "prepaid": Role("cur_asset", "bs", 1400, (
        "Prepaid Expenses", "Prepaid Software", "Prepaid Cloud Commitment", "Prepaids & Deposits",
        "Other Current Assets")),
    "undeposited": Role("cur_asset", "bs", 1200, (
        "Undeposited Funds", "Closed- First Republic Checking", "Clearing Account", "Payments Clearing")),
    "shareholder_loan": Role("cur_asset", "bs", 1800, (
        "Loan to Shareholder", "Due from Founder", "Shareholder Receivable", "Related Party Loan")),
    "accrued": Role("cur_liab", "bs", 2100, (
        "Accrued Liabilities", "Accrued Expenses", "Accrued Payroll", "Accounts Payable (A/P)",
        "AP Accrual")),
    "equity": Role("equity", "bs", 3100, (
        "Owner's Equity", "Retained Earnings", "Shareholder Distributions", "Brand Program")),
}

_PARENTS = {
    "rd": ("Research & Development", "R&D", "Research and Development", "Engineering",
           "Product & Engineering"),
    "cogs": ("Cost of Revenue", "COGS", "Cost of Goods Sold", "Cost of Sales", "Direct Costs"),
    "ga": ("General & Administrative", "G&A", "Operating Expenses", "Office/General Administrative Expenses",
           "Overhead"),
    "sm": ("Sales & Marketing", "Advertising & Marketing", "Selling Expenses", "Go-to-Market"),
    "payroll": ("Payroll Expenses", "Payroll", "Personnel", "People Costs"),
    "facilities": ("Facilities", "Occupancy", "Office Expenses"),
    "finance": ("Other Expenses", "Finance Costs", "Non-operating"),
    "bs": ("",),
}

STYLES = ("quickbooks_online", "quickbooks_desktop", "xero", "netsuite", "intacct")

_TYPES = {
    "quickbooks_online": {"opex": "Expenses", "cogs": "Cost of Goods Sold", "other_exp": "Other Expense",
                          "cur_asset": "Other Current Assets", "fixed_asset": "Fixed Assets",
                          "cur_liab": "Other Current Liabilities", "equity": "Equity"},
    "quickbooks_desktop": {"opex": "Expense", "cogs": "Cost of Goods Sold", "other_exp": "Other Expense",
                           "cur_asset": "Other Current Asset", "fixed_asset": "Fixed Asset",
                           "cur_liab": "Other Current Liability", "equity": "Equity"},
    "xero": {"opex": "Overhead", "cogs": "Direct Costs", "other_exp": "Expense", "cur_asset": "Current Asset",
             "fixed_asset": "Fixed Asset", "cur_liab": "Current Liability", "equity": "Equity"},
    "netsuite": {"opex": "Expense", "cogs": "Cost of Goods Sold", "other_exp": "Other Expense",
                 "cur_asset": "Other Current Asset", "fixed_asset": "Fixed Asset",
                 "cur_liab": "Other Current Liability", "equity": "Equity"},
    "intacct": {"opex": "Expense", "cogs": "Cost of Sales", "other_exp": "Other Expense",
                "cur_asset": "Asset",
                "fixed_asset": "Asset", "cur_liab": "Liability", "equity": "Equity"},
}

ACCOUNT_TYPES = frozenset(t for types in _TYPES.values() for t in types.values())


@dataclass(frozen=True)
class Account:
    number: str
    name: str
    type: str
    role: str


def build_account(rng: random.Random, split: str, style: str, role_id: str, hierarchical: bool) -> Account:
    """One account of a company's chart, named and numbered the way its accounting system shows it."""
    role = ROLES[role_id]
    title = rng.choice(split_variants(role.names, split))
    number = role.number + rng.choice((0, 0, 1, 2, 5))
    parent = rng.choice(split_variants(_PARENTS[role.group], split)) if hierarchical else ""
    account_type = _TYPES[style][role.kind]
    if style == "xero" and role.kind == "opex" and rng.random() < 0.5:
        account_type = "Expense"
    number_text, name = _format(rng, style, number, title, parent)
    return Account(number_text, name, account_type, role_id)


def _format(rng: random.Random, style: str, number: int, title: str, parent: str) -> tuple[str, str]:
    if style == "quickbooks_online":
        name = f"{parent}:{title}" if parent else title
        return ("" if rng.random() < 0.6 else str(number)), name
    if style == "quickbooks_desktop":
        parent_number = number - number % 100
        name = f"{number} · {title}"
        if parent:
            name = f"{parent_number} · {parent}:{name}"
        return str(number), name
    if style == "xero":
        return str(_xero_code(number)), title
    if style == "netsuite":
        code = number * 10
        name = f"{parent} : {title}" if parent else title
        if rng.random() < 0.3:
            name = f"{code} {name}"
        return str(code), name
    name = title.upper() if rng.random() < 0.5 else title
    return f"{number}-{rng.choice(('000', '100', '200'))}", name


def _xero_code(number: int) -> int:
    if number < 2000:
        return 600 + (number - 1000) // 10
    if number < 5000:
        return 800 + (number % 1000) // 10
    if number < 6000:
        return 300 + (number % 1000) // 10
    if number < 8000:
        return 400 + (number - 6000) // 10
    return 500 + (number % 1000) // 10
