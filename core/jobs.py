"""Background jobs: a ``jobs`` row per job for status and result, a huey queue to run them.

The queue is chosen by ``FOURPART_QUEUE_URL``:

* ``embedded`` (default): huey's SQLite storage under the instance folder, consumed by
  threads inside the web process (``fourpart serve``);
* ``redis://host:port/db``: huey's Redis storage, consumed by ``fourpart worker`` processes;
* ``immediate``: jobs run inline when submitted (tests, scripts).

A handler is a plain function registered with :func:`job_handler`; it gets a
:class:`JobContext` and does its writes in its own transaction, so a job that dies leaves
nothing half-written. Progress goes to the queue's key-value store, not the database, so
it is visible while the handler's transaction is still open.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey
from huey.consumer import Consumer
from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.audit import Actor, acting_as
from core.blobstore import BlobStore
from core.db import Base, Database, utcnow

log = logging.getLogger(__name__)

QUEUED, RUNNING, SUCCEEDED, FAILED = "queued", "running", "succeeded", "failed"


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(80))
    study_id: Mapped[int | None] = mapped_column(index=True)
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(20), default=QUEUED)
    result: Mapped[dict[str, Any] | None]
    error: Mapped[str | None] = mapped_column(Text)
    actor_label: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]

    @property
    def done(self) -> bool:
        return self.status in (SUCCEEDED, FAILED)


@dataclass(frozen=True)
class Progress:
    fraction: float
    message: str


@dataclass
class JobContext:
    """What a handler gets: its parameters, the database and a way to report progress."""

    job_id: int
    study_id: int | None
    params: dict[str, Any]
    db: Database
    blobs: BlobStore
    report: Callable[[float, str], None]

    def progress(self, fraction: float, message: str = "") -> None:
        self.report(max(0.0, min(1.0, fraction)), message)


JobHandler = Callable[[JobContext], dict[str, Any] | None]
_HANDLERS: dict[str, JobHandler] = {}


def job_handler(kind: str) -> Callable[[JobHandler], JobHandler]:
    def register(func: JobHandler) -> JobHandler:
        _HANDLERS[kind] = func
        return func
    return register


class UnknownJobKind(LookupError):
    pass


def _build_huey(queue_url: str, instance_path: Path) -> Huey:
    if queue_url == "immediate":
        return MemoryHuey("fourpart", immediate=True)
    if queue_url == "embedded":
        instance_path.mkdir(parents=True, exist_ok=True)
        return SqliteHuey("fourpart", filename=str(instance_path / "jobs.db"))
    if queue_url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("fourpart", url=queue_url)
    raise ValueError(f"FOURPART_QUEUE_URL {queue_url!r}: use 'embedded', 'immediate' or redis://...")


class _ThreadConsumer(Consumer):
    """A huey consumer that can run in a thread of the web process (no signal handlers)."""

    def _set_signal_handlers(self) -> None:
        return None


class JobQueue:
    def __init__(self, db: Database, blobs: BlobStore, queue_url: str, instance_path: Path) -> None:
        self.db = db
        self.blobs = blobs
        self.queue_url = queue_url
        self.huey = _build_huey(queue_url, instance_path)
        self._task = self.huey.task(name="fourpart.run_job")(self.run)
        self._consumer: Consumer | None = None

    def submit(self, kind: str, *, actor: Actor, study_id: int | None = None,
               params: dict[str, Any] | None = None) -> int:
        """Record a job and queue it; returns the job id. Immediate queues run it now."""
        if kind not in _HANDLERS:
            raise UnknownJobKind(f"no job handler named {kind!r}")
        with self.db.transaction() as session:
            job = Job(kind=kind, study_id=study_id, params=params or {},
                      actor_label=actor.label, created_by_id=actor.user_id)
            session.add(job)
            session.flush()
            job_id = job.id
        self._task(job_id)
        return job_id

    def run(self, job_id: int) -> None:
        job = self._mark_running(job_id)
        if job is None:
            return
        context = JobContext(job.id, job.study_id, dict(job.params), self.db, self.blobs,
                             lambda fraction, message: self._report(job_id, fraction, message))
        actor = Actor(f"{job.actor_label} (job {job.id})", job.created_by_id)
        try:
            with acting_as(actor):
                result = _HANDLERS[job.kind](context)
        except Exception as exc:
            log.warning("job %s (%s) failed:\n%s", job_id, job.kind, traceback.format_exc())
            self._finish(job_id, FAILED, error=_one_line(exc))
        else:
            self._finish(job_id, SUCCEEDED, result=result or {})

    def progress(self, job_id: int) -> Progress | None:
        value = self.huey.get(_progress_key(job_id), peek=True)
        return Progress(*value) if value else None

    def _report(self, job_id: int, fraction: float, message: str) -> None:
        self.huey.put(_progress_key(job_id), (fraction, message))

    def _mark_running(self, job_id: int) -> Job | None:
        with self.db.transaction() as session:
            job = session.get(Job, job_id)
            if job is None or job.status != QUEUED:
                return None
            job.status, job.started_at = RUNNING, utcnow()
            return job

    def _finish(self, job_id: int, status: str, *, result: dict[str, Any] | None = None,
                error: str | None = None) -> None:
        with self.db.transaction() as session:
            job = session.get_one(Job, job_id)
            job.status, job.result, job.error, job.finished_at = status, result, error, utcnow()
        self._report(job_id, 1.0 if status == SUCCEEDED else 0.0, status)

    def start_in_process(self, workers: int = 2) -> None:
        """Consume the embedded queue in threads of this process (for ``fourpart serve``)."""
        if self.huey.immediate or self._consumer is not None:
            return
        self._consumer = _ThreadConsumer(self.huey, workers=workers, periodic=False)
        threading.Thread(target=self._consumer.run, name="fourpart-jobs", daemon=True).start()

    def stop_in_process(self) -> None:
        if self._consumer is not None:
            self._consumer.stop(graceful=True)
            self._consumer = None

    def worker(self, workers: int) -> Consumer:
        """A consumer for a separate ``fourpart worker`` process."""
        return self.huey.create_consumer(workers=workers, periodic=False)


def _progress_key(job_id: int) -> str:
    return f"fourpart:job-progress:{job_id}"


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) < 2000 else text[:2000] + "…"


def study_jobs(session: Session, study_id: int, limit: int = 50) -> list[Job]:
    query = (select(Job).where(Job.study_id == study_id)
             .order_by(Job.created_at.desc(), Job.id.desc()).limit(limit))
    return list(session.scalars(query))
