"""Per-request access to the database session, the job queue and the blob store."""

from __future__ import annotations

from typing import Any, cast

from flask import current_app, g, request
from sqlalchemy.orm import Session

from core.audit import Actor
from core.blobstore import BlobStore
from core.db import Database
from core.jobs import JobQueue
from core.settings import Settings


def database() -> Database:
    return cast(Database, current_app.extensions["fourpart.db"])


def queue() -> JobQueue:
    return cast(JobQueue, current_app.extensions["fourpart.queue"])


def blob_store() -> BlobStore:
    return cast(BlobStore, current_app.extensions["fourpart.blobs"])


def settings() -> Settings:
    return cast(Settings, current_app.extensions["fourpart.settings"])


def db_session() -> Session:
    """The request's session; committed by the view, closed when the request ends."""
    if "db_session" not in g:
        g.db_session = database().session(reading=request.method in ("GET", "HEAD"))
    return cast(Session, g.db_session)


def close_session(_exc: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def start_job(kind: str, *, actor: Actor, study_id: int | None,
              params: dict[str, Any] | None = None) -> int:
    """Submit a job from a request. The request's own transaction ends first: on SQLite it
    holds the write lock, which the job's row (and an inline job) would wait for."""
    db_session().commit()
    return queue().submit(kind, actor=actor, study_id=study_id, params=params)
