"""The ``fourpart`` command loads a command's module only when that command runs."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

from webapp.cli import COMMANDS, main

HEAVY = ("xgboost", "weasyprint", "torch", "sentence_transformers", "webapp.app", "webapp.tasks")


def _imported_after(code: str) -> list[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                          timeout=120)
    return done.stdout.split()


def test_the_entry_point_imports_no_command_module() -> None:
    assert _imported_after("import webapp.cli") == []


def test_a_database_command_leaves_models_and_pdf_unloaded() -> None:
    loaded = _imported_after("import click\nfrom webapp.cli import main\n"
                             "main.get_command(click.Context(main), 'db')")
    assert loaded == []


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_listed_command_resolves_to_a_command_of_that_name(name: str) -> None:
    with click.Context(main) as ctx:
        command = main.get_command(ctx, name)
    assert isinstance(command, click.Command)
    assert command.name == name


def test_help_lists_every_command() -> None:
    with click.Context(main) as ctx:
        listed = set(main.list_commands(ctx))
    assert set(COMMANDS) <= listed
