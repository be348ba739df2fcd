"""The ``scoring.import_gl`` job end to end with the real models: stored, scored, thresholds from the card."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from core.audit import Actor
from core.blobstore import LocalBlobStore
from core.jobs import SUCCEEDED, Job, JobQueue
from scoring.imports import GLUpload
from scoring.models import GLImport, ScoringModel
from scoring.registry import SHIPPED, model_file
from scoring.review_lists import account_rows, thresholds
from scoring.tasks import StagedGL, import_job_params
from tests.scoring.gl_helpers import accounts_of, canonical_csv, lines_of

pytestmark = pytest.mark.slow


@pytest.mark.skipif(not model_file(SHIPPED, "expense").exists(),
                    reason="the shipped models are not built yet")
def test_an_uploaded_gl_is_stored_and_scored_by_the_job(db, session, tmp_path, make_study) -> None:
    study = make_study()
    store = LocalBlobStore(tmp_path / "blobs")
    queue = JobQueue(db, store, "immediate", tmp_path / "instance")
    data = canonical_csv()
    staged: StagedGL = {"sha256": store.put(io.BytesIO(data)).sha256, "filename": "ledger.csv",
                        "path": "ledger.csv"}
    job_id = queue.submit("scoring.import_gl", actor=Actor("test"), study_id=study.id,
                          params=import_job_params(staged, GLUpload("ledger.csv", blind_share=0.0)))
    job = session.get_one(Job, job_id)
    session.refresh(job)
    assert job.status == SUCCEEDED, job.error
    assert job.result is not None and job.result["scored"] is True
    gl_import = session.scalars(select(GLImport).where(GLImport.study_id == study.id)).one()
    assert gl_import.scoring_model_id == session.get_one(ScoringModel, job.result["scoring_model_id"]).id
    lines = lines_of(session, gl_import.id)
    assert all(0 <= line.score <= 1 for line in lines if line.amount > 0)
    assert [line.score for line in lines if line.amount <= 0] == [None]
    scores = {line.vendor: line.score for line in lines}
    assert scores["Amazon Web Services"] > scores["Slack"] and scores["Lambda Labs"] > scores["1Password"]
    accounts = accounts_of(session, gl_import.id)
    assert accounts["6120"].score is not None and accounts["6120"].score > accounts["6400"].score
    cut = thresholds(session)
    active = session.scalars(select(ScoringModel).where(ScoringModel.active.is_(True),
                                                        ScoringModel.kind == "account")).one()
    assert cut.account == pytest.approx(active.threshold)
    assert account_rows(session, gl_import, cut)[0].account.number == "6120"
