"""The scale path for real: gunicorn web workers, PostgreSQL, S3 storage, Redis jobs
consumed by a separate ``fourpart worker`` process, all chosen by settings alone."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from core.audit import Actor
from core.blobstore import S3BlobStore
from core.db import Database
from core.jobs import JobQueue
from tests.core.s3_server import running_s3_server
from tests.databases import drop_database, fresh_database, in_ci, postgres_available
from webapp import tasks as _registered_job_handlers  # noqa: F401

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
REDIS_URL = "redis://127.0.0.1:6379/14"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def scaled_env(worker_name: str, tmp_path: Path) -> Iterator[dict[str, str]]:
    reason = postgres_available()
    if reason is not None:
        if in_ci():
            pytest.fail(f"PostgreSQL is required in CI: {reason}")
        pytest.skip(f"the scale path needs PostgreSQL: {reason}")
    url = fresh_database("postgresql", f"fourpart_scale_{worker_name}", tmp_path)
    with running_s3_server("fourpart-scale") as s3:
        yield {**os.environ, "FOURPART_DATABASE_URL": url,
               "FOURPART_STORAGE_URL": f"s3://{s3.bucket}/evidence",
               "FOURPART_S3_ENDPOINT_URL": s3.url, "FOURPART_S3_REGION": s3.region,
               "FOURPART_S3_ACCESS_KEY": s3.access_key, "FOURPART_S3_SECRET_KEY": s3.secret_key,
               "FOURPART_QUEUE_URL": REDIS_URL, "FOURPART_RATE_LIMIT_STORAGE_URL": REDIS_URL,
               "FOURPART_SECRET_KEY": "scale-test-secret",
               "FOURPART_INSTANCE_PATH": str(tmp_path / "instance")}
    drop_database(url)


def _run(env: dict[str, str], *args: str) -> None:
    result = subprocess.run([str(BIN / "fourpart"), *args], env=env, capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode == 0, result.stderr


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[0].decode()
        try:
            requests.get(url, timeout=5)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not come up")


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, page[:500]
    return match.group(1)


def _signed_in(base: str, email: str) -> requests.Session:
    browser = requests.Session()
    form = browser.get(f"{base}/sign-in").text
    response = browser.post(f"{base}/sign-in", data={"csrf_token": _csrf(form), "email": email,
                                                     "password": "fourpart-demo"})
    assert response.url == f"{base}/", response.text[:300]
    return browser


def _token(base: str, browser: requests.Session) -> str:
    page = browser.get(f"{base}/studies/demo/tokens").text
    created = browser.post(f"{base}/studies/demo/tokens",
                           data={"csrf_token": _csrf(page), "name": "scale test"}).text
    match = re.search(r"(fp_[A-Za-z0-9_-]{20,})", created)
    assert match, created[:500]
    return match.group(1)


def test_gunicorn_postgresql_s3_and_a_redis_worker(scaled_env: dict[str, str]) -> None:
    env = scaled_env
    _run(env, "db", "upgrade")
    _run(env, "demo", "load")
    port = _free_port()
    web = subprocess.Popen([str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}",
                            "webapp.app:create_app()"], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
    worker = subprocess.Popen([str(BIN / "fourpart"), "worker", "--workers", "1"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/sign-in", web)
        engineer = _signed_in(base, "engineer@demo.fourpart.test")
        assert "Lexbridge" in engineer.get(f"{base}/studies/demo/").text
        token = _token(base, engineer)
        auth = {"Authorization": f"Bearer {token}"}
        study = requests.get(f"{base}/api/v1/studies/0", headers=auth, timeout=10)
        assert study.status_code == 404
        db = Database(env["FOURPART_DATABASE_URL"])
        study_id = _demo_study_id(db)
        blobs = S3BlobStore(env["FOURPART_STORAGE_URL"].split("/")[2], "evidence",
                            endpoint_url=env["FOURPART_S3_ENDPOINT_URL"], region="us-east-1",
                            access_key="testing", secret_key="testing")
        queue = JobQueue(db, blobs, REDIS_URL, Path(env["FOURPART_INSTANCE_PATH"]))
        job_id = queue.submit("evidence.verify", actor=Actor("scale test"), study_id=study_id)
        job = _poll_job(base, study_id, job_id, auth)
        assert job["status"] == "succeeded", job
        db.engine.dispose()
    finally:
        for process in (web, worker):
            process.terminate()
            process.communicate(timeout=30)


def _demo_study_id(db: Database) -> int:
    from sqlalchemy import select

    from studies.models import Study
    with db.session() as session:
        return int(session.scalars(select(Study.id).where(Study.slug == "demo")).one())


def _poll_job(base: str, study_id: int, job_id: int, auth: dict[str, str]) -> dict[str, object]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = requests.get(f"{base}/api/v1/studies/{study_id}/jobs/{job_id}", headers=auth, timeout=10)
        assert job.status_code == 200, job.text
        if job.json()["status"] in ("succeeded", "failed"):
            return dict(job.json())
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish")
