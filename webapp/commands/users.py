"""``fourpart user``: accounts and study memberships."""

import click

from core.audit import Actor, acting_as
from core.users import PasswordTooShort, create_user, find_user
from studies.models import Role
from studies.services import add_member, find_study
from webapp.commands.common import database


@click.group("user")
def group() -> None:
    """Create accounts and give them roles in studies."""


@group.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.password_option()
def create(email: str, name: str, password: str) -> None:
    """Create a user who can sign in."""
    with acting_as(Actor("cli")), database().transaction() as session:
        if find_user(session, email):
            raise click.ClickException(f"a user with the e-mail {email} already exists")
        try:
            create_user(session, email=email, name=name, password=password)
        except PasswordTooShort as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"created {email}")


@group.command("add-member")
@click.option("--study", "slug", required=True)
@click.option("--email", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
def add_membership(slug: str, email: str, role: str) -> None:
    """Give a user a role in a study."""
    with acting_as(Actor("cli")), database().transaction() as session:
        study, user = find_study(session, slug), find_user(session, email)
        if study is None:
            raise click.ClickException(f"no study with the slug {slug!r}")
        if user is None:
            raise click.ClickException(f"no user with the e-mail {email}")
        add_member(session, study, user, Role(role))
    click.echo(f"{email} is {role} of {slug}")
