"""``fourpart evidence``: bring files, folders and repositories into a study from a shell."""

from __future__ import annotations

from pathlib import Path

import click

from core.audit import Actor, acting_as
from core.settings import get_settings
from core.users import find_user
from evidence.ingest.files import ingest_path
from evidence.ingest.limits import IngestLimits
from evidence.ingest.results import IngestFailure
from studies.services import find_study
from webapp.commands.common import blob_store, database, echo_json


@click.group("evidence")
def evidence_group() -> None:
    """Ingest evidence: documents, ADRs, run logs, ablation sheets and git repositories."""


def study_and_user(slug: str, email: str | None) -> tuple[int, int | None]:
    """The study's id and the id of the user the evidence is recorded as brought by."""
    with database().session(reading=True) as session:
        study = find_study(session, slug)
        if study is None:
            raise click.ClickException(f"no study with the slug {slug!r}")
        if email is None:
            return study.id, None
        user = find_user(session, email)
        if user is None:
            raise click.ClickException(f"no user with the e-mail {email}")
        return study.id, user.id


@evidence_group.command("add")
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, file_okay=True, dir_okay=True, path_type=Path))
@click.option("--study", "slug", required=True, help="The study's slug.")
@click.option("--as", "email", default=None, help="Record the evidence as brought by this user.")
def add(paths: tuple[Path, ...], slug: str, email: str | None) -> None:
    """Ingest files and folders; the kind of each is detected from its content.

    Prints one JSON line per artifact (id, kind, sha256, new/duplicate/revision, content
    dates, counts). A refused file is named on standard error with the reason, nothing of it
    is stored, the others go on, and the exit code is 1.
    """
    study_id, user_id = study_and_user(slug, email)
    db, store = database(), blob_store()
    limits = IngestLimits.from_settings(get_settings())
    failed = False
    with acting_as(Actor(f"cli:{email}" if email else "cli", user_id)):
        for path in paths:
            for item in ingest_path(db, store, study_id, path, uploaded_by_id=user_id, source="cli",
                                    relative=path.resolve().name, limits=limits):
                if isinstance(item, IngestFailure):
                    failed = True
                    click.echo(f"fourpart: {item.message}", err=True)
                else:
                    echo_json(item.as_json())
    if failed:
        raise SystemExit(1)
