"""``fourpart evidence git``: ingest a repository's history, branches, tags and ADRs."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from core.audit import Actor, acting_as
from core.settings import get_settings
from evidence.ingest.limits import IngestLimits
from evidence.ingest.results import IngestFailure
from webapp.commands.common import blob_store, database, echo_json
from webapp.commands.evidence import evidence_group, study_and_user


@evidence_group.command("git")
@click.argument("repo")
@click.option("--study", "slug", required=True, help="The study's slug.")
@click.option("--rules", "rules_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="YAML rules attributing commits to projects (see docs/git-rules.md).")
@click.option("--path", "name", default=None,
              help="Name the repository artifact (default: its resolved path, URL or bundle file name).")
@click.option("--as", "email", default=None, help="Record the evidence as brought by this user.")
def git(repo: str, slug: str, rules_file: Path | None, name: str | None, email: str | None) -> None:
    """Ingest REPO: a local repository, a `git bundle` file, or an https:// or ssh:// URL.

    Prints one JSON line for the repository and one per decision record found in it. A
    refused repository or record is named on standard error with the reason, nothing of it
    is stored, and the exit code is 1. Ingesting the same repository again adds only its new
    commits.
    """
    from evidence.ingest.git import ingest_git  # GitPython loads only for this command
    from evidence.ingest.git_rules import RuleError, load_rules

    try:
        rules = load_rules(rules_file) if rules_file is not None else None
    except RuleError as exc:
        raise click.ClickException(str(exc)) from exc
    study_id, user_id = study_and_user(slug, email)
    limits = IngestLimits.from_settings(get_settings())
    with acting_as(Actor(f"cli:{email}" if email else "cli", user_id)), \
            tempfile.TemporaryDirectory(prefix="fourpart-git-") as workdir:
        reported = ingest_git(database(), blob_store(), study_id, repo, uploaded_by_id=user_id, rules=rules,
                              path=name, workdir=Path(workdir), limits=limits)
    for item in reported:
        if isinstance(item, IngestFailure):
            click.echo(f"fourpart: {item.message}", err=True)
        else:
            echo_json(item.as_json())
    if any(isinstance(item, IngestFailure) for item in reported):
        raise SystemExit(1)


@evidence_group.command("git-rules")
@click.argument("artifact_id", type=int)
@click.option("--study", "slug", required=True, help="The study's slug.")
@click.option("--rules", "rules_file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The new YAML rules (see docs/git-rules.md).")
@click.option("--as", "email", default=None, help="Record the change as made by this user.")
def git_rules(artifact_id: int, slug: str, rules_file: Path, email: str | None) -> None:
    """Re-apply changed commit rules to the commits a repository artifact already holds.

    Prints one JSON line with the commits per project before and after. Rules naming an
    unknown project, or an artifact that is not a repository of the study, change nothing.
    """
    from evidence.ingest.git_remap import RemapError, reapply_rules
    from evidence.ingest.git_rules import RuleError, load_rules

    study_id, user_id = study_and_user(slug, email)
    try:
        rules = load_rules(rules_file)
        with acting_as(Actor(f"cli:{email}" if email else "cli", user_id)):
            result = reapply_rules(database(), blob_store(), study_id, artifact_id, rules, user_id=user_id)
    except (RuleError, RemapError) as exc:
        raise click.ClickException(str(exc)) from exc
    echo_json(result.as_json())
