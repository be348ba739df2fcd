"""Test databases: a fresh SQLite file or a fresh PostgreSQL database per use."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from core.db import Database, DatabaseUnavailable

POSTGRES_ENV = "TEST_DATABASE_URL"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


def postgres_available() -> str | None:
    """None when PostgreSQL is usable, else why not (CI turns that into a failure)."""
    url = postgres_url()
    if url is None:
        return f"{POSTGRES_ENV} is not set"
    try:
        Database(url).check_connection()
    except DatabaseUnavailable as exc:
        return str(exc)
    return None


def fresh_database(backend: str, name: str, folder: Path) -> str:
    """A URL of an empty database called ``name`` on the backend ("sqlite" or "postgresql")."""
    safe = re.sub(r"[^a-z0-9_]", "_", name.lower())
    if backend == "sqlite":
        path = folder / f"{safe}.db"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    base = make_url(postgres_url() or "")
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{safe}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{safe}"'))
    admin.dispose()
    return base.set(database=safe).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    admin = create_engine(make_url(postgres_url() or ""), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()


@contextmanager
def migrated(backend: str, name: str, folder: Path) -> Iterator[Database]:
    """A fresh database migrated to head, dropped afterwards."""
    from core import migrate
    url = fresh_database(backend, name, folder)
    migrate.upgrade(url)
    database = Database(url)
    try:
        yield database
    finally:
        database.engine.dispose()
        drop_database(url)
