"""``fourpart readiness``: the examiner's eye on a study, from a shell or a pipeline."""

from __future__ import annotations

import sys

import click

from narratives.readiness import ReadinessReport, run_readiness
from studies.services import find_study
from webapp.commands.common import database, echo_json


@click.command("readiness")
@click.option("--study", "slug", required=True, help="The study's slug.")
@click.option("--json", "as_json", is_flag=True,
              help="One JSON document: the score and one object per finding.")
def readiness(slug: str, as_json: bool) -> None:
    """List what an examiner would find missing, by severity, naming the record to fix.

    Exit code 0 when no finding is blocking, 1 otherwise.
    """
    with database().session(reading=True) as session:
        study = find_study(session, slug)
        if study is None:
            raise click.ClickException(f"no study with the slug {slug!r}")
        report = run_readiness(session, study)
    if as_json:
        echo_json(report.as_json())
    else:
        _print(report)
    sys.exit(0 if report.ready else 1)


def _print(report: ReadinessReport) -> None:
    click.echo(f"{report.study_slug}: readiness {report.score}% ({len(report.blocking)} blocking, "
               f"{len(report.warnings)} warnings, {report.checked} checks)")
    for finding in report.findings:
        record = finding.record
        where = f"{record.type} {record.id}" + (f" [{record.project}]" if record.project else "")
        click.echo(f"{finding.severity.value.upper():8} {finding.check:30} {where}")
        click.echo(f"         {finding.message}")
