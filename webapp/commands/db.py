"""``fourpart db``: schema migrations."""

import click

from core import migrate
from core.settings import get_settings


@click.group("db")
def group() -> None:
    """Create or change the database schema."""


@group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def upgrade(revision: str) -> None:
    """Migrate the configured database up to REVISION."""
    settings = get_settings()
    from core.db import Database
    Database(settings.database_url).check_connection()
    migrate.upgrade(settings.database_url, revision)
    click.echo(f"database is at {revision}")


@group.command("downgrade")
@click.argument("revision")
def downgrade(revision: str) -> None:
    """Migrate the configured database down to REVISION (``base`` empties it)."""
    migrate.downgrade(get_settings().database_url, revision)


@group.command("current")
def current() -> None:
    """Print the schema revision of the configured database."""
    migrate.current(get_settings().database_url)
