"""Running the ``fourpart`` command as a user does: real processes on real databases and folders.

``env`` is an empty, un-migrated database with its own instance and evidence folders. ``demo_env`` is
a private copy of a database where ``fourpart demo load`` has run: the load (about 15 s, it embeds and
scores the demo GL) happens once per back end and test process, and each test gets a clone (a file
copy on SQLite, ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL) with copies of the folders.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.databases import drop_database, fresh_database, postgres_url

_clones = count(1)


def fourpart(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "webapp.cli", *args], env=env, text=True,
                          capture_output=True, timeout=timeout, check=False)


def cli_environment(url: str, folder: Path) -> dict[str, str]:
    return {**os.environ, "FOURPART_INSTANCE_PATH": str(folder / "instance"),
            "FOURPART_DATABASE_URL": url, "FOURPART_STORAGE_URL": str(folder / "evidence"),
            "FOURPART_QUEUE_URL": "embedded"}


@pytest.fixture
def env(backend: str, worker_name: str, tmp_path: Path) -> Iterator[dict[str, str]]:
    url = fresh_database(backend, f"fourpart_cli_{worker_name}", tmp_path)
    yield cli_environment(url, tmp_path)
    drop_database(url)


@dataclass(frozen=True)
class DemoTemplate:
    """A database and folders after ``fourpart db upgrade`` and ``fourpart demo load``."""

    backend: str
    url: str
    folder: Path
    load_output: str


@pytest.fixture(scope="session")
def demo_template(backend: str, worker_name: str,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoTemplate]:
    folder = tmp_path_factory.mktemp(f"demo-template-{backend}")
    url = fresh_database(backend, f"fourpart_demo_template_{worker_name}", folder)
    environment = cli_environment(url, folder)
    upgraded = fourpart(environment, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    loaded = fourpart(environment, "demo", "load")
    assert loaded.returncode == 0, loaded.stderr
    yield DemoTemplate(backend, url, folder, loaded.stdout)
    drop_database(url)


@pytest.fixture
def demo_env(demo_template: DemoTemplate, tmp_path: Path) -> Iterator[dict[str, str]]:
    url = _clone_database(demo_template, tmp_path)
    for part in ("instance", "evidence"):
        if (demo_template.folder / part).exists():
            shutil.copytree(demo_template.folder / part, tmp_path / part)
    yield cli_environment(url, tmp_path)
    drop_database(url)


def _clone_database(template: DemoTemplate, folder: Path) -> str:
    source = make_url(template.url)
    if template.backend == "sqlite":
        copy = folder / "demo.db"
        shutil.copyfile(str(source.database), copy)
        return f"sqlite:///{copy}"
    name = f"{source.database}_clone{next(_clones)}_{os.getpid()}"
    admin = create_engine(make_url(postgres_url() or ""), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source.database}"'))
    admin.dispose()
    return source.set(database=name).render_as_string(hide_password=False)
