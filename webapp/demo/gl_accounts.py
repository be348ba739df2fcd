"""Lexbridge's QuickBooks-style chart of accounts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Account:
    number: str
    name: str
    account_type: str


_ACCOUNTS = (
    Account("1000", "Checking", "Bank"),
    Account("2000", "Credit Card Clearing", "Credit Card"),
    Account("4000", "Subscription Revenue", "Income"),
    Account("4100", "Professional Services Revenue", "Income"),
    Account("5000", "Payroll", "Expense"),
    Account("5010", "Payroll Taxes", "Expense"),
    Account("5020", "Employee Benefits", "Expense"),
    Account("5030", "Payroll - International (EOR)", "Expense"),
    Account("6100", "Cloud Computing - R&D", "Expense"),
    Account("6110", "Hosting - Production", "Cost of Goods Sold"),
    Account("6130", "AI/LLM API Usage", "Expense"),
    Account("6200", "Software Subscriptions", "Expense"),
    Account("6300", "Contractors", "Expense"),
    Account("6310", "Contractors - R&D", "Expense"),
    Account("6320", "Data Licensing", "Expense"),
    Account("6400", "Rent", "Expense"),
    Account("6500", "Travel", "Expense"),
    Account("6600", "Meals", "Expense"),
    Account("6700", "Marketing", "Expense"),
    Account("6800", "Legal & Professional", "Expense"),
    Account("6850", "Insurance", "Expense"),
    Account("6900", "Office Supplies", "Expense"),
    Account("6910", "Computer Equipment", "Expense"),
    Account("6950", "Bank Fees", "Expense"),
)

ACCOUNTS: Mapping[str, Account] = MappingProxyType({a.number: a for a in _ACCOUNTS})
