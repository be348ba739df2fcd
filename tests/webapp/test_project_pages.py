"""The project pages: create from a sub-sector, edit, uncertainties, experiments, layers, deletes,
who may do it, errors next to their field, and typed HTML shown inert."""

from __future__ import annotations

import html as markup
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from core.jobs import Job
from studies.models import BusinessComponent, Experiment, Layer, Role, UncertaintyStatement
from studies.projects import ProjectInput, UncertaintyInput, add_uncertainty, create_project
from studies.sectors import sub_sector

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
PROJECT_FORM = {"code": "citerag", "name": "CiteRAG", "sub_sector": "ai_native_product_engineering",
                "component_type": "software", "description": "Hybrid retrieval.",
                "information_sought": "Whether any design reaches the recall bar.", "permitted_purpose": "",
                "start_date": "2025-01-13", "end_date": "2025-10-31"}


@pytest.fixture
def people(make_user) -> dict[str, object]:
    return {label: make_user(name=f"{label.title()} Person")
            for label in [*(role.value for role in Role), "outsider"]}


@pytest.fixture
def study(make_study, people):
    make_study(members={people["outsider"]: Role.ADMIN})
    return make_study(members={people[role.value]: role for role in Role})


@pytest.fixture
def project(session, study) -> BusinessComponent:
    created = create_project(session, study, ProjectInput(code="rag", name="Retrieval",
                                                          sub_sector="ai_native_product_engineering"))
    session.commit()
    return created


@pytest.fixture
def uncertainty(session, study, project) -> UncertaintyStatement:
    import datetime as dt
    created = add_uncertainty(session, study, project.id, UncertaintyInput(
        kind="capability", statement="Can recall@10 reach 0.9?", identified_on=dt.date(2025, 1, 20)))
    session.commit()
    return created


@pytest.fixture
def interviewer(client: FlaskClient, sign_in, people) -> FlaskClient:
    sign_in(people["interviewer"])
    return client


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def field_error(html: str, field: str) -> str:
    match = re.search(rf'data-testid="error-{field}">([^<]*)<', html)
    assert match, f"no error shown next to {field}"
    return markup.unescape(match.group(1))


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


# --- creating and editing a project -------------------------------------------------------


def test_a_project_is_created_from_a_sub_sector(interviewer, session, study) -> None:
    overview = page(interviewer, f"/studies/{study.slug}/")
    assert 'data-testid="new-project"' in overview
    chooser = page(interviewer, f"/studies/{study.slug}/projects/new")
    assert 'data-testid="choose-fine_tuning"' in chooser
    form = page(interviewer, f"/studies/{study.slug}/projects/new?sub_sector=fine_tuning")
    sector = sub_sector("fine_tuning")
    guide = form.split('data-testid="sector-guide-fine_tuning"')[1].split("</section>")[0]
    assert sector.qualifying_activities[0] in guide and sector.exclusions[0] in guide
    assert 'data-testid="sector-guide-applied_ml"\n         hidden' in form
    assert '<option selected value="fine_tuning">' in form
    response = interviewer.post(f"/studies/{study.slug}/projects/new", data=PROJECT_FORM)
    assert response.status_code == 302
    assert response.location.endswith(f"/studies/{study.slug}/projects/citerag")
    created = session.scalars(select(BusinessComponent).where(BusinessComponent.study_id == study.id)).one()
    assert (created.name, str(created.end_date)) == ("CiteRAG", "2025-10-31")
    shown = page(interviewer, response.location)
    assert "Whether any design reaches the recall bar." in shown and 'data-testid="edit-project"' in shown


