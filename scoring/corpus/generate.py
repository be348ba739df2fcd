"""Generating a labelled corpus for a split: companies, their lines, label noise, in a stable order."""

from __future__ import annotations

import random
from dataclasses import replace

from scoring.corpus.accounts import ROLES
from scoring.corpus.company import Company, build_company
from scoring.corpus.lines import Line, company_lines
from scoring.corpus.rules import NEAR_MISS_SCENARIOS, NOISE_CLIENT_INFO_RATE, NOISE_MISSED_RATE, RULES
from scoring.corpus.scenarios import SCENARIOS
from scoring.corpus.volume import with_routine_volume

SPLITS = ("train", "heldout")
DEFAULT_SEED = 41
DEFAULT_COMPANIES = {"train": 60, "heldout": 20}

# Balance-sheet postings are not expenses; nobody would qualify them, so noise leaves them alone.
_NO_NOISE_RULES = frozenset(("NQ-BALANCE-SHEET", "CREDIT"))
# A reviewer never qualifies a GL wage line on client information: wages come from payroll records.
_NO_CLIENT_INFO_RULES = frozenset(("NQ-WAGES",))


def generate(split: str = "train", seed: int = DEFAULT_SEED, companies: int | None = None) -> list[Line]:
    """The corpus lines of ``companies`` companies for a split, the same for the same arguments."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    count = DEFAULT_COMPANIES[split] if companies is None else companies
    if count < 1:
        raise ValueError(f"companies must be at least 1, not {count}")
    taken: set[str] = set()
    lines: list[Line] = []
    for index in range(count):
        rng = random.Random(f"fourpart-gl-corpus:{split}:{seed}:{index}")
        company = build_company(rng, split, index, taken)
        company_rows = company_lines(rng, split, company)
        company_rows = with_routine_volume(random.Random(f"volume:{split}:{seed}:{index}"), company_rows)
        company_rows.sort(key=lambda line: (line.account_number, line.account_name, line.date))
        noise_rng = random.Random(f"noise:{split}:{seed}:{index}")
        lines.extend(_with_noise(noise_rng, company_rows, research_accounts(company)))
    return lines


def research_accounts(company: Company) -> frozenset[str]:
    """The names of the company's R&D accounts (the chart's "rd" group)."""
    return frozenset(account.name for role, account in company.chart.items() if ROLES[role].group == "rd")


def client_info_plausible(line: Line, research: frozenset[str]) -> bool:
    """Whether a reviewer could qualify this non-qualifying line on client information the GL lacks: a
    technical vendor's line that has a qualifying twin, or any non-wage expense booked to an R&D account."""
    if line.amount <= 0 or line.label != 0 or line.rule in _NO_NOISE_RULES | _NO_CLIENT_INFO_RULES:
        return False
    return line.scenario in NEAR_MISS_SCENARIOS or line.account_name in research


def _with_noise(rng: random.Random, lines: list[Line], research: frozenset[str]) -> list[Line]:
    """Reviewers miss qualified lines, and sometimes qualify a plausible one on information the GL does
    not carry."""
    noisy = []
    for line in lines:
        roll = rng.random()
        if line.amount > 0 and line.rule not in _NO_NOISE_RULES:
            if line.label == 1 and roll < NOISE_MISSED_RATE:
                line = replace(line, label=0, qre_category="", rule="NOISE-MISSED")
            elif client_info_plausible(line, research) and roll < NOISE_CLIENT_INFO_RATE:
                category = SCENARIOS[line.scenario].near
                line = replace(line, label=1, qre_category=category, rule="NOISE-CLIENT-INFO")
        noisy.append(line)
    return noisy


def base_label(line: Line) -> int:
    """The label before noise: what the labelling rules decided."""
    if line.rule == "NOISE-MISSED":
        return 1
    if line.rule == "NOISE-CLIENT-INFO":
        return 0
    if line.rule == "CREDIT":
        return line.label
    return RULES[line.rule].label
