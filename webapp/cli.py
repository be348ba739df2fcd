"""The ``fourpart`` command: every command-line entry point, grouped as Flask's CLI does."""

from __future__ import annotations

import sys
from typing import Any

import click
from flask import Flask
from flask.cli import FlaskGroup

from core.blobstore import BlobError
from core.db import DatabaseUnavailable
from core.startup import NotMigrated

SERVICE_ERRORS = (DatabaseUnavailable, NotMigrated, BlobError)


class FourpartGroup(FlaskGroup):
    """Turns an unreachable database or storage into one line on stderr and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SERVICE_ERRORS as exc:
            click.echo(f"fourpart: {exc}", err=True)
            sys.exit(2)


def _create_app() -> Flask:
    from webapp.app import create_app
    return create_app()


@click.group(cls=FourpartGroup, create_app=_create_app, add_version_option=False,
             load_dotenv=False)
def main() -> None:
    """Fourpart: R&D tax credit audit-defense files from an AI company's engineering record."""


def _register_groups() -> None:
    from webapp.commands import blobs, credit, db, demo, evidence, gl, jobs, package, readiness, serve, users
    for module in (db, demo, users, evidence, jobs, blobs, serve, readiness, credit, package, gl):
        module.register(main)


_register_groups()


if __name__ == "__main__":
    main()
