"""The migrations build the models' schema exactly, and go down again, on both back ends."""

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from core import migrate
from core.db import Base, Database
from tests.databases import drop_database, fresh_database

pytestmark = pytest.mark.slow


@pytest.fixture
def empty_url(backend: str, worker_name: str, tmp_path: Path):
    url = fresh_database(backend, f"fourpart_migrations_{worker_name}", tmp_path)
    yield url
    drop_database(url)


def _tables(url: str) -> set[str]:
    database = Database(url)
    try:
        return set(inspect(database.engine).get_table_names())
    finally:
        database.engine.dispose()


def test_upgrade_to_head_and_down_to_base_and_up_again(empty_url: str) -> None:
    migrate.upgrade(empty_url)
    assert set(Base.metadata.tables) <= _tables(empty_url)
    migrate.downgrade(empty_url, "base")
    assert _tables(empty_url) <= {"alembic_version"}
    migrate.upgrade(empty_url)
    assert set(Base.metadata.tables) <= _tables(empty_url)


def test_models_and_migrations_do_not_differ(migrated_database: Database) -> None:
    with migrated_database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_each_migration_has_a_real_downgrade_and_a_dated_name() -> None:
    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    for revision in scripts.walk_revisions():
        source = Path(revision.path).read_text()
        assert "def downgrade() -> None:\n    pass" not in source, revision.path
        assert Path(revision.path).name[:13].replace("_", "").isdigit(), revision.path
