"""Fixtures shared by the whole suite.

Database tests run once per back end: SQLite always, PostgreSQL when ``TEST_DATABASE_URL``
is set (in CI an unreachable PostgreSQL fails the run instead of skipping it). Each test
runs inside a transaction that is rolled back, on a schema built by the migrations.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from itertools import count
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

import webapp.models  # noqa: F401
from core.db import Database
from core.settings import Settings
from core.users import User, create_user
from studies.models import Organization, Role, Study
from studies.services import add_member, create_organization, create_study
from tests.cli import demo_env, demo_template, env  # noqa: F401  (fixtures for the CLI tests)
from tests.databases import in_ci, migrated, postgres_available, postgres_url

PASSWORD = "correct horse battery"
BACKENDS = ["sqlite", "postgresql"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = postgres_available() if postgres_url() or in_ci() else "TEST_DATABASE_URL is not set"
    if reason is None:
        return
    if in_ci():
        raise pytest.UsageError(f"PostgreSQL is required in CI: {reason}")
    skip = pytest.mark.skip(reason=f"PostgreSQL unavailable: {reason}")
    for item in items:
        if "[postgresql" in item.nodeid:
            item.add_marker(skip)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def worker_name() -> str:
    """Names this test process's databases; the pid keeps two concurrent runs apart."""
    return f'{os.environ.get("PYTEST_XDIST_WORKER", "main")}_{os.getpid()}'


@pytest.fixture(scope="session")
def migrated_database(backend: str, worker_name: str,
                      tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    with migrated(backend, f"fourpart_test_{worker_name}", tmp_path_factory.mktemp("db")) as database:
        yield database


class TransactionalDatabase(Database):
    """A Database whose sessions share one connection and end in savepoints."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.url = str(connection.engine.url)
        self.engine = connection.engine
        self.sessionmaker = sessionmaker(bind=connection, expire_on_commit=False,
                                         join_transaction_mode="create_savepoint")
        self.read_sessionmaker = self.sessionmaker


@pytest.fixture
def db(migrated_database: Database) -> Iterator[TransactionalDatabase]:
    with migrated_database.engine.connect() as connection:
        outer = connection.begin()
        yield TransactionalDatabase(connection)
        outer.rollback()


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.session() as session:
        yield session


@pytest.fixture
def settings(tmp_path: Path, migrated_database: Database) -> Settings:
    return Settings(instance_path=tmp_path / "instance", database_url=migrated_database.url,
                    storage_url=str(tmp_path / "evidence"), queue_url="immediate",
                    secret_key="test-secret-key", rate_limit_storage_url="memory://")


@pytest.fixture
def app(settings: Settings, db: Database) -> Flask:
    from webapp.app import create_app
    application = create_app(settings, db=db)
    application.config.update(TESTING=True, WTF_CSRF_ENABLED=False)
    return application


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


_serial = count(1)


@pytest.fixture
def make_user(session: Session) -> Callable[..., User]:
    def make(email: str | None = None, name: str | None = None, password: str = PASSWORD) -> User:
        number = next(_serial)
        user = create_user(session, email=email or f"user{number}@example.test",
                           name=name or f"User {number}", password=password)
        session.commit()
        return user
    return make


@pytest.fixture
def make_study(session: Session) -> Callable[..., Study]:
    def make(slug: str | None = None, members: dict[User, Role] | None = None,
             organization: Organization | None = None, tax_year: int = 2025) -> Study:
        number = next(_serial)
        organization = organization or create_organization(
            session, name=f"Client {number}, Inc.", sub_sector="ai_native_product_engineering")
        study = create_study(session, organization=organization, slug=slug or f"study-{number}",
                             title=f"Client {number} {tax_year}", tax_year=tax_year)
        for user, role in (members or {}).items():
            add_member(session, study, user, role)
        session.commit()
        return study
    return make


@pytest.fixture
def sign_in(client: FlaskClient) -> Callable[[User], None]:
    def do(user: User, password: str = PASSWORD) -> None:
        response = client.post("/sign-in", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
    return do
