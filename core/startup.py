"""Checks run before serving or working, so a bad setting fails with one clear line."""

from __future__ import annotations

from sqlalchemy import inspect

from core.blobstore import BlobStore
from core.db import Database, DatabaseUnavailable


class NotMigrated(RuntimeError):
    pass


def check_schema(db: Database) -> None:
    """Raise DatabaseUnavailable or NotMigrated with a one-line message."""
    db.check_connection()
    if not inspect(db.engine).has_table("alembic_version"):
        raise NotMigrated(f"database {db.engine.url.render_as_string(hide_password=True)} "
                          "has no schema yet: run `fourpart db upgrade`")


def check_services(db: Database, blobs: BlobStore) -> None:
    """Raise DatabaseUnavailable, NotMigrated or StorageUnavailable with a one-line message."""
    check_schema(db)
    blobs.check_writable()


__all__ = ["DatabaseUnavailable", "NotMigrated", "check_schema", "check_services"]
