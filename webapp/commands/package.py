"""``fourpart package``: build a study's audit-defense package, and verify a package ZIP."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from core.audit import Actor, acting_as
from core.settings import get_settings
from core.users import find_user
from narratives.package import BuildRequest, PackageRefused, VersionTaken, build_package, verify_zip
from narratives.package.seal import SealingUnavailable, configured_key
from studies.services import find_study
from webapp.commands.common import blob_store, database


@click.group("package")
def package_group() -> None:
    """Build the audit-defense package (PDF and exhibits ZIP) and verify a package ZIP."""


@package_group.command("build")
@click.option("--study", "slug", required=True, help="The study's slug.")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the PDF and the ZIP to (created if needed).")
@click.option("--final", is_flag=True, help="Build a final package (refused while blocking findings stand).")
@click.option("--override-reason", default=None, help="Why the package is final despite blocking findings.")
@click.option("--as", "as_email", default=None, help="Email of the person building (and overriding).")
def build_command(slug: str, out: Path, final: bool, override_reason: str | None,
                  as_email: str | None) -> None:
    """Build a new package version; prints the PDF and ZIP paths and the manifest digest."""
    db, store = database(), blob_store()
    with db.session(reading=True) as session:
        study = find_study(session, slug)
        if study is None:
            raise click.ClickException(f"no study with the slug {slug!r}")
        user = find_user(session, as_email) if as_email else None
        if as_email and user is None:
            raise click.ClickException(f"--as: no user with the email {as_email!r}")
        study_id = study.id
    actor = Actor(f"cli:{user.email}" if user else "cli", user.id if user else None)
    try:
        with acting_as(actor):
            request = BuildRequest(final, override_reason, user.id if user else None)
            built = build_package(db, store, study_id, request, sealing=configured_key(get_settings()))
    except (PackageRefused, VersionTaken, SealingUnavailable) as exc:
        click.echo(f"fourpart: {exc}", err=True)
        sys.exit(1)
    out.mkdir(parents=True, exist_ok=True)
    for sha256, name in ((built.pdf_sha256, built.pdf_name), (built.zip_sha256, built.zip_name)):
        with store.open(sha256) as reader, (out / name).open("wb") as target:
            shutil.copyfileobj(reader, target, 1024 * 1024)
    click.echo(f"pdf: {out / built.pdf_name}")
    click.echo(f"zip: {out / built.zip_name}")
    click.echo(f"version: {built.version} ({'final' if built.is_final else 'draft'})")
    click.echo(f"manifest digest: {built.manifest_digest}")
    if built.sealed:
        click.echo("sealed: the PDF carries the firm's signature")


@package_group.command("verify")
@click.argument("zip_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def verify_command(zip_path: Path) -> None:
    """Recompute every hash of a package ZIP; report each mismatch, missing and extra file (exit 1 on any).

    A sealed package PDF's signature is checked too: reported when valid, a problem when not.
    """
    result = verify_zip(zip_path)
    for problem in result.problems:
        click.echo(str(problem))
    for pdf, seal in result.seals:
        if seal.valid:
            click.echo(f"{pdf}: {seal}")
    if result.ok:
        click.echo(f"ok: {result.bag}: {result.checked} files match their SHA-256")
    else:
        click.echo(f"FAILED: {result.bag}: {len(result.problems)} problem(s), {result.checked} files checked",
                   err=True)
    sys.exit(0 if result.ok else 1)