def test_errors_are_shown_next_to_their_fields_and_nothing_is_saved(interviewer, session, study,
                                                                    project) -> None:
    bad = {**PROJECT_FORM, "code": "rag", "name": "", "end_date": "2024-01-01"}
    html = interviewer.post(f"/studies/{study.slug}/projects/new", data=bad).get_data(as_text=True)
    assert "already used" in field_error(html, "code")
    assert field_error(html, "name") == "Name is required."
    assert "is before the start date 2025-01-13" in field_error(html, "end_date")
    assert 'value="2024-01-01"' in html  # what was typed is kept
    not_a_date = interviewer.post(f"/studies/{study.slug}/projects/new",
                                  data={**PROJECT_FORM, "start_date": "13/01/2025"}).get_data(as_text=True)
    assert "Not a valid date" in field_error(not_a_date, "start_date")
    too_long = interviewer.post(f"/studies/{study.slug}/projects/new",
                                data={**PROJECT_FORM, "description": "d" * 20_001}).get_data(as_text=True)
    assert "the limit is 20,000" in field_error(too_long, "description")
    assert count(session, BusinessComponent) == 1


def test_a_project_is_edited(interviewer, session, study, project) -> None:
    form = page(interviewer, f"/studies/{study.slug}/projects/rag/edit")
    assert 'value="Retrieval"' in form
    response = interviewer.post(f"/studies/{study.slug}/projects/rag/edit",
                                data={**PROJECT_FORM, "code": "rag", "name": "Retrieval v2",
                                      "internal_use_software": "y"})
    assert response.status_code == 302
    session.refresh(project)
    assert (project.name, project.internal_use_software, project.code) == ("Retrieval v2", True, "rag")
    refused = interviewer.post(f"/studies/{study.slug}/projects/rag/edit",
                               data={**PROJECT_FORM, "code": "rag", "name": "Broken",
                                     "end_date": "2020-01-01"})
    assert refused.status_code == 200
    session.refresh(project)
    assert project.name == "Retrieval v2"


# --- uncertainties, experiments, layers ---------------------------------------------------


def test_uncertainty_experiment_and_layer_round_trip(interviewer, session, study, project) -> None:
    base = f"/studies/{study.slug}/projects/rag"
    assert interviewer.post(f"{base}/uncertainties/new", data={
        "kind": "method", "statement": "Which fusion beats both retrievers?",
        "identified_on": "2025-02-01"}).status_code == 302
    uncertainty = session.scalars(select(UncertaintyStatement)).one()
    form = page(interviewer, f"{base}/uncertainties/{uncertainty.id}/experiments/new")
    assert f'<option selected value="{uncertainty.id}">' in form
    assert interviewer.post(f"{base}/uncertainties/{uncertainty.id}/experiments/new", data={
        "uncertainty": uncertainty.id, "name": "Reciprocal-rank fusion", "started_on": "2025-02-03",
        "ended_on": "2025-03-01", "outcome": "succeeded", "metrics": "recall@10 = 0.91\nlatency_ms = 140",
    }).status_code == 302
    experiment = session.scalars(select(Experiment)).one()
    assert experiment.metrics == {"recall@10": 0.91, "latency_ms": 140}
    edit = page(interviewer, f"{base}/experiments/{experiment.id}/edit")
    assert "recall@10 = 0.91\nlatency_ms = 140" in edit
    assert interviewer.post(f"{base}/layers/new", data={
        "kind": "third_party_model", "name": "Answer generation", "vendor": "OpenAI", "model": "GPT-4.1",
        "reason": "Called as shipped."}).status_code == 302
    layer = session.scalars(select(Layer)).one()
    assert interviewer.post(f"{base}/layers/{layer.id}/edit", data={
        "kind": "third_party_model", "name": "Answer generation", "vendor": "Anthropic", "model": "",
        "reason": ""}).status_code == 302
    session.refresh(layer)
    assert (layer.vendor, layer.model) == ("Anthropic", None)
    shown = page(interviewer, base)
    assert "Reciprocal-rank fusion" in shown and "recall@10 = 0.91" in shown and "Anthropic" in shown


