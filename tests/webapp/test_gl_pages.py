"""The GL pages: upload (and the column mapping step), accounts by score, blind review, decisions, the
disagreement queue, and who may see them."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from core.blobs import BlobRecord
from scoring.imports import GLUpload, import_gl
from scoring.models import GLExpense, GLImport
from studies.models import BusinessComponent, QualifiedExpense, Role
from tests.scoring.gl_helpers import BAD_CSV, UNKNOWN_LAYOUT, accounts_of, canonical_csv, lines_of, set_scores

EXPENSE_SCORES = {"Amazon Web Services": 0.94, "Lambda Labs": 0.81, "Digi-Key": 0.66, "Slack": 0.07}
ACCOUNT_SCORES = {"6120": 0.97, "6150": 0.71, "6300": 0.62, "6400": 0.2, "6500": 0.15, "4000": 0.01}


@pytest.fixture
def people(make_user) -> dict[str, object]:
    labels = [*(role.value for role in Role), "outsider"]
    return {label: make_user(name=f"{label.title()} Person") for label in labels}


@pytest.fixture
def study(make_study, people):
    make_study(members={people["outsider"]: Role.CPA})
    return make_study(members={people[role.value]: role for role in Role})


@pytest.fixture
def project(session, study) -> BusinessComponent:
    component = BusinessComponent(study_id=study.id, code="rag", name="Retrieval",
                                  sub_sector="ai_native_product_engineering")
    session.add(component)
    session.commit()
    return component


@pytest.fixture
def cpa(client: FlaskClient, sign_in, people) -> FlaskClient:
    sign_in(people["cpa"])
    return client


@pytest.fixture
def unscored(monkeypatch) -> None:
    """These tests set scores on the rows themselves; the real models are exercised in test_gl_scoring."""
    import scoring.tasks
    monkeypatch.setattr(scoring.tasks, "score_import",
                        lambda *_args: {"scored": False, "reason": "not scored in this test"})


@pytest.fixture
def gl(app: Flask, session, study) -> int:
    import_id = import_gl(app.extensions["fourpart.db"], app.extensions["fourpart.blobs"], study.id,
                          canonical_csv(), GLUpload("ledger.csv", blind_share=0.0))
    set_scores(session, import_id, EXPENSE_SCORES, ACCOUNT_SCORES)
    session.commit()
    return import_id


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def _upload(client: FlaskClient, slug: str, data: bytes, name: str, **fields: object):
    return client.post(f"/studies/{slug}/gl/upload", data={"file": (io.BytesIO(data), name), **fields},
                       content_type="multipart/form-data")


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_cpa_uploads_a_gl_and_reaches_its_accounts(cpa, app, session, study, unscored) -> None:
    response = _upload(cpa, study.slug, canonical_csv(), "ledger.csv", industry="Software", blind_percent="0")
    assert response.status_code == 303
    job_page = page(cpa, response.headers["Location"])
    assert 'data-testid="job-status">succeeded' in job_page
    assert "no: not scored in this test" in job_page
    gl_import = session.scalars(select(GLImport).where(GLImport.study_id == study.id)).one()
    assert (gl_import.row_count, gl_import.blind_share) == (8, 0.0)
    assert f"/studies/{study.slug}/gl/{gl_import.id}" in job_page
    listing = page(cpa, f"/studies/{study.slug}/gl")
    assert "ledger.csv" in listing and ">GL review</a>" in listing
    accounts = page(cpa, f"/studies/{study.slug}/gl/{gl_import.id}")
    assert "Cloud Compute - R&amp;D" in accounts and accounts.count('data-testid="gl-account-row"') == 6


def test_a_file_with_bad_rows_is_refused_row_by_row_and_nothing_stays(cpa, app, session, study) -> None:
    response = _upload(cpa, study.slug, BAD_CSV, "bad.csv")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "bad.csv was not imported." in html
    problems = re.findall(r'data-testid="gl-problem"><td>(\d+)</td><td>(\w+)</td>', html)
    assert problems == [("3", "amount"), ("4", "date")]
    assert _count(session, GLImport) == 0 and _count(session, BlobRecord) == 0
    assert list(app.extensions["fourpart.blobs"].iter_hashes()) == []


def test_an_unknown_layout_goes_through_the_mapping_step(cpa, app, session, study, unscored) -> None:
    response = _upload(cpa, study.slug, UNKNOWN_LAYOUT, "export.csv", industry="AI for biology")
    assert response.status_code == 303 and response.headers["Location"].endswith("/gl/upload/mapping")
    html = page(cpa, f"/studies/{study.slug}/gl/upload/mapping")
    assert "Still to map: account." in html
    assert '<option value="Value" selected>' in html  # the amount was recognised
    mapping = {"header_row": "1", "map-date": "When", "map-vendor": "Who", "map-description": "What",
               "map-amount": "Value", "map-account": "Ledger"}
    preview = cpa.post(f"/studies/{study.slug}/gl/upload/mapping", data={**mapping, "action": "preview"})
    assert preview.status_code == 200
    text = preview.get_data(as_text=True)
    assert "6120 Cloud Services" in text and "42,000.00" in text and "Still to map" not in text
    assert _count(session, GLImport) == 0
    done = cpa.post(f"/studies/{study.slug}/gl/upload/mapping", data={**mapping, "action": "import"})
    assert done.status_code == 303
    assert 'data-testid="job-status">succeeded' in page(cpa, done.headers["Location"])
    gl_import = session.scalars(select(GLImport).where(GLImport.study_id == study.id)).one()
    assert gl_import.source_format == "mapped" and gl_import.industry == "AI for biology"
    assert gl_import.reading["mapping"]["columns"]["account"] == "Ledger"
    assert sorted(accounts_of(session, gl_import.id)) == ["6120", "6150", "6700"]
    assert cpa.get(f"/studies/{study.slug}/gl/upload/mapping").status_code == 303  # nothing waits any more


def test_a_mapping_that_gives_bad_rows_is_refused_and_cancelling_drops_the_file(cpa, app, session,
                                                                                study) -> None:
    _upload(cpa, study.slug, UNKNOWN_LAYOUT, "export.csv")
    wrong = {"header_row": "1", "map-account": "Ledger", "map-amount": "Who", "action": "import"}
    response = cpa.post(f"/studies/{study.slug}/gl/upload/mapping", data=wrong)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    problems = re.findall(r'data-testid="gl-problem"><td>(\d+)</td><td>(\w+)</td>', html)
    assert problems == [("2", "Who"), ("3", "Who"), ("4", "Who")]
    assert len(list(app.extensions["fourpart.blobs"].iter_hashes())) == 1  # still waiting for a mapping
    cancel = cpa.post(f"/studies/{study.slug}/gl/upload/mapping",
                      data={"header_row": "1", "action": "cancel"})
    assert cancel.status_code == 303
    assert list(app.extensions["fourpart.blobs"].iter_hashes()) == []
    assert _count(session, GLImport) == 0


def test_the_accounts_page_colours_by_threshold_and_hides_blind_scores(cpa, session, study, gl) -> None:
    accounts = accounts_of(session, gl)
    accounts["6150"].blind_review = True
    session.commit()
    html = page(cpa, f"/studies/{study.slug}/gl/{gl}")
    rows = re.findall(r'<tr class="(gl-\w+)"\s+data-testid="gl-account-row" data-account="(\d+) ', html)
    assert rows == [("gl-above", "6120"), ("gl-above", "6300"), ("gl-below", "6400"), ("gl-below", "6500"),
                    ("gl-below", "4000"), ("gl-blind", "6150")]
    assert "0.970" in html and "0.710" not in html and ">hidden<" in html
    blind = page(cpa, f"/studies/{study.slug}/gl/{gl}/accounts/{accounts['6150'].id}")
    assert "blind review: scores hidden" in blind and "0.660" not in blind and "0.710" not in blind
    cloud = page(cpa, f"/studies/{study.slug}/gl/{gl}/accounts/{accounts['6120'].id}")
    assert re.findall(r'data-testid="gl-line-score">([\d.]+)<', cloud) == ["0.940", "0.810"]
    assert 'data-testid="gl-keys"' in cloud and "gl_review.js" in cloud


def test_deciding_lines_one_at_a_time_in_bulk_and_by_script(cpa, session, study, gl, project, people) -> None:
    lines = {line.vendor: line for line in lines_of(session, gl)}
    account_id = lines["Amazon Web Services"].account_id
    url = f"/studies/{study.slug}/gl/{gl}/decisions"
    one = cpa.post(url, data={"row_action": f"{lines['Amazon Web Services'].id}:qualified",
                              "category": "computer_rental", "share": "90", "project_id": str(project.id),
                              "account_id": str(account_id)})
    assert one.status_code == 303 and one.headers["Location"].endswith(f"/accounts/{account_id}")
    session.expire_all()
    line = session.get_one(GLExpense, lines["Amazon Web Services"].id)
    assert (line.qualified, str(line.qualified_share), line.decided_by_id) == (True, "90.00",
                                                                                 people["cpa"].id)
    expense = session.scalars(select(QualifiedExpense)
                              .where(QualifiedExpense.source_ref == str(line.id))).one()
    assert expense.approved_by_id == people["cpa"].id and expense.project_id == project.id
    html = page(cpa, f"/studies/{study.slug}/gl/{gl}/accounts/{account_id}")
    assert "computer rental · 90% · rag" in html and "Cpa Person" in html
    bulk = cpa.post(url, data={"line_ids": [str(lines["Slack"].id), str(lines["1Password"].id)],
                               "decision": "not_qualified"}, headers={"Accept": "application/json"})
    assert bulk.status_code == 200
    assert [item["decision"] for item in bulk.get_json()["lines"]] == ["not_qualified", "not_qualified"]
    assert "not qualified" in bulk.get_json()["lines"][0]["html"]


def test_a_refused_decision_shows_each_field_error_and_changes_nothing(cpa, session, study, gl,
                                                                        make_study) -> None:
    line = lines_of(session, gl)[0]
    url = f"/studies/{study.slug}/gl/{gl}/decisions"
    response = cpa.post(url, data={"line_ids": str(line.id), "decision": "qualified", "category": "",
                                   "share": "150", "account_id": str(line.account_id)})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'data-error-for="category">choose the QRE category' in html
    assert 'data-error-for="share">the qualified share must be above 0 and at most 100 percent' in html
    as_json = cpa.post(url, data={"line_ids": str(line.id), "decision": "qualified", "category": "supplies",
                                  "share": "x"}, headers={"Accept": "application/json"})
    assert as_json.status_code == 400 and set(as_json.get_json()["errors"]) == {"share"}
    other = make_study()
    foreign = BusinessComponent(study_id=other.id, code="theirs", name="Theirs",
                                sub_sector="ai_native_product_engineering")
    session.add(foreign)
    session.commit()
    cross = cpa.post(url, data={"line_ids": str(line.id), "decision": "qualified", "category": "supplies",
                                "project_id": str(foreign.id)}, headers={"Accept": "application/json"})
    assert cross.get_json() == {"errors": {"project": "not a project of this study"}}
    session.expire_all()
    assert session.get_one(GLExpense, line.id).qualified is None


def test_another_studys_import_and_lines_are_not_reachable(cpa, app, session, study, gl, make_study,
                                                          people) -> None:
    other = make_study(members={people["cpa"]: Role.CPA})
    theirs = import_gl(app.extensions["fourpart.db"], app.extensions["fourpart.blobs"], other.id,
                       canonical_csv(company="Other Co"), GLUpload("theirs.csv"))
    session.commit()
    assert cpa.get(f"/studies/{study.slug}/gl/{theirs}").status_code == 404
    their_line = lines_of(session, theirs)[0]
    response = cpa.post(f"/studies/{study.slug}/gl/{gl}/decisions",
                        data={"line_ids": str(their_line.id), "decision": "not_qualified"},
                        headers={"Accept": "application/json"})
    assert response.status_code == 400 and "not lines of this study" in response.get_json()["errors"]["lines"]
    account = accounts_of(session, theirs)["6120"]
    assert cpa.get(f"/studies/{study.slug}/gl/{gl}/accounts/{account.id}").status_code == 404


def test_the_disagreement_queue_lists_the_worst_first(cpa, session, study, gl, people) -> None:
    from scoring.review import DecisionInput, decide_line
    lines = {line.vendor: line for line in lines_of(session, gl)}
    decide_line(session, study.id, lines["Slack"].id, DecisionInput("not_qualified"),
                user_id=people["cpa"].id)
    decide_line(session, study.id, lines["Amazon Web Services"].id, DecisionInput("not_qualified"),
                user_id=people["cpa"].id)
    session.commit()
    html = page(cpa, f"/studies/{study.slug}/gl/{gl}/disagreements")
    order = re.findall(r'<td>(Amazon Web Services|Slack)</td>', html)
    assert order == ["Amazon Web Services", "Slack"]
    assert "2.81" in html  # -ln(1 - 0.94)


@pytest.mark.parametrize("role", ["engineer", "interviewer"])
def test_only_cpas_and_admins_review_the_gl(client, sign_in, people, study, gl, role) -> None:
    sign_in(people[role])
    assert client.get(f"/studies/{study.slug}/gl").status_code == 403
    assert client.get(f"/studies/{study.slug}/gl/{gl}").status_code == 403
    assert ">GL review</a>" not in page(client, f"/studies/{study.slug}/")


def test_an_import_scored_by_an_older_pair_says_so_and_offers_to_score_again(cpa, session, study, gl) -> None:
    from core.blobs import register_blob
    from scoring.models import ScoringModel
    rows = {}
    for version, active in ((1, False), (2, True)):
        for kind, threshold in (("expense", 0.3 * version), ("account", 0.35 * version)):
            sha = f"{kind}{version}".ljust(64, "0")
            register_blob(session, sha, 1, "application/json")
            rows[kind, version] = ScoringModel(kind=kind, version=version, blob_sha256=sha, active=active,
                                               threshold=threshold, card={"threshold": threshold})
            session.add(rows[kind, version])
    session.flush()
    gl_import = session.get_one(GLImport, gl)
    gl_import.scoring_model_id = rows["expense", 1].id
    session.commit()
    html = page(cpa, f"/studies/{study.slug}/gl/{gl}")
    assert re.search(r'data-testid="gl-scored-by">models v1<', html)
    assert "threshold 0.35" in html  # the account threshold of the pair that scored it, not the active one's
    assert 'data-testid="gl-outdated"' in html and "v2 are active now" in html
    gl_import.scoring_model_id = rows["expense", 2].id
    session.commit()
    html = page(cpa, f"/studies/{study.slug}/gl/{gl}")
    assert 'data-testid="gl-outdated"' not in html and "threshold 0.70" in html
