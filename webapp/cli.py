"""The ``fourpart`` command: every command-line entry point, grouped as Flask's CLI does."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click
from flask import Flask
from flask.cli import FlaskGroup

from core.blobstore import BlobError
from core.db import DatabaseUnavailable
from core.startup import NotMigrated

SERVICE_ERRORS = (DatabaseUnavailable, NotMigrated, BlobError)

# Each command's module is imported only when that command runs: together they pull in XGBoost,
# WeasyPrint and the ingesters, several seconds that ``fourpart db upgrade`` should not pay.
COMMANDS = {
    "blobs": "webapp.commands.blobs:group",
    "credit": "webapp.commands.credit:credit_group",
    "db": "webapp.commands.db:group",
    "demo": "webapp.commands.demo:group",
    "evidence": "webapp.commands.evidence_git:evidence_group",  # the group, with "git" added to it
    "gl": "webapp.commands.gl:gl_group",
    "jobs": "webapp.commands.jobs:group",
    "package": "webapp.commands.package:package_group",
    "readiness": "webapp.commands.readiness:readiness",
    "serve": "webapp.commands.serve:serve",
    "user": "webapp.commands.users:group",
    "worker": "webapp.commands.serve:worker",
}


class FourpartGroup(FlaskGroup):
    """Loads its commands on first use, and turns an unreachable database or storage into one line on
    stderr and exit code 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            module, attribute = COMMANDS[cmd_name].split(":")
            command: click.Command = getattr(importlib.import_module(module), attribute)
            return command
        return super().get_command(ctx, cmd_name)

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


if __name__ == "__main__":
    main()