def test_experiment_and_layer_errors_are_next_to_their_fields(interviewer, session, study, project,
                                                               uncertainty) -> None:
    base = f"/studies/{study.slug}/projects/rag"
    html = interviewer.post(f"{base}/uncertainties/{uncertainty.id}/experiments/new", data={
        "uncertainty": uncertainty.id, "name": "", "started_on": "2025-03-01", "ended_on": "2025-02-01",
        "outcome": "succeeded", "metrics": "recall 0.9"}).get_data(as_text=True)
    assert "write one 'name = value'" in field_error(html, "metrics")
    html = interviewer.post(f"{base}/uncertainties/{uncertainty.id}/experiments/new", data={
        "uncertainty": uncertainty.id, "name": "", "started_on": "2025-03-01", "ended_on": "2025-02-01",
        "outcome": "won"}).get_data(as_text=True)
    assert field_error(html, "name") == "Alternative is required."
    assert "before the start date" in field_error(html, "ended_on")
    assert "'won' is not one of" in field_error(html, "outcome")
    html = interviewer.post(f"{base}/layers/new", data={"kind": "third_party_model", "name": "LLM"}
                            ).get_data(as_text=True)
    assert "names its vendor" in field_error(html, "vendor")
    assert count(session, Experiment) == count(session, Layer) == 0


def test_a_record_of_another_study_cannot_be_linked_or_reached(interviewer, session, study, project,
                                                              uncertainty, make_study, people) -> None:
    import datetime as dt
    other = make_study(members={people["interviewer"]: Role.INTERVIEWER})
    foreign_project = create_project(session, other, ProjectInput(code="rag", name="Theirs",
                                                                  sub_sector="applied_ml"))
    foreign = add_uncertainty(session, other, foreign_project.id, UncertaintyInput(
        kind="method", statement="Theirs", identified_on=dt.date(2025, 1, 1)))
    session.commit()
    base = f"/studies/{study.slug}/projects/rag"
    html = interviewer.post(f"{base}/uncertainties/{uncertainty.id}/experiments/new", data={
        "uncertainty": foreign.id, "name": "Forged", "outcome": "failed"}).get_data(as_text=True)
    assert "is not a record of this study" in field_error(html, "uncertainty")
    assert count(session, Experiment) == 0
    assert interviewer.get(f"{base}/uncertainties/{foreign.id}/edit").status_code == 404
    assert interviewer.post(f"{base}/uncertainties/{foreign.id}/delete").status_code == 404
    session.refresh(foreign)
    assert foreign.statement == "Theirs"


def test_deleting_asks_first(interviewer, session, study, project, uncertainty) -> None:
    base = f"/studies/{study.slug}/projects/rag"
    interviewer.post(f"{base}/uncertainties/{uncertainty.id}/experiments/new", data={
        "uncertainty": uncertainty.id, "name": "Dense only", "outcome": "failed"})
    confirm = page(interviewer, f"{base}/uncertainties/{uncertainty.id}/delete")
    assert "Can recall@10 reach 0.9?" in confirm and "Its 1 experiment is deleted with it." in confirm
    assert count(session, UncertaintyStatement) == 1
    response = interviewer.post(f"{base}/uncertainties/{uncertainty.id}/delete")
    assert response.status_code == 302 and response.location.endswith("#uncertainties")
    assert count(session, UncertaintyStatement) == count(session, Experiment) == 0


# --- who may do it ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["engineer", "cpa"])
def test_engineers_and_cpas_cannot_edit_projects(client, sign_in, people, session, study, project,
                                                 uncertainty, role) -> None:
    sign_in(people[role])
    base = f"/studies/{study.slug}/projects"
    for url in (f"{base}/new", f"{base}/rag/edit", f"{base}/rag/uncertainties/new",
                f"{base}/rag/uncertainties/{uncertainty.id}/edit", f"{base}/rag/layers/new"):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data={**PROJECT_FORM, "name": "Hijacked"}).status_code == 403, url
    assert client.post(f"/studies/{study.slug}/third-party-models").status_code == 403
    shown = page(client, f"{base}/rag")
    shown_ids = set(re.findall(r'testid="([^"]+)"', shown))
    assert not {"edit-project", "add-uncertainty", "add-layer", "detect-third-party"} & shown_ids
    assert "new-project" not in page(client, f"/studies/{study.slug}/")
    session.refresh(project)
    assert project.name == "Retrieval" and count(session, BusinessComponent) == 1


