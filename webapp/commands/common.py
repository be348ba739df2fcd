"""What the commands share: the configured services and JSON output."""

from __future__ import annotations

import json
from typing import Any

import click

from core.blobstore import BlobStore, blob_store_from_settings
from core.db import Database
from core.jobs import JobQueue
from core.settings import get_settings
from core.startup import check_schema


def echo_json(payload: dict[str, Any]) -> None:
    click.echo(json.dumps(payload, default=str, sort_keys=True))


def database() -> Database:
    """The configured database, once it is reachable and has a schema (else one clear line, exit 2)."""
    db = Database(get_settings().database_url)
    check_schema(db)
    return db


def blob_store() -> BlobStore:
    return blob_store_from_settings(get_settings())


def command_queue(db: Database, blobs: BlobStore) -> JobQueue:
    """The queue for a command: inline when embedded (no consumer runs beside a command)."""
    import webapp.tasks  # noqa: F401
    settings = get_settings()
    url = "immediate" if settings.queue_url == "embedded" else settings.queue_url
    return JobQueue(db, blobs, url, settings.instance_path)
