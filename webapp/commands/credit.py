"""``fourpart credit``: the credit engine from a shell, for a study or for a CPA's what-if inputs file."""

from __future__ import annotations

import json
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click

from studies.credit.compute import CreditResult, compute
from studies.credit.form6765 import LINE_TEXT, SECTIONS
from studies.credit.from_study import inputs_from_study
from studies.credit.inputs import InvalidCreditInput
from studies.credit.money import dollars
from studies.credit.yaml_inputs import load_inputs
from studies.services import find_study
from webapp.commands.common import database, echo_json


@click.group("credit")
def credit_group() -> None:
    """Compute QREs, the Regular credit and the ASC, and the Form 6765 figures."""


def _refuse(where: str, exc: InvalidCreditInput) -> None:
    click.echo(f"fourpart: {where}: {exc}", err=True)
    sys.exit(2)


def _emit(result: CreditResult, as_json: bool, csv_path: Path | None, extra: dict[str, object]) -> None:
    if csv_path is not None:
        csv_path.write_text(result.form.to_csv(), encoding="utf-8")
    if as_json:
        click.echo(json.dumps({**extra, **result.as_json()}, indent=2, sort_keys=False))
    else:
        click.echo(render_text(result))


@credit_group.command("compute")
@click.argument("inputs", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document (Form 6765 keyed by line).")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the Form 6765 figures as CSV to this file.")
def compute_command(inputs: Path, as_json: bool, csv_path: Path | None) -> None:
    """Run the engine on a what-if inputs file (docs/credit-inputs.md); bad input exits with code 2."""
    try:
        result = compute(load_inputs(inputs))
    except InvalidCreditInput as exc:
        _refuse(inputs.name, exc)
    _emit(result, as_json, csv_path, {"inputs": inputs.name})


@credit_group.command("show")
@click.option("--study", "slug", required=True, help="The study's slug.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document (Form 6765 keyed by line).")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the Form 6765 figures as CSV to this file.")
def show_command(slug: str, as_json: bool, csv_path: Path | None) -> None:
    """The study's Form 6765 figures and QRE schedules, from its approved records."""
    with database().session(reading=True) as session:
        study = find_study(session, slug)
        if study is None:
            raise click.ClickException(f"no study with the slug {slug!r}")
        try:
            result = compute(inputs_from_study(session, study))
        except InvalidCreditInput as exc:
            _refuse(f"study {slug}", exc)
    _emit(result, as_json, csv_path, {"study": slug})


@credit_group.command("estimate")
@click.option("--sub-sector", "sub_sector", required=True, help="The company type, e.g. applied_ml.")
@click.option("--wages", required=True, help="Total annual W-2 wages of all employees.")
@click.option("--entity-type", "entity_type", default="c_corp", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def estimate_command(sub_sector: str, wages: str, entity_type: str, as_json: bool) -> None:
    """Seed 000's scoping estimate for a new study: a range, labelled an estimate."""
    from studies.credit.estimate import scoping_estimate
    try:
        estimate = scoping_estimate(sub_sector, Decimal(wages.replace(",", "")), entity_type)
    except InvalidOperation:
        _refuse("estimate", InvalidCreditInput("wages", f"{wages!r} is not an amount"))
        return
    except InvalidCreditInput as exc:
        _refuse("estimate", exc)
        return
    if as_json:
        echo_json(estimate.as_json())
        return
    click.echo(f"Estimate: federal credit {dollars(estimate.credit.low)} to {dollars(estimate.credit.high)}; "
               f"4-year look-back {dollars(estimate.look_back.low)} to {dollars(estimate.look_back.high)}")
    for line in estimate.basis:
        click.echo(f"  {line}")


STATUS_TEXT = {
    "passes": "meets the 80% test",
    "shrunk_back": "shrunk back to the subset that qualifies",
    "fails": "fails, nothing claimed",
    "not_measured": "not measured (no declared basis or no activity lines); QREs counted as recorded",
}


def render_text(result: CreditResult) -> str:
    form, lines = result.form, result.form.lines
    out = [f"Form 6765 (Rev. December 2024), tax year {form.tax_year}",
           f"Method: {result.choice.method} - {result.choice.reason}"]
    for section, numbers in SECTIONS:
        shown = [n for n in numbers if lines[n] is not None]
        if shown:
            out.append(f"Section {section}" if section != "Items" else "Items")
        out += [f"  {n:>4}  {LINE_TEXT[n][:70]:<70}  {_text(lines[n])}" for n in shown]
    out.append(f"Section G: {form.section_g_status.status} ({form.section_g_status.reason})")
    for row in form.section_g:
        code = f" (49(b) {row['49(b)']})" if row["49(b)"] else ""
        out.append(f"  {row['49(c)']}{code}: wages {_text(row['53'])}, supplies {_text(row['54'])}, "
                   f"computer rental {_text(row['55'])}, contract research {_text(row['56'])}")
    out.append("QREs by component")
    for component in (*result.schedule.components, result.schedule.unassigned):
        if component.items:
            out.append(f"  {component.code or '-'}  {component.name}: {dollars(component.total)}")
    for item in result.schedule.excluded:
        out.append(f"  excluded {item.category} {', '.join(item.sources)}: {item.excluded_reason}")
    out.append("Substantially all (80% test) per component")
    for test in result.tests:
        out.append(f"  {test.name}: {STATUS_TEXT[test.status]}")
        if test.result is not None:
            out += [f"    {line}" for line in test.explanation.splitlines()]
    split = result.schedule.section_174()
    out.append(f"Research costs: domestic (§174A) {dollars(split['domestic_174a'])}, "
               f"foreign (§174) {dollars(split['foreign_174'])}")
    out.append(f"Payroll election: {result.payroll.note}")
    out.append("Tie-out: " + ("ok" if result.tie_out.ok else "; ".join(result.tie_out.problems)))
    out += [f"Warning: {w}" for w in result.tie_out.warnings]
    if result.statement is not None:
        out += ["", result.statement.as_markdown()]
    return "\n".join(out)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "X" if value else ""
    if isinstance(value, Decimal):
        return dollars(value)
    return str(value)
