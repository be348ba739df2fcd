"""``fourpart demo``: the demo study."""

import click

from core.settings import get_settings
from webapp.commands.common import blob_store, database
from webapp.demo import company


@click.group("demo")
def group() -> None:
    """Load the demo study (a fictional legal-tech AI company)."""


@group.command("load")
def load() -> None:
    """Create the demo study, generate its raw material and ingest it; a second run changes nothing."""
    from webapp.demo.loader import load_demo
    settings = get_settings()
    result = load_demo(database(), blob_store(), settings.instance_path / "demo-materials")
    state = "loaded" if result.created else "already loaded"
    click.echo(f"Demo study '{result.study_slug}' {state}; raw material in {result.materials}")
    click.echo(f"\nOpen {settings.base_url}/ and sign in with password '{company.DEMO_PASSWORD}' as:")
    for user in company.DEMO_USERS:
        click.echo(f"  {user.role:<12} {user.email:<34} ({user.client})")
