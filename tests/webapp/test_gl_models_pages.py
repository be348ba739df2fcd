"""The scoring models page: the versions and their figures, who may retrain or roll back, and a retrain run
from the page on a small corpus."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.blobstore import BlobStore
from scoring.corpus import csv_bytes, generate
from scoring.dataset import read_labelled
from scoring.models import ScoringModel
from scoring.registry import register_shipped, shipped_pair
from studies.models import Role
from tests.conftest import PASSWORD

SHIPPED_VERSION = shipped_pair().expense.version


@pytest.fixture
def people(make_user) -> dict[str, object]:
    labels = ("admin", "cpa", "interviewer", "outsider")
    return {label: make_user(name=f"{label.title()} Person") for label in labels}


@pytest.fixture
def study(make_study, people):
    make_study(members={people["outsider"]: Role.CPA})
    return make_study(members={people["admin"]: Role.ADMIN, people["cpa"]: Role.CPA,
                               people["interviewer"]: Role.INTERVIEWER})


def _signed_in(app: Flask, user: object) -> FlaskClient:
    client = app.test_client()
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})  # type: ignore[attr-defined]
    assert response.status_code == 302
    return client


def _page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def test_the_page_shows_the_shipped_pair_with_its_figures_and_curves(client: FlaskClient, sign_in, people,
                                                                      study) -> None:
    sign_in(people["cpa"])
    html = _page(client, f"/studies/{study.slug}/gl/models")
    card = shipped_pair().expense.card["metrics"]
    assert f'data-version="{SHIPPED_VERSION}"' in html and 'data-testid="model-active"' in html
    assert "shipped with the code" in html
    assert f"{card['validation']['roc_auc']:.3f}" in html and f"{card['heldout']['roc_auc']:.3f}" in html
    assert f"{card['heldout']['read_share_for_80pct'] * 100:.1f}%" in html
    assert html.count("<svg") == 2 and 'data-model="expense"' in html and 'data-model="account"' in html
    assert 'data-testid="model-retrain"' not in html  # a CPA reviews lines; an admin manages the models
    imports = _page(client, f"/studies/{study.slug}/gl")
    assert f'href="/studies/{study.slug}/gl/models"' in imports


def test_only_a_study_admin_may_retrain_or_change_the_active_pair(app: Flask, people, study) -> None:
    cpa = _signed_in(app, people["cpa"])
    assert cpa.post(f"/studies/{study.slug}/gl/models/retrain").status_code == 403
    assert cpa.post(f"/studies/{study.slug}/gl/models/{SHIPPED_VERSION}/activate").status_code == 403
    assert _signed_in(app, people["interviewer"]).get(f"/studies/{study.slug}/gl/models").status_code == 403
    assert _signed_in(app, people["outsider"]).get(f"/studies/{study.slug}/gl/models").status_code == 404
    admin = _signed_in(app, people["admin"])
    assert 'data-testid="model-retrain"' in _page(admin, f"/studies/{study.slug}/gl/models")
    assert admin.post(f"/studies/{study.slug}/gl/models/99/activate").status_code == 404


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """About 2,200 labelled lines of four training companies, qualified lines kept."""
    rng = random.Random(3)
    lines = [line for line in generate("train", companies=4) if line.label == 1 or rng.random() < 0.12]
    path = tmp_path / "corpus.csv.gz"
    path.write_bytes(gzip.compress(csv_bytes(lines)))
    return path


@pytest.mark.slow
def test_an_admin_retrains_then_returns_to_the_version_before(
        app: Flask, client: FlaskClient, sign_in, people, study, session, small_corpus: Path) -> None:
    settings = app.extensions["fourpart.settings"]
    app.extensions["fourpart.settings"] = settings.model_copy(update={"gl_training_corpus": small_corpus})
    store: BlobStore = app.extensions["fourpart.blobs"]
    register_shipped(session, store)  # as the first scored import does
    session.commit()
    sign_in(people["admin"])
    response = client.post(f"/studies/{study.slug}/gl/models/retrain")
    assert response.status_code == 303
    job_page = _page(client, response.headers["Location"])
    assert "Retraining the scoring models" in job_page and 'data-testid="job-status">succeeded' in job_page
    new_version = SHIPPED_VERSION + 1
    assert f"version {new_version}, now active" in job_page
    session.expire_all()
    active = session.scalars(select(ScoringModel).where(ScoringModel.active.is_(True))).all()
    assert {(row.kind, row.version) for row in active} == {("expense", new_version), ("account", new_version)}
    # trained on the configured corpus (no decided lines yet), not on the starter corpus
    assert active[0].card["data"]["lines"] == len(read_labelled(small_corpus))
    assert "retrained from the web app by" in active[0].notes
    html = _page(client, f"/studies/{study.slug}/gl/models")
    assert html.index(f'data-version="{new_version}"') < html.index(f'data-version="{SHIPPED_VERSION}"')
    assert html.count('data-testid="model-activate"') == 1  # only the inactive version offers it

    response = client.post(f"/studies/{study.slug}/gl/models/{SHIPPED_VERSION}/activate")
    assert response.status_code == 303
    assert f"Version {SHIPPED_VERSION} is now the active pair" in _page(client, response.headers["Location"])
    session.expire_all()
    active = session.scalars(select(ScoringModel).where(ScoringModel.active.is_(True))).all()
    assert {row.version for row in active} == {SHIPPED_VERSION} and len(active) == 2
