"""``fourpart gl score`` and ``fourpart gl evaluate`` as a user runs them: real processes and files."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.databases import drop_database, fresh_database

pytestmark = pytest.mark.slow

HEADER = ("company,industry,date,account_number,account_name,account_type,vendor,description,amount,"
          "Department\n")
ACME = "Acme AI,AI/ML software,2025-01-"
LEDGER = HEADER + (
    f'{ACME}06,6120,Cloud Compute - R&D,Expense,Amazon Web Services,"EC2 p4d, training sweep",'
    '14210.44,Research\n'
    f'{ACME}07,4000,Revenue,Income,Customer A,January subscription,"(25,000.00)",Sales\n'
    f'{ACME}09,6400,Software Subscriptions,Expense,Slack,"Seats\nJanuary",812.50,Ops\n'
    f'{ACME}12,6120,Cloud Compute - R&D,Expense,Lambda Labs,H100 hours for ablations,"$3,120.00",Research\n')


@pytest.fixture
def env(backend: str, worker_name: str, tmp_path: Path):
    url = fresh_database(backend, f"fourpart_gl_cli_{worker_name}", tmp_path)
    values = {**os.environ, "FOURPART_INSTANCE_PATH": str(tmp_path / "instance"),
              "FOURPART_DATABASE_URL": url, "FOURPART_STORAGE_URL": str(tmp_path / "evidence")}
    yield values
    drop_database(url)


def fourpart(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "webapp.cli", *args], env=env, text=True,
                          capture_output=True, timeout=300, check=False)


def test_score_keeps_every_row_in_order_and_adds_two_columns(env: dict[str, str], tmp_path: Path) -> None:
    assert fourpart(env, "db", "upgrade").returncode == 0
    source, out = tmp_path / "ledger.csv", tmp_path / "scores.csv"
    source.write_text(LEDGER, encoding="utf-8")
    result = fourpart(env, "gl", "score", str(source), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "scoring" in result.stderr and "4 lines, 3 accounts scored" in result.stderr
    with source.open(newline="") as handle:
        original = list(csv.reader(handle))
    with out.open(newline="") as handle:
        scored = list(csv.reader(handle))
    assert scored[0] == [*original[0], "expense_score", "account_score"]
    assert [row[:-2] for row in scored[1:]] == original[1:]  # verbatim, same order
    expense = [row[-2] for row in scored[1:]]
    account = [float(row[-1]) for row in scored[1:]]
    assert expense[1] == "" and all(0 <= float(value) <= 1 for value in expense if value)
    assert all(0 <= value <= 1 for value in account) and account[0] == account[3]
    again = fourpart(env, "gl", "score", str(source), "--out", str(tmp_path / "again.csv"))
    assert again.returncode == 0 and (tmp_path / "again.csv").read_bytes() == out.read_bytes()


def test_a_bad_file_names_row_and_column_and_writes_nothing(env: dict[str, str], tmp_path: Path) -> None:
    source, out = tmp_path / "bad.csv", tmp_path / "scores.csv"
    source.write_text(LEDGER.replace("14210.44", '"14,21x.44"'), encoding="utf-8")
    result = fourpart(env, "gl", "score", str(source), "--out", str(out))
    assert result.returncode == 2
    assert "bad.csv row 2, column amount" in result.stderr
    assert not out.exists() and list(tmp_path.glob(".scores.csv*")) == []


def test_evaluate_prints_the_metrics_of_both_models(env: dict[str, str], tmp_path: Path) -> None:
    labelled = tmp_path / "labelled.csv"
    rows = LEDGER.replace(",Department\n", ",label\n").replace(",Research\n", ",1\n")
    labelled.write_text(rows.replace(",Sales\n", ",0\n").replace(",Ops\n", ",0\n"), encoding="utf-8")
    result = fourpart(env, "gl", "evaluate", "--data", str(labelled), "--plot", str(tmp_path / "pr.svg"))
    assert result.returncode == 0, result.stderr
    for needle in ("expense model", "account model", "ROC AUC", "average precision", "at threshold",
                   "precision at recall >= 0.5", "3 items, 2 qualified"):
        assert needle in result.stdout
    assert (tmp_path / "pr.svg").read_text().startswith("<svg")
    missing = fourpart(env, "gl", "evaluate", "--data", str(tmp_path / "ledger-unlabelled.csv"))
    assert missing.returncode == 2
