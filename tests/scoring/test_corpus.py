"""The labelled starter corpus: stable bytes, disjoint train/held-out pools, hard cases, documented rules."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import gzip
import io
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from scoring.corpus import COLUMNS, STARTER_CORPUS, base_label, csv_bytes, generate, write_corpus
from scoring.corpus.accounts import ACCOUNT_TYPES, ROLES
from scoring.corpus.generate import client_info_plausible
from scoring.corpus.lines import Line
from scoring.corpus.phrasing import split_variants
from scoring.corpus.rules import (
    CATEGORIES,
    HARD_CASE_FAMILIES,
    NEAR_MISS_SCENARIOS,
    NOISE_CLIENT_INFO_RATE,
    NOISE_MISSED_RATE,
    RULES,
    SAME_VENDOR_FAMILIES,
)
from scoring.corpus.scenarios import INDUSTRIES, SCENARIOS
from scoring.corpus.vendors import all_vendor_names, vendor_kinds, vendor_pool
from scoring.corpus.volume import REPEATS
from scoring.corpus.writer import gzip_bytes

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "gl-labelling.md"
POSITIVE_SHARE_BAND = (0.01, 0.03)  # stated in docs/gl-labelling.md, "Shares and sizes"


@pytest.fixture(scope="module")
def train() -> list[Line]:
    return generate("train")


@pytest.fixture(scope="module")
def heldout() -> list[Line]:
    return generate("heldout")


def test_same_seed_gives_same_bytes_and_another_seed_does_not():
    first = csv_bytes(generate("train", seed=7, companies=4))
    assert first == csv_bytes(generate("train", seed=7, companies=4))
    assert first != csv_bytes(generate("train", seed=8, companies=4))
    assert gzip_bytes(first) == gzip_bytes(first)


def test_shipped_starter_corpus_is_the_default_train_split(train):
    assert STARTER_CORPUS.read_bytes() == gzip_bytes(csv_bytes(train))
    assert STARTER_CORPUS.stat().st_size < 4_000_000


def test_train_and_heldout_share_no_company_and_no_vendor(train, heldout):
    assert not {line.company for line in train} & {line.company for line in heldout}
    train_vendors = {line.vendor for line in train if line.vendor}
    heldout_vendors = {line.vendor for line in heldout if line.vendor}
    assert len(train_vendors) > 150 and len(heldout_vendors) > 100
    assert not train_vendors & heldout_vendors
    assert not all_vendor_names("train") & all_vendor_names("heldout")


def test_no_bank_descriptor_is_in_both_vendor_pools():
    def descriptors(split: str) -> set[str]:
        return {descriptor for kind in vendor_kinds() for vendor in vendor_pool(kind, split)
                for descriptor in vendor.descriptors}

    assert len(all_vendor_names("train")) > 450 and len(all_vendor_names("heldout")) > 200
    assert not descriptors("train") & descriptors("heldout")


def test_heldout_has_phrasings_and_account_titles_train_never_uses():
    for scenario in SCENARIOS.values():
        unseen = set(split_variants(scenario.templates, "heldout")) - set(
            split_variants(scenario.templates, "train")
        )
        assert unseen, scenario.id
    for role_id, role in ROLES.items():
        assert set(split_variants(role.names, "heldout")) - set(split_variants(role.names, "train")), role_id


@pytest.mark.parametrize("split", ["train", "heldout"])
def test_every_hard_case_family_is_in_both_splits(split, train, heldout):
    lines = train if split == "train" else heldout
    rules = {line.rule for line in lines}
    for family, (qualifying, excluded) in HARD_CASE_FAMILIES.items():
        assert {qualifying, excluded} <= rules, family


@pytest.mark.parametrize("split", ["train", "heldout"])
def test_same_vendor_falls_on_both_sides_of_its_hard_case(split, train, heldout):
    lines = train if split == "train" else heldout
    rules_by_vendor: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        if line.vendor:
            rules_by_vendor[line.vendor].add(line.rule)
    for family in SAME_VENDOR_FAMILIES:
        qualifying, excluded = HARD_CASE_FAMILIES[family]
        assert any({qualifying, excluded} <= rules for rules in rules_by_vendor.values()), family


def test_columns_and_values_are_valid(train):
    rows = list(csv.DictReader(io.StringIO(csv_bytes(train[:5000] + train[-5000:]).decode())))
    assert tuple(rows[0]) == COLUMNS
    for row in rows:
        assert row["company"] and row["account_name"]
        assert row["industry"] in INDUSTRIES.values()
        assert row["account_type"] in ACCOUNT_TYPES
        assert 2022 <= dt.date.fromisoformat(row["date"]).year <= 2025
        assert re.fullmatch(r"-?\d+\.\d\d", row["amount"]) and float(row["amount"]) != 0
        assert row["label"] in ("0", "1")
        assert row["rule"] in RULES
        assert (row["label"] == "1") == (row["qre_category"] in CATEGORIES)
        assert row["label"] == "1" or row["qre_category"] == ""


def test_labels_follow_their_rules(train):
    for line in train:
        rule = RULES[line.rule]
        if rule.family != "meta":
            assert (line.label, line.qre_category) == (rule.label, rule.category), line
        if line.rule == "CREDIT":
            assert line.amount < 0
        if line.rule.startswith("NOISE"):
            assert line.amount > 0


@pytest.mark.parametrize("split", ["train", "heldout"])
def test_positive_share_is_a_small_minority_within_the_stated_band(split, train, heldout):
    lines = train if split == "train" else heldout
    share = sum(line.label for line in lines) / len(lines)
    low, high = POSITIVE_SHARE_BAND
    assert low <= share <= high, share
    assert f"between {low:.0%} and {high:.0%} of lines are labelled 1" in DOC.read_text()


def test_train_split_is_big_enough_to_train(train):
    assert 150_000 <= len(train) <= 230_000
    assert sum(line.label for line in train if line.amount > 0) >= 3_000


def test_routine_expenses_dominate_and_repeat_their_memos(train):
    routine = [line for line in train if line.scenario in REPEATS and line.amount > 0]
    assert len(routine) > 0.6 * len(train)
    distinct = {(line.company, line.account_name, line.vendor, line.description) for line in routine}
    assert len(distinct) < 0.5 * len(routine)
    assert all(line.label == 0 or line.rule.startswith("NOISE") for line in routine)


def test_every_rule_id_is_documented_and_every_documented_rule_exists(train, heldout):
    documented = set(re.findall(r"^\| `([A-Z][A-Z-]+)` \|", DOC.read_text(), flags=re.MULTILINE))
    used = {line.rule for line in train} | {line.rule for line in heldout}
    assert used <= documented
    assert set(RULES) == documented


def test_label_noise_rate_is_as_documented(train):
    eligible = [line for line in train if line.amount > 0 and line.rule not in ("CREDIT", "NQ-BALANCE-SHEET")]
    qualified = [line for line in eligible if base_label(line) == 1]
    near_miss = [line for line in eligible if base_label(line) == 0 and line.scenario in NEAR_MISS_SCENARIOS]
    missed = sum(line.rule == "NOISE-MISSED" for line in qualified) / len(qualified)
    client_info = sum(line.rule == "NOISE-CLIENT-INFO" for line in near_miss) / len(near_miss)
    assert abs(missed - NOISE_MISSED_RATE) < 0.015, missed
    assert abs(client_info - NOISE_CLIENT_INFO_RATE) < 0.01, client_info
    noisy = sum(line.rule == "NOISE-CLIENT-INFO" for line in train)
    assert noisy / sum(base_label(line) == 0 for line in train) < 0.005
    doc = DOC.read_text()
    assert f"**{NOISE_MISSED_RATE:.0%}**" in doc and f"**{NOISE_CLIENT_INFO_RATE:.0%}**" in doc


def test_client_information_noise_only_qualifies_plausible_lines(train):
    research_titles = [name.lower() for role in ROLES.values() if role.group == "rd" for name in role.names]
    for line in train:
        if line.rule == "NOISE-CLIENT-INFO":
            account = line.account_name.lower()
            assert line.scenario in NEAR_MISS_SCENARIOS or any(title in account for title in research_titles)
            assert SCENARIOS[line.scenario].rule != "NQ-WAGES"
    booked_to_rd = replace_label(train[0], scenario="travel")
    assert client_info_plausible(booked_to_rd, frozenset({booked_to_rd.account_name}))
    assert not client_info_plausible(booked_to_rd, frozenset())
    wages = replace_label(train[0], scenario="payroll", rule="NQ-WAGES")
    assert not client_info_plausible(wages, frozenset({wages.account_name}))
    assert client_info_plausible(replace_label(train[0], scenario="cloud_prod"), frozenset())


def replace_label(line: Line, **changes: str) -> Line:
    """A non-qualifying positive copy of ``line`` with the given scenario (and rule)."""
    fields = {"label": 0, "qre_category": "", "rule": "NQ-TRAVEL-MEALS", "amount": 120.0, **changes}
    return dataclasses.replace(line, **fields)


def test_command_line_writes_gzip_and_plain_csv(tmp_path):
    out = tmp_path / "heldout.csv.gz"
    subprocess.run(
        [sys.executable, "-m", "scoring.corpus", "--split", "heldout", "--companies", "2", str(out)],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    plain = write_corpus(tmp_path / "heldout.csv", split="heldout", companies=2)
    assert gzip.decompress(out.read_bytes()) == plain.read_bytes()
    assert plain.read_text().splitlines()[0] == ",".join(COLUMNS)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="split"):
        generate("test")
    with pytest.raises(ValueError, match="companies"):
        generate("train", companies=0)
