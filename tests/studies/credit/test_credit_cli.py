"""``fourpart credit compute`` and ``credit show`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from studies.credit.inputs import InvalidCreditInput
from studies.credit.yaml_inputs import parse_inputs
from tests.cli import fourpart
from webapp.commands.credit import credit_group

EXAMPLE = Path(__file__).parents[3] / "docs" / "examples" / "credit-inputs.yaml"


def run(*args: str):
    return CliRunner().invoke(credit_group, list(args))


def test_compute_the_documented_example(tmp_path: Path) -> None:
    csv_path = tmp_path / "form.csv"
    result = run("compute", str(EXAMPLE), "--json", "--csv", str(csv_path))
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    lines = document["form_6765"]["lines"]
    # CiteRAG's activity lines: the whole 3,400 of 5,300 hours = 64.15% fails; its retrieval layer,
    # 3,400 of 3,850 = 88.31%, passes, so 3,850/5,300 of CiteRAG's QREs count: wages 620k -> 450,377.36,
    # 90k -> 65,377.36, 30k -> 21,792.45; rental 140k -> 101,698.11; contract 65% of 80k -> 37,773.58.
    # Evaluation harness (not measured): wages 180k, supplies 5k, 65% of 50k = 32.5k; the Indian vendor
    # is excluded. Line 42 = 717,547.17; 45 = 70,273.58; 48 = 894,518.86.
    assert (lines["42"], lines["45"], lines["48"]) == ("717547.17", "70273.58", "894518.86")
    # Regular: the base never below 50% of QREs, 447,259.43 x 20% = 89,451.89; ASC:
    # (894,518.86 - 1.95M / 6) x 14% = 79,732.64.
    assert lines["13"] == "89451.89" and document["methods"]["chosen"] == "regular"
    assert document["methods"]["asc"]["credit"] == "79732.64"
    assert document["payroll"]["amount"] == "89451.89" and lines["33a"] is True
    citerag = next(t for t in document["substantially_all"] if t["code"] == "citerag")
    assert citerag["status"] == "shrunk_back" and citerag["claimed_fraction"] == "0.7264"
    assert document["tie_out"]["ok"] is True
    line48 = "F,48,,Total QREs: lines 42 + 43 + 44 + 47 (to line 5 or line 20),894518.86"
    assert line48 in csv_path.read_text()
    text = run("compute", str(EXAMPLE))
    assert text.exit_code == 0 and "Tie-out: ok" in text.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("tax_year: 2025\nqres: {wages: -5}\n", "qres.wages: must not be negative"),
        ("tax_year: 2025\nqres: {wages: 5, gpu: 3}\n", "qres.gpu: unknown key"),
        ("tax_year: 2025\n", "qres: give either qres (totals) or components"),
        ("qres: {wages: 1}\n", "tax_year: is required"),
        (
            "tax_year: 2025\nqres: {wages: 1}\nprior_qres: {2024: lots}\n",
            "prior_qres[2024]: must be a number",
        ),
        (
            "tax_year: 2025\nqres: {wages: 1}\nelections: {payroll: maybe}\n",
            "elections.payroll: must be true or false",
        ),
        (
            "tax_year: 2025\ncomponents:\n  - {code: a, name: A, wages: {research: 1}}\n",
            "components[0].wages.research: unknown key",
        ),
        (
            "tax_year: 2025\nqres: {wages: 1}\nfixed_base_percentage: 3\n",
            "fixed_base_percentage: must be a fraction",
        ),
        ("tax_year: [\n", "line 2: not valid YAML: expected the node content"),
        (
            "tax_year: 2025\ncomponents:\n  - {code: a, name: A, activities: {lines: []}}\n",
            "components[0].activities.basis: is required",
        ),
        (
            "tax_year: 2025\ncomponents:\n  - {code: a, name: A, activities: {basis: days, lines: []}}\n",
            "components[0].activities.basis: must be hours or cost",
        ),
        (
            "tax_year: 2025\ncomponents:\n  - {code: a, name: A, activities: {basis: hours, lines: []}}\n",
            "components[0].activities.lines: must be a non-empty list",
        ),
        (
            "tax_year: 2025\ncomponents:\n  - code: a\n    name: A\n    activities:\n      basis: cost\n"
            "      lines: [{label: x, measure: -1, experimentation: true}]\n",
            "components[0].activities.lines[0].measure: must not be negative",
        ),
        (
            "tax_year: 2025\ncomponents:\n  - code: a\n    name: A\n    activities:\n      basis: cost\n"
            "      lines: [{label: x, measure: 1}]\n",
            "components[0].activities.lines[0].experimentation: is required",
        ),
        (
            "tax_year: 2025\ncomponents:\n  - code: a\n    name: A\n    activities:\n      basis: cost\n"
            "      layers: {Vendor: vendor}\n      lines: [{label: x, measure: 1, experimentation: true}]\n",
            "components[0].activities.layers.Vendor: must be one of qualifying_engineering",
        ),
    ],
)
def test_bad_inputs_exit_2_naming_the_key(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "inputs.yaml"
    path.write_text(content)
    result = run("compute", str(path))
    assert result.exit_code == 2
    assert f"fourpart: inputs.yaml: {message}" in result.output


def test_totals_only_inputs_with_officer_wages() -> None:
    inputs = parse_inputs(
        {
            "tax_year": 2025,
            "qres": {"wages": 100, "officer_wages": 40, "supplies": 5, "contract_research_paid": 100},
        }
    )
    from studies.credit.compute import compute

    result = compute(inputs)
    assert result.form.lines["38"] == 40 and str(result.form.lines["48"]) == "170.00"
    assert result.tie_out.warnings and result.form.section_g == ()
    with pytest.raises(InvalidCreditInput, match=r"qres\.officer_wages"):
        parse_inputs({"tax_year": 2025, "qres": {"wages": 1, "officer_wages": 2}})


@pytest.mark.slow
@pytest.mark.slow
@pytest.mark.xdist_group("demo-cli")  # beside the other users of the demo template (tests/webapp/test_cli.py)
def test_show_the_demo_study(demo_env: dict[str, str]) -> None:
    env = demo_env
    shown = fourpart(env, "credit", "show", "--study", "demo", "--json")
    assert shown.returncode == 0, shown.stderr
    document = json.loads(shown.stdout)
    assert document["study"] == "demo" and document["tie_out"]["ok"] is True
    assert isinstance(document["form_6765"]["section_g"], list)
    assert document["form_6765"]["lines"]["48"] == document["schedules"]["total"]
    unknown = fourpart(env, "credit", "show", "--study", "nope")
    assert unknown.returncode == 1 and "no study with the slug 'nope'" in unknown.stderr


def test_estimate_prints_a_labelled_range_and_refuses_a_bad_amount() -> None:
    result = run("estimate", "--sub-sector", "ai_native_product_engineering", "--wages", "2,000,000",
                 "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["label"] == "Estimate" and payload["credit"] == {"low": "24000.00", "high": "80000.00"}
    bad = run("estimate", "--sub-sector", "applied_ml", "--wages", "lots")
    assert bad.exit_code == 2 and "wages: 'lots' is not an amount" in bad.output
