"""Jobs run with a status, progress and result, and a failing job leaves nothing behind."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

import webapp.tasks  # noqa: F401
from core.audit import Actor, AuditEvent
from core.blobstore import LocalBlobStore
from core.db import Database
from core.jobs import FAILED, SUCCEEDED, Job, JobContext, JobQueue, UnknownJobKind, job_handler
from core.users import create_user
from tests.databases import migrated

ACTOR = Actor("tester")


@job_handler("test.count_to")
def count_to(context: JobContext) -> dict[str, int]:
    total = int(context.params["n"])
    for i in range(1, total + 1):
        context.progress(i / total, f"{i} of {total}")
    return {"counted": total}


@job_handler("test.write_then_die")
def write_then_die(context: JobContext) -> None:
    with context.db.transaction() as session:
        create_user(session, email="half@example.test", name="Half Written", password="x" * 12)
        session.flush()
        raise RuntimeError("disk on fire while writing row 2 of 2")


def _queue(db: Database, tmp_path: Path, url: str = "immediate") -> JobQueue:
    return JobQueue(db, LocalBlobStore(tmp_path / "blobs"), url, tmp_path / "instance")


def test_immediate_job_records_result_and_progress(db, session, tmp_path) -> None:
    queue = _queue(db, tmp_path)
    job_id = queue.submit("test.count_to", actor=ACTOR, params={"n": 3})
    job = session.get(Job, job_id)
    assert (job.status, job.result, job.actor_label) == (SUCCEEDED, {"counted": 3}, "tester")
    assert job.started_at <= job.finished_at
    assert queue.progress(job_id).fraction == 1.0


def test_failed_job_keeps_its_error_and_none_of_its_rows(db, session, tmp_path) -> None:
    job_id = _queue(db, tmp_path).submit("test.write_then_die", actor=ACTOR)
    job = session.get(Job, job_id)
    assert job.status == FAILED
    assert job.error == "disk on fire while writing row 2 of 2"
    from core.users import User
    assert session.scalar(select(func.count()).select_from(User)) == 0
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_unknown_job_kind_is_refused_before_anything_is_written(db, session, tmp_path) -> None:
    with pytest.raises(UnknownJobKind):
        _queue(db, tmp_path).submit("no.such.job", actor=ACTOR)
    assert session.scalar(select(func.count()).select_from(Job)) == 0


def _wait_for(db: Database, job_id: int, seconds: float = 60) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with db.session() as session:
            job = session.get_one(Job, job_id)
            if job.done:
                return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish in {seconds}s")


@pytest.fixture
def file_database(backend: str, worker_name: str, tmp_path: Path):
    with migrated(backend, f"fourpart_jobs_{worker_name}", tmp_path) as database:
        yield database


@pytest.mark.slow
def test_embedded_queue_runs_jobs_in_threads_of_this_process(file_database, tmp_path) -> None:
    queue = _queue(file_database, tmp_path, "embedded")
    queue.start_in_process(workers=2)
    try:
        ids = [queue.submit("test.count_to", actor=ACTOR, params={"n": n}) for n in (5, 7)]
        results = [_wait_for(file_database, job_id).result for job_id in ids]
    finally:
        queue.stop_in_process()
    assert results == [{"counted": 5}, {"counted": 7}]


@pytest.mark.slow
def test_redis_queue_is_consumed_by_a_separate_worker_process(file_database, tmp_path) -> None:
    redis_url = "redis://127.0.0.1:6379/15"
    env = {**os.environ, "FOURPART_DATABASE_URL": file_database.url,
           "FOURPART_STORAGE_URL": str(tmp_path / "blobs"), "FOURPART_QUEUE_URL": redis_url,
           "FOURPART_INSTANCE_PATH": str(tmp_path / "instance")}
    queue = _queue(file_database, tmp_path, redis_url)
    queue.huey.flush()
    worker = subprocess.Popen([sys.executable, "-m", "webapp.cli", "worker", "--workers", "1"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        job_id = queue.submit("evidence.verify", actor=ACTOR, study_id=None)
        job = _wait_for(file_database, job_id)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0].decode()
    assert job.status == SUCCEEDED, output
    assert job.result == {"checked": 0, "problems": []}