def test_a_non_member_is_told_nothing(client, sign_in, people, study, project, uncertainty) -> None:
    sign_in(people["outsider"])
    base = f"/studies/{study.slug}/projects"
    for url in (f"{base}/new", f"{base}/rag/edit", f"{base}/rag/uncertainties/{uncertainty.id}/delete"):
        assert client.get(url).status_code == 404
        assert client.post(url, data=PROJECT_FORM).status_code == 404


# --- typed HTML is inert ------------------------------------------------------------------


def test_html_typed_in_any_field_is_shown_escaped(interviewer, session, study) -> None:
    base = f"/studies/{study.slug}/projects"
    assert interviewer.post(f"{base}/new", data={**PROJECT_FORM, "name": SCRIPT, "description": SCRIPT,
                                                 "information_sought": SCRIPT, "permitted_purpose": SCRIPT}
                            ).status_code == 302
    interviewer.post(f"{base}/citerag/uncertainties/new", data={"kind": "method", "statement": SCRIPT,
                                                                "identified_on": "2025-02-01"})
    uncertainty = session.scalars(select(UncertaintyStatement)).one()
    interviewer.post(f"{base}/citerag/uncertainties/{uncertainty.id}/experiments/new", data={
        "uncertainty": uncertainty.id, "name": SCRIPT, "notes": SCRIPT, "outcome": "failed",
        "metrics": f"{SCRIPT} = {SCRIPT}"})
    interviewer.post(f"{base}/citerag/layers/new", data={"kind": "third_party_model", "name": SCRIPT,
                                                         "vendor": SCRIPT, "model": SCRIPT, "reason": SCRIPT})
    experiment = session.scalars(select(Experiment)).one()
    layer = session.scalars(select(Layer)).one()
    here = f"{base}/citerag"
    pages = [f"/studies/{study.slug}/", here, f"{here}/edit", f"{here}/uncertainties/{uncertainty.id}/edit",
             f"{here}/experiments/{experiment.id}/edit", f"{here}/layers/{layer.id}/edit",
             f"{here}/uncertainties/{uncertainty.id}/delete", f"{here}/layers/{layer.id}/delete",
             f"{here}/experiments/{experiment.id}/delete"]
    for url in pages:
        html = page(interviewer, url)
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;alert(" in html, url


# --- third-party model detection from the project page ------------------------------------


def test_the_detection_button_proposes_layers_and_its_result_reads(app, interviewer, session, study, project,
                                                                    tmp_path) -> None:
    from flask import render_template

    from evidence.ingest.git import ingest_git
    from evidence.ingest.git_rules import parse_rules
    from evidence.ingest.limits import IngestLimits
    from tests.evidence.test_gitlog import commit, init_repo, write

    repo = init_repo(tmp_path / "repo")
    write(repo / "requirements.txt", "openai==1.59\n")
    write(repo / "tools/<b>x</b>.py", "import cohere\n")
    commit(repo, "setup")
    write(repo / "rag/answer.py", 'from openai import OpenAI\nMODEL = "gpt-4o-mini"\n')
    commit(repo, "answer")
    ingest_git(app.extensions["fourpart.db"], app.extensions["fourpart.blobs"], study.id, repo,
               uploaded_by_id=None, rules=parse_rules("rules:\n  - project: rag\n    paths: ['rag/**']\n"),
               workdir=tmp_path / "work", limits=IngestLimits())
    response = interviewer.post(f"/studies/{study.slug}/third-party-models")
    assert response.status_code == 302 and "/jobs/" in response.location
    job = session.get(Job, int(response.location.rsplit("/", 1)[1]))
    session.refresh(job)
    assert job.status == "succeeded", job.error
    layer = session.scalars(select(Layer).where(Layer.project_id == project.id)).one()
    assert (layer.vendor, layer.model, layer.kind.value) == ("OpenAI", "gpt-4o-mini", "third_party_model")
    with app.test_request_context():
        html = " ".join(render_template("projects/_third_party_result.html", job=job, study=study).split())
    assert "1 third-party layer(s) proposed and 3 evidence link(s) suggested" in html
    assert f'href="/studies/{study.slug}/projects/rag"' in html and "not mapped" in html
    assert "tools/&lt;b&gt;x&lt;/b&gt;.py:1" in html and "<b>x</b>" not in html
