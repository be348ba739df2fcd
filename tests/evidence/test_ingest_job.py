"""The evidence.ingest job: staged uploads become artifacts; what is refused leaves no blob."""

from __future__ import annotations

import io
from pathlib import Path

import webapp.tasks  # noqa: F401  (registers the job handlers)
from core.audit import Actor
from core.blobstore import LocalBlobStore
from core.jobs import Job, JobQueue
from evidence.ingest.staging import stage_upload

ACTOR = Actor("test")


def test_staged_uploads_are_ingested_and_refused_ones_discarded(db, session, make_study, tmp_path):
    store = LocalBlobStore(tmp_path / "blobs")
    study = make_study()
    good = stage_upload(store, io.BytesIO(b"# Notes\nWe tried three retrievers.\n"), "notes.md",
                        max_size=1 << 20)
    bad = stage_upload(store, io.BytesIO(b"\x00\x01junk" * 50), "weights.txt", max_size=1 << 20)
    queue = JobQueue(db, store, "immediate", tmp_path / "instance")
    job_id = queue.submit("evidence.ingest", actor=ACTOR, study_id=study.id,
                          params={"uploads": [good, bad], "source": "upload", "uploaded_by_id": None})
    job = session.get(Job, job_id)
    session.refresh(job)
    assert job.status == "succeeded", job.error
    [artifact] = job.result["artifacts"]
    assert (artifact["path"], artifact["kind"], artifact["outcome"]) == ("notes.md", "document", "new")
    [failure] = job.result["failures"]
    assert failure["path"] == "weights.txt" and "binary content" in failure["error"]
    assert set(store.iter_hashes()) == {good["sha256"]}


def test_a_folder_uploaded_file_by_file_is_one_run_log(db, session, make_study, tmp_path):
    from tests.evidence.test_ingest_files import mlruns

    store = LocalBlobStore(tmp_path / "blobs")
    study = make_study()
    folder = mlruns(tmp_path / "src")
    staged = [stage_upload(store, path.open("rb"), path.name, max_size=1 << 20,
                           relative_path=path.relative_to(folder.parent).as_posix())
              for path in sorted(folder.rglob("*")) if path.is_file()]
    queue = JobQueue(db, store, "immediate", tmp_path / "instance")
    job_id = queue.submit("evidence.ingest", actor=ACTOR, study_id=study.id,
                          params={"uploads": staged, "source": "upload"})
    job = session.get(Job, job_id)
    session.refresh(job)
    [artifact] = job.result["artifacts"]
    assert (artifact["kind"], artifact["counts"]["runs"]) == ("run_log", 3)
    # the per-file staged blobs went; only the packed folder is kept
    assert set(store.iter_hashes()) == {artifact["sha256"]}
    assert not any(Path(tmp_path).glob("fourpart-upload-*"))


def test_uploads_staged_for_an_unfinished_job_are_not_orphans(session, make_study, tmp_path):
    from core.jobs import Job
    from evidence.ingest.staging import awaited_staged_hashes

    store = LocalBlobStore(tmp_path / "blobs")
    staged = stage_upload(store, io.BytesIO(b"notes\n"), "notes.txt", max_size=1 << 20)
    done = stage_upload(store, io.BytesIO(b"older\n"), "older.txt", max_size=1 << 20)
    study = make_study()
    session.add_all([
        Job(kind="evidence.ingest", study_id=study.id, params={"uploads": [staged]}, actor_label="t"),
        Job(kind="evidence.ingest", study_id=study.id, params={"uploads": [done]}, actor_label="t",
            status="succeeded"),
        Job(kind="evidence.verify", study_id=study.id, params={"uploads": "not a list"}, actor_label="t"),
    ])
    session.flush()
    assert awaited_staged_hashes(session) == {staged["sha256"]}
