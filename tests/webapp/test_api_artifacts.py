"""Pushing evidence through the JSON API with a study token, and reading it back."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from core.blobstore import BlobStore
from core.jobs import Job
from studies.models import ApiToken, Role
from studies.services import membership_of
from studies.tokens import issue_token, revoke_token
from tests.evidence.runs.builders import COMMIT, write_experiment, write_run
from webapp.app import create_app

RUN_LINES = [
    {"run": "nightly-17", "status": "completed", "params": {"lr": 0.0003, "retriever": "hybrid"},
     "metrics": {"recall_at_10": 0.71, "loss": 0.42}},
    {"run": "nightly-18", "status": "error", "params": {"lr": 0.003, "retriever": "colbert"},
     "metrics": {"loss": 9.5}},
]


@pytest.fixture
def study(make_user, make_study):
    return make_study(members={make_user(): Role.ENGINEER})


def issue(session, study) -> tuple[ApiToken, str]:
    """A real token of the study's engineer, as the tokens page issues it."""
    engineer = next(m for m in study.memberships if m.role is Role.ENGINEER)
    token, plaintext = issue_token(session, membership_of(session, study.id, engineer.user_id), "ci")
    session.commit()
    return token, plaintext


def bearer(plaintext: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {plaintext}"}


@pytest.fixture
def auth(session, study) -> dict[str, str]:
    return bearer(issue(session, study)[1])


def push(client: FlaskClient, study_id: int, auth: dict[str, str], *files: tuple[str, bytes],
         paths: list[str] | None = None):
    data = {"file": [(io.BytesIO(content), name) for name, content in files]}
    if paths is not None:
        data["path"] = paths
    return client.post(f"/api/v1/studies/{study_id}/artifacts", headers=auth, data=data,
                       content_type="multipart/form-data")


def finished_job(client: FlaskClient, response, auth: dict[str, str]) -> dict:
    assert response.status_code == 202, response.get_data(as_text=True)
    url = response.json["job"]["url"]
    assert response.headers["Location"] == url
    job = client.get(url, headers=auth)
    assert job.status_code == 200 and job.json["id"] == response.json["job"]["id"]
    assert (job.json["kind"], job.json["status"]) == ("evidence.ingest", "succeeded"), job.json["error"]
    return job.json["result"]


def mlflow_run_folder_zip(tmp_path: Path) -> bytes:
    """An MLflow tracking folder as `mlflow ui` reads it, zipped the way a CI step would."""
    experiment = write_experiment(tmp_path / "mlruns", "1", "citerag-retrieval")
    write_run(experiment, "a" * 32, name="hybrid-rrf", params={"lr": "0.0003"},
              metrics={"recall_at_10": "1736000000000 0.61 0\n1736000060000 0.71 1\n"},
              tags={"mlflow.source.git.commit": COMMIT})
    write_run(experiment, "b" * 32, status="FAILED", name="colbert-oom",
              metrics={"loss": "1736000000000 2.5 0\n"})
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        for path in sorted((tmp_path / "mlruns").rglob("*")):
            archive.write(path, path.relative_to(tmp_path).as_posix())
    return packed.getvalue()


def jsonl(lines: list[dict]) -> bytes:
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


def blob_store(app: Flask) -> BlobStore:
    return app.extensions["fourpart.blobs"]


def test_an_mlflow_run_folder_pushed_as_a_zip_becomes_a_run_log(app, client, session, study, auth,
                                                                 tmp_path) -> None:
    response = push(client, study.id, auth, ("mlruns.zip", mlflow_run_folder_zip(tmp_path)))
    result = finished_job(client, response, auth)
    assert result["failures"] == []
    [artifact] = result["artifacts"]
    # the archive is unpacked; the run folder inside it is one artifact
    assert (artifact["kind"], artifact["outcome"]) == ("run_log", "new")
    assert artifact["path"] == "mlruns.zip/mlruns"
    assert artifact["counts"]["runs_by_status"] == {"failed": 1, "finished": 1}
    assert artifact["content_start"] == "2025-01-04"

    shown = client.get(f"/api/v1/studies/{study.id}/artifacts/{artifact['id']}", headers=auth)
    assert shown.status_code == 200
    assert (shown.json["kind"], shown.json["source"]) == ("run_log", "api")
    [revision] = shown.json["revisions"]
    assert revision["sha256"] == artifact["sha256"] and revision["number"] == 1
    assert revision["size"] == blob_store(app).size(artifact["sha256"])
    assert revision["content_start"] == "2025-01-04"
    assert revision["counts"]["runs"] == 2 and revision["uploaded_by"]


def test_a_jsonl_run_log_pushed_twice_is_reported_as_a_duplicate(client, study, auth) -> None:
    content = jsonl(RUN_LINES)
    first = finished_job(client, push(client, study.id, auth, ("run.jsonl", content),
                                      paths=["nightly/2025-01-04.jsonl"]), auth)
    [stored] = first["artifacts"]
    assert (stored["kind"], stored["outcome"]) == ("run_log", "new")
    assert stored["path"] == "nightly/2025-01-04.jsonl"  # the path sent, not the part's filename
    assert stored["counts"]["runs_by_status"] == {"failed": 1, "finished": 1}

    again = finished_job(client, push(client, study.id, auth, ("run.jsonl", content),
                                      paths=["nightly/2025-01-04.jsonl"]), auth)
    [duplicate] = again["artifacts"]
    assert duplicate["outcome"] == "duplicate"
    assert (duplicate["id"], duplicate["sha256"]) == (stored["id"], stored["sha256"])

    revised = finished_job(client, push(client, study.id, auth, ("run.jsonl", jsonl(RUN_LINES[:1])),
                                        paths=["nightly/2025-01-04.jsonl"]), auth)
    assert [(a["id"], a["outcome"]) for a in revised["artifacts"]] == [(stored["id"], "revision")]
    shown = client.get(f"/api/v1/studies/{study.id}/artifacts/{stored['id']}", headers=auth).json
    assert [r["number"] for r in shown["revisions"]] == [2, 1]


WANDB_EXPORT = (
    "Name,State,Notes,User,Tags,Created,Runtime,Sweep,lr,loss,eval/acc\n"
    "dense-v2,finished,,priya,,2025-03-04T10:15:00.000Z,600,,0.0003,0.31,0.82\n"
    "dense-v3,crashed,OOM at step 900,priya,,2025-03-05T10:15:00.000Z,95,,0.0006,7.2,\n"
)


def test_several_files_in_one_push_each_become_an_artifact(client, study, auth) -> None:
    response = push(client, study.id, auth, ("run.jsonl", jsonl(RUN_LINES)),
                    ("wandb_export.csv", WANDB_EXPORT.encode()),
                    paths=["runs/nightly.jsonl", "runs/wandb_export_2025-03-08.csv"])
    result = finished_job(client, response, auth)
    assert result["failures"] == []
    reported = {a["path"]: a for a in result["artifacts"]}
    assert sorted(reported) == ["runs/nightly.jsonl", "runs/wandb_export_2025-03-08.csv"]
    wandb = reported["runs/wandb_export_2025-03-08.csv"]
    assert (wandb["kind"], wandb["counts"]["runs_by_status"]) == ("run_log", {"failed": 1, "finished": 1})


def test_malformed_content_ends_as_a_failure_naming_the_file_and_line(client, study, auth) -> None:
    bad = b'{"run": "a", "loss": 1}\n{"run": "b", "loss": 2}\n{"run": "c", "loss": \n'
    result = finished_job(client, push(client, study.id, auth, ("eval.jsonl", bad)), auth)
    assert result["artifacts"] == []
    [failure] = result["failures"]
    assert failure["path"] == "eval.jsonl"
    assert failure["error"].startswith("eval.jsonl") and "line 3" in failure["error"]


@pytest.fixture
def small_limit_app(settings, db) -> Flask:
    """The app with a 1 MB upload limit."""
    application = create_app(settings.model_copy(update={"max_upload_mb": 1}), db=db)
    application.config.update(TESTING=True)
    return application


def jobs_of(session, study_id: int) -> int:
    return session.scalar(select(func.count(Job.id)).where(Job.study_id == study_id))


def test_a_file_over_the_limit_gets_413_naming_it_and_nothing_is_stored(small_limit_app, session, study,
                                                                       auth) -> None:
    client = small_limit_app.test_client()
    over = b"x" * (2**20 + 1)
    response = push(client, study.id, auth, ("ok.jsonl", jsonl(RUN_LINES)), ("weights.jsonl", over))
    assert response.status_code == 413
    assert response.json["error"]["status"] == 413
    message = response.json["error"]["message"]
    assert "weights.jsonl" in message and "1 MB" in message and "ok.jsonl" not in message
    assert list(blob_store(small_limit_app).iter_hashes()) == []  # ok.jsonl, staged first, went too
    assert jobs_of(session, study.id) == 0


def test_a_request_over_the_push_limit_gets_413_before_anything_is_read(small_limit_app, session, study,
                                                                        auth) -> None:
    client = small_limit_app.test_client()
    response = push(client, study.id, auth, ("huge.bin", b"x" * (5 * 2**20 + 1)))
    assert response.status_code == 413
    assert "one push may carry 4 files of up to 1 MB" in response.json["error"]["message"]
    assert list(blob_store(small_limit_app).iter_hashes()) == []
    assert jobs_of(session, study.id) == 0


def test_parts_that_do_not_pair_or_climb_out_are_refused_with_the_reason(app, client, session, study,
                                                                         auth) -> None:
    content = jsonl(RUN_LINES)
    no_file = client.post(f"/api/v1/studies/{study.id}/artifacts", headers=auth,
                          data={"files": (io.BytesIO(content), "run.jsonl")},
                          content_type="multipart/form-data")
    assert no_file.status_code == 400 and "'files'" in no_file.json["error"]["message"]
    unpaired = push(client, study.id, auth, ("a.jsonl", content), ("b.jsonl", content), paths=["a.jsonl"])
    assert unpaired.status_code == 400 and "1 paths for 2 files" in unpaired.json["error"]["message"]
    climbing = push(client, study.id, auth, ("a.jsonl", content), paths=["../../etc/a.jsonl"])
    assert climbing.status_code == 400 and "unsafe" in climbing.json["error"]["message"]
    assert list(blob_store(app).iter_hashes()) == []
    assert jobs_of(session, study.id) == 0


def test_a_token_of_another_study_gets_404_and_a_revoked_token_401(app, client, session, study,
                                                                    make_user, make_study) -> None:
    other = make_study(members={make_user(): Role.ENGINEER})
    foreign = bearer(issue(session, other)[1])
    content = ("run.jsonl", jsonl(RUN_LINES))
    refused = push(client, study.id, foreign, content)
    assert refused.status_code == 404 and refused.json["error"]["status"] == 404
    assert client.get(f"/api/v1/studies/{study.id}/artifacts", headers=foreign).status_code == 404

    token, plaintext = issue(session, study)
    revoke_token(token)
    session.commit()
    revoked = push(client, study.id, bearer(plaintext), content)
    assert revoked.status_code == 401 and "Bearer" in revoked.json["error"]["message"]
    assert list(blob_store(app).iter_hashes()) == []
    assert jobs_of(session, study.id) == 0


def test_the_list_filters_by_kind_and_source_and_pages(client, study, auth) -> None:
    finished_job(client, push(client, study.id, auth, ("a.jsonl", jsonl(RUN_LINES[:1])),
                              ("b.jsonl", jsonl(RUN_LINES[1:])),
                              ("notes.md", b"# Retrieval notes\n\nHybrid beat BM25 on recall.\n")), auth)
    url = f"/api/v1/studies/{study.id}/artifacts"
    everything = client.get(url, headers=auth).json
    assert everything["pagination"] == {"page": 1, "per_page": 50, "total": 3, "pages": 1}
    assert {a["kind"] for a in everything["artifacts"]} == {"run_log", "document"}
    first = everything["artifacts"][0]
    assert first["revision_count"] == 1 and len(first["latest"]["sha256"]) == 64
    runs = client.get(url, headers=auth, query_string={"kind": "run_log", "per_page": 1, "page": 2}).json
    assert runs["pagination"] == {"page": 2, "per_page": 1, "total": 2, "pages": 2}
    assert [a["kind"] for a in runs["artifacts"]] == ["run_log"]
    assert client.get(url, headers=auth, query_string={"source": "upload"}).json["pagination"]["total"] == 0
    assert client.get(url, headers=auth, query_string={"source": "api"}).json["pagination"]["total"] == 3
    bad = client.get(url, headers=auth, query_string={"kind": "spreadsheet", "per_page": 1000})
    assert bad.status_code == 422
    assert "kind" in bad.json["error"]["message"] and "per_page" in bad.json["error"]["fields"]["query"]


def test_an_artifact_of_another_study_is_not_found(client, session, study, auth, make_user,
                                                   make_study) -> None:
    other = make_study(members={make_user(): Role.ENGINEER})
    other_auth = bearer(issue(session, other)[1])
    result = finished_job(client, push(client, other.id, other_auth, ("run.jsonl", jsonl(RUN_LINES))),
                          other_auth)
    artifact_id = result["artifacts"][0]["id"]
    missing = client.get(f"/api/v1/studies/{study.id}/artifacts/{artifact_id}", headers=auth)
    assert missing.status_code == 404 and f"Artifact {artifact_id}" in missing.json["error"]["message"]
