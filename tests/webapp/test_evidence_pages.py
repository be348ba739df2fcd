"""The evidence pages with real ingested material: list and filters, each kind's artifact page,
upload through a job, downloads of the exact originals, and who may do what."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.audit import Actor, acting_as
from core.blobstore import LocalBlobStore
from evidence.ingest.files import ingest_path
from evidence.ingest.limits import IngestLimits
from evidence.ingest.results import IngestResult
from evidence.models import AblationMetric, Artifact, ArtifactKind, MetricDirection, Run
from evidence.queries import ArtifactFilters, list_artifacts
from evidence.run_charts import metric_across_runs
from evidence.store import remove_artifact
from studies.models import Role
from tests.conftest import PASSWORD
from webapp.demo.materials import Materials, generate_materials
from webapp.evidence_upload import stage_files
from webapp.markdown import render_markdown

LIMITS = IngestLimits(max_file_bytes=64 * 2**20, max_unpacked_bytes=256 * 2**20, max_files=5000)


@pytest.fixture(scope="session")
def materials(tmp_path_factory: pytest.TempPathFactory) -> Materials:
    return generate_materials(tmp_path_factory.mktemp("evidence-pages") / "materials")


@pytest.fixture
def people(make_user) -> dict[str, object]:
    return {label: make_user(name=f"{label.title()} Person")
            for label in [*(role.value for role in Role), "outsider"]}


@pytest.fixture
def study(make_study, people):
    make_study(members={people["outsider"]: Role.ADMIN})
    return make_study(members={people[role.value]: role for role in Role})


@pytest.fixture
def ingest(app: Flask, db, study, people):
    store = app.extensions["fourpart.blobs"]

    def run(path: Path, *, source: str = "upload", study_id: int | None = None) -> list[IngestResult]:
        with acting_as(Actor("test")):
            reported = list(ingest_path(db, store, study_id or study.id, path, source=source,
                                        uploaded_by_id=people["engineer"].id, limits=LIMITS))
        assert all(isinstance(item, IngestResult) for item in reported), reported
        return reported  # type: ignore[return-value]
    return run


@pytest.fixture
def as_user(app: Flask, people):
    def client_for(label: str) -> FlaskClient:
        client = app.test_client()
        response = client.post("/sign-in", data={"email": people[label].email, "password": PASSWORD})
        assert response.status_code == 302
        return client
    return client_for


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def rows(html: str) -> int:
    return html.count('data-testid="artifact-row"')


def test_the_list_shows_each_kind_with_what_was_extracted(study, ingest, as_user, materials) -> None:
    [runs] = ingest(materials.mlruns)
    [ablation] = ingest(materials.ablation_xlsx)
    adrs = ingest(materials.adr_dirs[1])
    html = page_text(as_user("cpa").get(f"/studies/{study.slug}/evidence"))
    assert rows(html) == 2 + len(adrs)
    by_status = {status.lower(): count for status, count in materials.runs_by_status.items()}
    assert f"{materials.runs} runs ({by_status['failed']} failed, {by_status['killed']} killed)" in html
    assert "2 tables · 13 variants · 12 metrics" in html
    assert f'href="/studies/{study.slug}/evidence/{ablation.artifact_id}"' in html
    assert f"{runs.content_start} – {runs.content_end}" in html
    assert ">Engineer Person<" in html
    assert 'class="nav-link active"' in html and ">Evidence<" in html


def test_filters_narrow_the_list(study, ingest, as_user, materials, session, people) -> None:
    ingest(materials.mlruns)
    ingest(materials.ablation_xlsx)
    adrs = ingest(materials.adr_dirs[1])
    [cli_adr] = ingest(materials.adr_dirs[0] / "0002-use-hybrid-retrieval-with-rrf.md", source="cli")
    client, url = as_user("engineer"), f"/studies/{study.slug}/evidence"
    assert rows(page_text(client.get(url, query_string={"kind": "adr"}))) == len(adrs) + 1
    assert rows(page_text(client.get(url, query_string={"kind": "run_log"}))) == 1
    found = page_text(client.get(url, query_string={"q": "FAITHFULNESS"}))
    assert rows(found) == 1 and "nli-based-faithfulness" in found
    assert rows(page_text(client.get(url, query_string={"q": "100%_"}))) == 0
    only_cli = page_text(client.get(url, query_string={"source": "cli"}))
    assert rows(only_cli) == 1 and f"/evidence/{cli_adr.artifact_id}\"" in only_cli
    # content overlapping June 2025: two MADR records of June, and the run log spanning the year
    june = page_text(client.get(url, query_string={"content_from": "2025-06-01", "content_to": "2025-06-30"}))
    june_adrs = [r for r in adrs if r.content_start and r.content_start.strftime("%Y-%m") == "2025-06"]
    assert rows(june) == len(june_adrs) + 1
    bad_date = page_text(client.get(url, query_string={"content_from": "June"}))
    assert rows(bad_date) == 3 + len(adrs) and "Use a date like" in bad_date

    removed = session.get(Artifact, cli_adr.artifact_id)
    remove_artifact(removed, reason="uploaded twice", removed_by_id=people["admin"].id)
    session.commit()
    assert rows(page_text(client.get(url))) == 2 + len(adrs)
    with_removed = page_text(client.get(url, query_string={"removed": "y"}))
    assert rows(with_removed) == 3 + len(adrs) and ">removed<" in with_removed


def test_the_list_pages(study, ingest, materials, session) -> None:
    adrs = ingest(materials.adr_dirs[0])
    first = list_artifacts(session, study.id, ArtifactFilters(), per_page=2)
    last = list_artifacts(session, study.id, ArtifactFilters(page=99), per_page=2)
    assert (first.total, first.pages, len(first.rows)) == (len(adrs), 3, 2)
    assert last.page == 3 and len(last.rows) == len(adrs) - 4
    seen = {row.artifact.id for page in (1, 2, 3)
            for row in list_artifacts(session, study.id, ArtifactFilters(page=page), per_page=2).rows}
    assert seen == {result.artifact_id for result in adrs}


def test_the_run_log_page_shows_every_run_and_charts_failed_runs_distinctly(study, ingest, as_user,
                                                                            materials, session) -> None:
    [log] = ingest(materials.mlruns)
    client = as_user("interviewer")
    html = page_text(client.get(f"/studies/{study.slug}/evidence/{log.artifact_id}"))
    statuses = {status.lower(): count for status, count in materials.runs_by_status.items()}
    assert html.count('data-testid="run-row"') == materials.runs
    assert html.count("run-status-failed") == statuses["failed"]
    assert html.count("run-status-killed") == statuses["killed"]
    charts = re.findall(r"<svg\b.*?</svg>", html, re.DOTALL)
    assert 1 <= len(charts) <= 4
    assert not any("style=" in chart or "<style" in chart for chart in charts)  # the CSP forbids inline style
    assert any("(failed)" in chart and "stroke-dasharray" in chart for chart in charts)

    query = select(Run).where(Run.revision_id == log.revision_id, Run.status == "failed")
    failed = session.scalars(query).first()
    url = f"/studies/{study.slug}/evidence/{log.artifact_id}"
    one_run = page_text(client.get(url, query_string={"run": failed.id}))
    assert 'data-testid="run-chart"' in one_run and (failed.name or failed.external_id) in one_run


def test_a_failed_run_is_dashed_and_ends_in_a_cross() -> None:
    points = [[step, 1.0 / (step + 1)] for step in range(5)]
    finished = Run(name="baseline", external_id="a" * 32, status="finished",
                   metrics={"loss": {"count": 5, "points": points}})
    failed = Run(name="diverged", external_id="b" * 32, status="failed",
                 metrics={"loss": {"count": 3, "points": [[0, 1.0], [1, "NaN"], [2, "Infinity"]]}})
    svg = metric_across_runs([finished, failed], "loss")
    assert "diverged (failed)" in svg and "baseline (failed)" not in svg
    assert svg.count("stroke-dasharray") >= 1
    assert "<title>loss across 2 runs" in svg


def test_the_git_repository_page_lists_commits_refs_and_authors(study, ingest, as_user, materials) -> None:
    repository = next(r for r in ingest(materials.repo) if r.kind is ArtifactKind.GIT_REPOSITORY)
    [log] = ingest(materials.mlruns)
    client, url = as_user("cpa"), f"/studies/{study.slug}/evidence/{repository.artifact_id}"
    html = page_text(client.get(url))
    assert f"({materials.commits:,}, newest first)" in html
    assert html.count("<tr><td class=\"mono\"><a") == 50
    assert "main →" in html and "Tags:" in html and 'data-testid="authors"' in html
    months = html.split('data-testid="commit-months">', 1)[1].split("</div>", 1)[0]
    assert months.startswith("<svg") and f"<title>{materials.commits} commits per month" in months
    assert "page 1 of" in html
    older = page_text(client.get(url, query_string={"page": 2}))
    first_sha = re.search(r"commit=([0-9a-f]{12})", html).group(1)
    assert first_sha not in older

    selected = page_text(client.get(url, query_string={"commit": first_sha}))
    assert 'data-testid="selected-commit"' in selected and "File (" in selected

    runs_page = page_text(client.get(f"/studies/{study.slug}/evidence/{log.artifact_id}"))
    commit_link = rf'href="{url}\?commit=([0-9a-f]+)#commit" data-testid="run-commit"'
    linked = re.findall(commit_link, runs_page)
    assert linked, "runs whose source commit was ingested link to it"
    assert 'data-testid="selected-commit"' in page_text(client.get(url, query_string={"commit": linked[0]}))


def test_the_decision_page_shows_options_and_links_superseded_records(study, ingest, as_user,
                                                                      materials) -> None:
    nygard = {Path(r.path).name: r for r in ingest(materials.adr_dirs[0])}
    madr = ingest(materials.adr_dirs[1])
    client = as_user("engineer")
    faithfulness = next(r for r in madr if "faithfulness" in r.path)
    html = page_text(client.get(f"/studies/{study.slug}/evidence/{faithfulness.artifact_id}"))
    assert html.count('data-testid="option"') == 3
    assert html.count(">chosen<") == 1 and "NLI-based faithfulness scorer" in html
    assert "<li>Good, because scoring 10k answers" in html  # consequences rendered from Markdown
    assert "Hannah Achterberg" in html and 'data-testid="decision-status"' in html

    abandon = nygard["0004-abandon-colbert-keep-hybrid-rrf-index.md"]
    colbert = nygard["0003-index-case-law-with-colbert.md"]
    linked = page_text(client.get(f"/studies/{study.slug}/evidence/{abandon.artifact_id}"))
    assert f'href="/studies/{study.slug}/evidence/{colbert.artifact_id}"' in linked
    assert "supersedes" in linked.lower()


def test_decision_prose_is_rendered_safely(study, ingest, as_user, tmp_path) -> None:
    adr = tmp_path / "doc" / "adr" / "0001-trust-nothing.md"
    adr.parent.mkdir(parents=True)
    adr.write_text("# 1. Trust nothing\n\nDate: 2025-02-03\n\n## Status\n\nAccepted\n\n## Context\n\n"
                   "<script>alert('x')</script> and [a link](javascript:alert(1)) and **bold**.\n\n"
                   "## Decision\n\nWe escape.\n\n## Consequences\n\nNone.\n", encoding="utf-8")
    [result] = ingest(adr)
    html = page_text(as_user("engineer").get(f"/studies/{study.slug}/evidence/{result.artifact_id}"))
    context = html.split('data-testid="decision-context">', 1)[1].split("</div>", 1)[0]
    assert "<script>" not in context and "javascript:" not in context.replace("[a link](javascript", "")
    assert "<strong>bold</strong>" in context
    assert str(render_markdown("[x](javascript:alert(1))")).count("href") == 0


def test_ablation_page_and_only_an_interviewer_confirms_directions(study, ingest, as_user, materials,
                                                                   session, people) -> None:
    [ablation] = ingest(materials.ablation_xlsx)
    url = f"/studies/{study.slug}/evidence/{ablation.artifact_id}"
    html = page_text(as_user("engineer").get(url))
    assert html.count('data-testid="ablation-table"') == 2
    assert html.count('data-testid="variant-row"') == 13
    assert ">baseline<" in html and "“0.679(-0.7%)”" in html
    assert 'data-testid="ablation-questions"' in html
    assert 'name="better-' not in html  # an engineer sees the directions, not the form

    metric = session.scalars(select(AblationMetric).where(AblationMetric.revision_id == ablation.revision_id)
                             .order_by(AblationMetric.id)).first()
    form = {f"better-{metric.id}": "lower"}
    assert as_user("engineer").post(f"{url}/metric-directions", data=form).status_code == 403
    interviewer = as_user("interviewer")
    assert 'name="better-' in page_text(interviewer.get(url))
    response = interviewer.post(f"{url}/metric-directions", data=form)
    assert response.status_code == 303
    session.expire_all()
    confirmed = session.get(AblationMetric, metric.id)
    assert confirmed.better is MetricDirection.LOWER
    assert confirmed.confirmed_by_id == people["interviewer"].id and confirmed.confirmed_at is not None
    assert f"by {people['interviewer'].name}" in page_text(interviewer.get(url))


def test_documents_are_previewed_escaped_and_images_from_the_download(study, ingest, as_user,
                                                                     tmp_path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n\n<script>alert('x')</script> we tried three retrievers.\n", encoding="utf-8")
    image = tmp_path / "loss.png"
    from matplotlib.figure import Figure
    figure = Figure(figsize=(1, 1))
    figure.add_subplot().plot([0, 1], [1, 0])
    figure.savefig(image, format="png")
    [note] = ingest(notes)
    [picture] = ingest(image)
    client = as_user("cpa")
    html = page_text(client.get(f"/studies/{study.slug}/evidence/{note.artifact_id}"))
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; we tried three retrievers." in html
    shown = page_text(client.get(f"/studies/{study.slug}/evidence/{picture.artifact_id}"))
    source = f"/studies/{study.slug}/evidence/{picture.artifact_id}/revisions/1/original"
    assert f'src="{source}"' in shown
    assert client.get(source).data == image.read_bytes()


def test_download_returns_the_exact_original_of_each_revision(study, ingest, as_user, materials,
                                                              tmp_path) -> None:
    [ablation] = ingest(materials.ablation_xlsx)
    client = as_user("cpa")
    response = client.get(f"/studies/{study.slug}/evidence/{ablation.artifact_id}/revisions/1/original")
    original = materials.ablation_xlsx.read_bytes()
    assert response.status_code == 200 and response.data == original
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Content-Disposition"] == "attachment; filename=citerag_ablation.xlsx"
    assert response.headers["Content-Length"] == str(len(original))
    assert hashlib.sha256(response.data).hexdigest() == ablation.sha256
    assert "sandbox" in response.headers["Content-Security-Policy"]

    notes = tmp_path / "notes.md"
    notes.write_text("first version\n", encoding="utf-8")
    [first] = ingest(notes)
    notes.write_text("second version\n", encoding="utf-8")
    [second] = ingest(notes)
    assert second.artifact_id == first.artifact_id and second.outcome.value == "revision"
    base = f"/studies/{study.slug}/evidence/{first.artifact_id}"
    assert client.get(f"{base}/revisions/1/original").data == b"first version\n"
    assert client.get(f"{base}/revisions/2/original").data == b"second version\n"
    assert client.get(f"{base}/revisions/3/original").status_code == 404
    history = page_text(client.get(base))
    assert history.count('data-testid="download-revision"') == 2 and first.sha256 in history


def test_uploading_through_the_page_runs_a_job_that_lists_the_artifacts(study, as_user, materials) -> None:
    client = as_user("engineer")
    assert 'type="file"' in page_text(client.get(f"/studies/{study.slug}/evidence/upload"))
    run_files = [(path.open("rb"), path.relative_to(materials.mlruns.parent).as_posix())
                 for path in sorted(materials.mlruns.rglob("*")) if path.is_file()]
    files = [(io.BytesIO(b"# Retrieval notes\n\nHybrid beat dense.\n"), "notes.md"),
             (io.BytesIO(b"\x00\x01\x02junk" * 20), "weights.txt"), *run_files]
    response = client.post(f"/studies/{study.slug}/evidence/upload", data={"files": files},
                           content_type="multipart/form-data")
    for handle, _name in run_files:
        handle.close()
    assert response.status_code == 303
    job = page_text(client.get(response.headers["Location"]))
    assert 'data-testid="job-status">succeeded<' in job
    assert job.count('href="/studies/' + study.slug + '/evidence/') >= 2
    assert "notes.md" in job and "mlruns" in job and f"{materials.runs} runs" in job
    assert 'data-testid="ingest-failures"' in job and "weights.txt" in job

    listing = page_text(client.get(f"/studies/{study.slug}/evidence"))
    assert rows(listing) == 2 and "Retrieval notes" not in listing and "notes.md" in listing


def test_an_upload_answers_javascript_with_the_job_url(study, as_user) -> None:
    client = as_user("interviewer")
    response = client.post(f"/studies/{study.slug}/evidence/upload", headers={"Accept": "application/json"},
                           data={"files": [(io.BytesIO(b"plain text evidence\n"), "folder/sub/readme.txt")]},
                           content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["job_url"] == f"/studies/{study.slug}/jobs/{body['job_id']}" and body["refused"] == []
    job = page_text(client.get(body["job_url"]))
    assert "folder" in job and 'data-testid="ingested-artifacts"' in job

    empty = client.post(f"/studies/{study.slug}/evidence/upload", data={}, content_type="multipart/form-data")
    assert empty.status_code == 400 and "Choose at least one file" in empty.get_data(as_text=True)


def test_an_upload_over_the_limit_is_refused_with_a_clear_message(settings, db, make_user,
                                                                  make_study) -> None:
    from webapp.app import create_app
    app = create_app(settings.model_copy(update={"max_upload_mb": 1}), db=db)
    app.config.update(TESTING=True, WTF_CSRF_ENABLED=False)
    user = make_user()
    study = make_study(members={user: Role.ENGINEER})
    client = app.test_client()
    client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    big = {"files": [(io.BytesIO(b"x" * (2 * 2**20)), "big.txt")]}
    url = f"/studies/{study.slug}/evidence/upload"
    answer = client.post(url, data=big, headers={"Accept": "application/json"},
                         content_type="multipart/form-data")
    assert answer.status_code == 413 and "larger than the 1 MB limit" in answer.get_json()["error"]
    page = client.post(url, data={"files": [(io.BytesIO(b"x" * (2 * 2**20)), "big.txt")]},
                       content_type="multipart/form-data", follow_redirects=True)
    assert "larger than the 1 MB limit" in page.get_data(as_text=True)


def test_a_file_over_the_limit_is_refused_by_name_and_the_rest_staged(tmp_path) -> None:
    from werkzeug.datastructures import FileStorage
    store = LocalBlobStore(tmp_path / "blobs")
    staged = stage_files(store, [FileStorage(io.BytesIO(b"small"), "runs/a.csv"),
                                 FileStorage(io.BytesIO(b"y" * 4096), "big.bin"),
                                 FileStorage(io.BytesIO(b"z"), "../escape.txt")], max_bytes=1024)
    assert [(s["path"], s["filename"]) for s in staged.staged] == [("runs/a.csv", "a.csv")]
    assert staged.refused[0].startswith("big.bin: larger than the")
    assert "escape.txt" in staged.refused[1]
    assert set(store.iter_hashes()) == {hashlib.sha256(b"small").hexdigest()}


def test_who_may_see_upload_and_remove_evidence(app, study, ingest, as_user, materials, make_study,
                                                people, session) -> None:
    [ablation] = ingest(materials.ablation_xlsx)
    base = f"/studies/{study.slug}/evidence"
    outsider = as_user("outsider")
    for url in (base, f"{base}/upload", f"{base}/{ablation.artifact_id}",
                f"{base}/{ablation.artifact_id}/revisions/1/original"):
        assert outsider.get(url).status_code == 404, url
    assert as_user("cpa").get(f"{base}/upload").status_code == 403

    other = make_study(members={people["admin"]: Role.ADMIN})
    [elsewhere] = ingest(materials.adr_dirs[0] / "0001-record-architecture-decisions.md", study_id=other.id)
    admin = as_user("admin")
    assert admin.get(f"{base}/{elsewhere.artifact_id}").status_code == 404
    assert admin.get(f"{base}/{elsewhere.artifact_id}/revisions/1/original").status_code == 404

    remove_url = f"{base}/{ablation.artifact_id}/remove"
    assert as_user("engineer").post(remove_url, data={"reason": "mine"}).status_code == 403
    interviewer = as_user("interviewer")
    refused = interviewer.post(remove_url, data={"reason": "  "}, follow_redirects=True)
    assert "Say why the evidence is removed" in refused.get_data(as_text=True)
    assert session.get(Artifact, ablation.artifact_id).removed_at is None
    done = interviewer.post(remove_url, data={"reason": "belongs to the 2024 study"}, follow_redirects=True)
    text = done.get_data(as_text=True)
    assert 'data-testid="removed-notice"' in text and "belongs to the 2024 study" in text
    session.expire_all()
    assert session.get(Artifact, ablation.artifact_id).removed_by_id == people["interviewer"].id
